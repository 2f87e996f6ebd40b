// The workbench's `:probe [N] [T,…]`: re-ask the picked slot (or the one the engine waits before) N times, show the probe view.

import { join } from 'node:path';
import { oneLine, UserError } from '../../core/errors.js';
import type { FlowDefinition } from '../../core/flow.js';
import type { CodeParser, GatePort, ModelRegistry } from '../../core/ports.js';
import { newSessionId } from '../../session/paths.js';
import { readSession } from '../../session/reader.js';
import { openRecorder } from '../../session/recorder.js';
import { initialRunState, reduce } from '../../state/run-state.js';
import { loadTask } from '../../tools/datasets.js';
import type { WorkbenchApi } from '../common/contracts.js';
import { numberArg } from './command-line.js';
import { type LineCommand } from '../common/contracts.js';
import { probeViewPanel } from './probe-panel.js';
import { shownSlot } from '../../state/selectors.js';
import { SLOTBENCH_VERSION } from '../../version.js';
import { probeOrigin, type ProbeTarget } from '../../probe/origin.js';
import { probeParallelism } from '../../probe/plan.js';
import { probeResults } from '../../probe/result.js';
import { ProbeRunner } from '../../probe/runner.js';

/** What the composition root (the `tui` command) hands the probe command. */
export interface ProbeCommandDeps {
  flow: FlowDefinition;
  models: ModelRegistry;
  /** The gate and parser, created on first use. */
  tools: () => Promise<{ gate: GatePort; parser: CodeParser }>;
  /** A model's configured `maxParallel`, if any. */
  configuredParallel: (model: string) => number | undefined;
  gateTimeoutMs: number;
  /** Where probe sessions are written. */
  sessionDir: string;
  cwd: string;
  /** Label of the start model when it is a test double. */
  label?: string;
}

const DEFAULT_N = 10;
const DEFAULT_TEMPERATURE = 0.8;

/** The slot a person means: the one picked in the plan, else where the engine waits, else the one shown. */
function target(api: WorkbenchApi): ProbeTarget {
  if (api.ui.selectedSlot) return { slotId: api.ui.selectedSlot };
  if (api.run.paused) return { stopped: api.run.paused };
  const shown = shownSlot(api.run, api.ui);
  if (shown) return { slotId: shown.id };
  throw new UserError(':probe: no slot to probe yet: step to one (s) or pick one in the plan');
}

/** The `:probe` command, and the session file it is writing while a probe runs (the browser never deletes it). */
export function probeLineCommand(deps: ProbeCommandDeps): LineCommand & { recording(): string[] } {
  let running: ProbeRunner | undefined;
  let writing: string | undefined;
  return {
    recording: () => (writing ? [writing] : []),
    name: 'probe',
    usage: 'probe [N] [T[,T…]]',
    description: `ask the picked slot N times (${DEFAULT_N}) at temperature T (${DEFAULT_TEMPERATURE}; a list compares), gate each, show the outcome distribution`,
    disabledReason: (api) => {
      if (api.feedKind !== 'engine' || !api.feed.problem || !api.feed.sessionPath) return 'probes need a live run: open a problem';
      if (running) return 'a probe is running: wait for its panel';
      if (api.run.streamingSlot) return 'a slot is streaming: wait for it or abort it (x) first';
      return undefined;
    },
    async run(args, api) {
      const n = args[0] === undefined ? DEFAULT_N : numberArg('probe', args[0], (x) => Number.isInteger(x) && x >= 1, 'N, an integer ≥ 1');
      const temperatures = (args[1] ?? String(DEFAULT_TEMPERATURE))
        .split(',')
        .map((t) => numberArg('probe', t, (x) => x >= 0, 'temperatures ≥ 0 (e.g. 0.8 or 0.2,0.6,1.0)'));
      const where = target(api);
      api.feed.controls.flush?.();
      const source = await readSession(api.feed.sessionPath!);
      const { slot, origin } = probeOrigin(source, where);
      const settings = api.feed.controls.settings!();
      const task = await loadTask(api.feed.problem!.dataset, api.feed.problem!.id);
      const model = deps.models.get(settings.model);
      const parallel = probeParallelism(model, await model.info(), deps.configuredParallel(settings.model));
      const { gate, parser } = await deps.tools();
      const sessionId = newSessionId(task.ref.id);
      const runner = new ProbeRunner(
        { models: deps.models, gate, parser },
        {
          sessionId,
          slotbenchVersion: SLOTBENCH_VERSION,
          flow: deps.flow,
          task,
          slot,
          model: settings.model,
          sampling: settings.sampling,
          attempts: settings.attempts,
          temperatures,
          n,
          seedBase: 1,
          parallel,
          gateTimeoutMs: deps.gateTimeoutMs,
          origin,
          ...(deps.label ? { label: deps.label } : {}),
        },
      );
      const recorder = openRecorder(join(deps.sessionDir, `${sessionId}.jsonl`), deps.cwd);
      recorder.onTrouble((message) => api.flash(message, 'error'));
      const state = initialRunState();
      const total = n * temperatures.length;
      let finished = 0;
      runner.on(recorder.onEvent);
      runner.on((event) => {
        reduce(state, event);
        if (event.type === 'flow_finished') api.flash(`probe ${slot}: ${++finished}/${total} samples done`);
      });
      running = runner;
      writing = recorder.path;
      api.flash(`probe ${slot}: ${total} samples, ${parallel} at a time…`);
      // The probe runs on while the person keeps working; its panel opens when it is done.
      void runner
        .run()
        .then(async () => {
          await recorder.close();
          api.showPanel(probeViewPanel(probeResults(state, parser, slot), state));
          api.flash(`probe ${slot} done: session ${recorder.path}`);
        })
        .catch(async (error: unknown) => {
          await recorder.close();
          api.flash(oneLine(error), 'error');
        })
        .finally(() => {
          running = undefined;
          writing = undefined;
        });
    },
  };
}
