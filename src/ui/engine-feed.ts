// A live engine (plus its session recorder) as the workbench's feed.

import { applyChange, NO_ANNOTATION, sameAnnotation, type AnnotationChange } from '../core/annotation.js';
import { UserError } from '../core/errors.js';
import type { SlotbenchEvent } from '../core/events.js';
import type { ModelRegistry } from '../core/ports.js';
import type { PreparedRun } from '../runner/task-run.js';
import { annotationEvent, type AnnotateResult } from '../session/annotate.js';
import { flushAllSessions } from '../session/writer.js';
import { reduce } from '../state/run-state.js';
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
  // Annotations are a person's, not the engine's: they reach the recorder, the run state and these listeners directly.
  const listeners = new Set<(event: SlotbenchEvent) => void>();
  const annotate = async (change: AnnotationChange): Promise<AnnotateResult> => {
    const recorder = run.recorder;
    if (!recorder) throw new UserError('this run is not recorded: there is no session to note');
    if (recorder.stopped) throw new UserError(`this run is no longer recorded (${recorder.stopped}): there is nowhere to keep a note`);
    const before = run.state.annotation ?? NO_ANNOTATION;
    const after = applyChange(before, change);
    const result = { sessionId: run.sessionId, before: { note: before.note, tags: [...before.tags] }, after };
    if (sameAnnotation(before, after)) return { ...result, changed: false };
    const event = annotationEvent(after, run.state.t);
    recorder.onEvent(event);
    reduce(run.state, event);
    for (const listener of listeners) listener(event);
    return { ...result, changed: true };
  };
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
      annotate,
    },
    // A session that can no longer be written says so in the status bar for good; the run goes on.
    describe: () => (run.recorder?.stopped ? 'NOT RECORDING' : undefined),
    subscribe: (listener) => {
      const off = engine.on(listener);
      listeners.add(listener);
      return () => {
        off();
        listeners.delete(listener);
      };
    },
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
