// A live engine (plus its session recorder) as the workbench's feed.

import type { FlowEngine } from '../core/engine.js';
import { UserError } from '../core/errors.js';
import type { ModelRegistry } from '../core/ports.js';
import type { Recorder } from '../session/recorder.js';
import { flushAllSessions } from '../session/writer.js';
import type { Feed } from './feed.js';
import { modelHealth } from './model-health.js';

export interface EngineFeedOptions {
  engine: FlowEngine;
  recorder: Recorder;
  models: ModelRegistry;
  problem: { dataset: string; id: string };
  slotNames: string[];
}

export function engineFeed({ engine, recorder, models, problem, slotNames }: EngineFeedOptions): Feed {
  // The recorder hears every event before the screen does: the session file is the record.
  engine.on(recorder.onEvent);
  let started: Promise<void> | undefined;
  return {
    kind: 'engine',
    sessionPath: recorder.path,
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
      settings: () => engine.settings,
      modelNames: () => models.names(),
      health: () => modelHealth(models.get(engine.settings.model)),
      flush: () => flushAllSessions(),
    },
    // A session that can no longer be written says so in the status bar for good; the run goes on.
    describe: () => (recorder.stopped ? 'NOT RECORDING' : undefined),
    subscribe: (listener) => engine.on(listener),
    start(onError) {
      recorder.onTrouble((message) => onError(new UserError(message)));
      started = engine.start().catch(onError);
    },
    async close() {
      try {
        await engine.shutdown();
        await started;
      } finally {
        await recorder.close();
      }
    },
  };
}
