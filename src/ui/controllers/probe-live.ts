// A probe running behind the panes: its panel fills in as samples finish; `x` or quitting cancels it, keeping its samples.

import { oneLine } from '../../core/errors.js';
import type { CodeParser } from '../../core/ports.js';
import { probeResults } from '../../probe/result.js';
import type { ProbeRunner } from '../../probe/runner.js';
import type { Recorder } from '../../session/recorder.js';
import { initialRunState, reduce } from '../../state/run-state.js';
import type { KeyBinding, Panel, WorkbenchApi } from '../common/contracts.js';
import { probeViewPanel } from './probe-panel.js';

/** What a live probe needs beyond its runner: where it records, how to judge code, which slot it asks. */
export interface LiveProbeOptions {
  runner: ProbeRunner;
  recorder: Recorder;
  parser: CodeParser;
  slot: string;
  total: number;
}

/**
 * Run the probe in the background with its panel open from the start, redrawn as each sample finishes (while the
 * person keeps it open). Registered as a job: quitting asks about it and `x` cancels it. Resolves once it has ended.
 */
export function runLiveProbe(api: WorkbenchApi, { runner, recorder, parser, slot, total }: LiveProbeOptions): Promise<void> {
  const state = initialRunState();
  /** Samples that ran to a verdict (aborted and never-started ones are not counted). */
  let finished = 0;
  let cancelled: string | undefined;
  let shown: Panel | undefined;
  let ended = false;
  const title = () => {
    if (!ended) return `probe ${slot} · ${finished}/${total} done · x cancels`;
    return cancelled && finished < total ? `probe ${slot} · cancelled after ${finished}/${total}` : `probe ${slot}`;
  };
  let cancel: KeyBinding | undefined;
  const panel = (live: boolean): Panel => {
    const view = probeViewPanel(probeResults(state, parser, slot, { finishedOnly: live, temperatures: runner.plan.temperatures }), state, title());
    return live && cancel ? { ...view, keys: [cancel, ...(view.keys ?? [])] } : view;
  };
  /** Replace the live panel where the person left it (their picked sample and scroll kept); never reopen a closed one. */
  const refresh = () => {
    if (api.ui.overlay !== 'panel' || api.panel !== shown) return;
    const { panelRow, overlayScroll } = api.ui;
    shown = panel(true);
    api.showPanel(shown);
    api.dispatch({ type: 'panel-row', row: panelRow });
    api.dispatch({ type: 'overlay-scroll', to: overlayScroll });
  };
  runner.on(recorder.onEvent);
  runner.on((event) => {
    reduce(state, event);
    if (event.type === 'flow_finished') {
      if (event.verdict !== 'aborted') finished++;
      refresh();
    }
  });
  const done = runner
    .run()
    .then(async () => {
      await recorder.close();
      ended = true;
      if (cancelled && finished < total) api.flash(`probe ${slot} cancelled: ${finished}/${total} samples finished and kept in ${recorder.path}`);
      else api.flash(`probe ${slot} done: session ${recorder.path}`);
      const { panelRow } = api.ui;
      const open = api.ui.overlay === 'panel' && api.panel === shown;
      if (!open && api.ui.overlay !== undefined) return;
      api.showPanel((shown = panel(false)));
      if (open) api.dispatch({ type: 'panel-row', row: panelRow });
    })
    .catch(async (error: unknown) => {
      await recorder.close();
      api.flash(oneLine(error), 'error');
    });
  const unregister = api.startJob({
    describe: () => `probe ${slot} (${finished}/${total} samples done)`,
    async cancel(reason) {
      cancelled ??= reason;
      runner.abort(reason);
      await done;
    },
  });
  cancel = {
    id: 'probe-cancel',
    keys: ['x', 'C-x'],
    description: 'cancel the probe: running samples are aborted, the finished ones kept',
    run: async (api) => {
      api.flash(`cancelling probe ${slot}…`);
      await api.cancelJobs('cancelled with x');
    },
  };
  shown = panel(true);
  api.showPanel(shown);
  return done.finally(unregister);
}
