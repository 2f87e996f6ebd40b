// The workbench's `:probe [N] [T,…]`: re-ask the picked slot (else the flow's main slot) N times, show the samples live.

import { join } from 'node:path';
import { UserError } from '../../core/errors.js';
import type { FlowDefinition } from '../../core/flow.js';
import type { CodeParser, GatePort, ModelRegistry } from '../../core/ports.js';
import { newSessionId } from '../../session/paths.js';
import { readSession } from '../../session/reader.js';
import { openRecorder } from '../../session/recorder.js';
import { loadTask } from '../../tools/datasets.js';
import type { KeyContext, WorkbenchApi } from '../common/contracts.js';
import { numberArg } from './command-line.js';
import { type LineCommand } from '../common/contracts.js';
import { runLiveProbe } from './probe-live.js';
import { lastSlotNamed, shownSlot } from '../../state/selectors.js';
import { SLOTBENCH_VERSION } from '../../version.js';
import { probeOrigin, type ProbeTarget } from '../../probe/origin.js';
import { probeParallelism } from '../../probe/plan.js';
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

/** The slot a probe asks, and in words for the input line (`s1 implement, the flow's main slot`). */
interface Aim {
  target: ProbeTarget;
  words: string;
}

/**
 * The slot a person means: the one picked in the plan; else the flow's main slot (its first): the call the engine
 * waits before, or its latest run (not a repair that ran after it); else where the engine waits, else the one shown.
 */
function aim(ctx: KeyContext, main: string): Aim | undefined {
  const { run, ui } = ctx;
  if (ui.selectedSlot) {
    const picked = run.slots.get(ui.selectedSlot);
    return { target: { slotId: ui.selectedSlot }, words: `${ui.selectedSlot} ${picked?.name ?? ''}, picked in the plan`.trim() };
  }
  const waiting = run.paused;
  const mainHint = `the flow's main slot (pick another in the plan)`;
  if (waiting?.slotName === main) return { target: { stopped: waiting }, words: `the next ${main} call, ${mainHint}` };
  const last = lastSlotNamed(run, main);
  if (last) return { target: { slotId: last.id }, words: `${last.id} ${main}, ${mainHint}` };
  if (waiting) return { target: { stopped: waiting }, words: `the next ${waiting.slotName} call, where the engine waits` };
  const shown = shownSlot(run, ui);
  return shown ? { target: { slotId: shown.id }, words: `${shown.id} ${shown.name}, the slot shown` } : undefined;
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
    hint: (ctx) => {
      const where = aim(ctx, deps.flow.slots[0]);
      return where ? `probes ${where.words}` : undefined;
    },
    disabledReason: (api) => {
      if (api.feedKind !== 'engine' || !api.feed.problem || !api.feed.sessionPath) return 'probes need a live run: open a problem';
      if (running) return 'a probe is running: x cancels it';
      if (api.run.streamingSlot) return 'a slot is streaming: wait for it or abort it (x) first';
      return undefined;
    },
    async run(args, api) {
      const n = args[0] === undefined ? DEFAULT_N : numberArg('probe', args[0], (x) => Number.isInteger(x) && x >= 1, 'N, an integer ≥ 1');
      const temperatures = (args[1] ?? String(DEFAULT_TEMPERATURE))
        .split(',')
        .map((t) => numberArg('probe', t, (x) => x >= 0, 'temperatures ≥ 0 (e.g. 0.8 or 0.2,0.6,1.0)'));
      const where = aim(api, deps.flow.slots[0])?.target;
      if (!where) throw new UserError(':probe: no slot to probe yet: step to one (s) or pick one in the plan');
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
      running = runner;
      writing = recorder.path;
      api.flash(`probe ${slot}: ${n * temperatures.length} samples, ${parallel} at a time (x cancels)…`);
      // The probe runs on while the person keeps working; its panel fills in as samples finish.
      void runLiveProbe(api, { runner, recorder, parser, slot, total: n * temperatures.length }).finally(() => {
        running = undefined;
        writing = undefined;
      });
    },
  };
}
