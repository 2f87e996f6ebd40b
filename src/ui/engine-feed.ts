// A live engine (plus its session recorder) as the workbench's feed.

import { UserError } from '../core/errors.js';
import type { ModelRegistry } from '../core/ports.js';
import type { PreparedRun } from '../runner/task-run.js';
import { flushAllSessions } from '../session/writer.js';
import type { Feed } from './common/contracts.js';
import { modelHealth } from './model-health.js';

export interface EngineFeedOptions {
  /** A run prepared by the runner: its engine, and the recorder already listening. */
  run: PreparedRun;
  models: ModelRegistry;
  problem: { dataset: string; id: string };
  slotNames: string[];
}

export function engineFeed({ run, models, problem, slotNames }: EngineFeedOptions): Feed {
  const { engine } = run;
  let started: Promise<unknown> | undefined;
  return {
    kind: 'engine',
    ...(run.recorder ? { sessionPath: run.recorder.path } : {}),
    problem,
    slotNames,
    controls: {
      step: () => engine.step(),
      continue: () => engine.continue(),
      pause: () => engine.pause(),
      toggleBreakpoint: (name) => engine.toggleBreakpoint(name),
      breakpoints: () => engine.breakpointNames,
      rerun: (slotId, overrides) => engine.rerunSlot(slotId, overrides),
      abort: () => engine.abortSlot(),
      configure: (change) => engine.configure(change),
      overrideNext: (overrides) => engine.overrideNext(overrides),
      settings: () => engine.settings,
      modelNames: () => models.names(),
      health: () => modelHealth(models.get(engine.settings.model)),
      flush: () => flushAllSessions(),
    },
    // A session that can no longer be written says so in the status bar for good; the run goes on.
    describe: () => (run.recorder?.stopped ? 'NOT RECORDING' : undefined),
    subscribe: (listener) => engine.on(listener),
    start(onError) {
      run.recorder?.onTrouble((message) => onError(new UserError(message)));
      started = run.start().catch(onError);
    },
    async close(reason = 'the workbench was closed') {
      // Leaving mid-slot is an abort the session records (and the server slot is freed), not a silent cut.
      await run.close(reason);
      await started;
    },
  };
}
