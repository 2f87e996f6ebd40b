// The one runner: a task, a flow and a model wired to an engine, a session recorder and the run state, for every face.

import { FlowEngine } from '../core/engine.js';
import type { SlotbenchEvent } from '../core/events.js';
import type { FlowDefinition } from '../core/flow.js';
import type { CodeParser, GatePort, ModelRegistry } from '../core/ports.js';
import type { Sampling, SlotOverrides } from '../core/sampling.js';
import type { Task } from '../core/task.js';
import { newSessionId } from '../session/paths.js';
import { openRecorder, type Recorder } from '../session/recorder.js';
import { initialRunState, reduce, type RunState } from '../state/run-state.js';
import { SLOTBENCH_VERSION } from '../version.js';
import { resultRow, type ResultRow } from './result-row.js';

/** Everything one run of a flow on a task needs. */
export interface TaskRun {
  task: Task;
  flow: FlowDefinition;
  /** The flow's options (`repair: 'off'`). */
  flowOptions?: Record<string, string>;
  models: ModelRegistry;
  /** Configured name of the model the run starts on. */
  model: string;
  sampling: Sampling;
  attempts: number;
  gateTimeoutMs: number;
  tools: { gate: GatePort; parser: CodeParser };
  /** Where the session is recorded (the file must not exist); absent = not recorded (probe samples, benches). */
  record?: { path: string; cwd: string };
  /** Default: a fresh id from the task id. */
  sessionId?: string;
  /** Set when the model is a test double or a replay. */
  label?: string;
  derivedFrom?: string;
  mode?: 'run' | 'probe';
  /** Stop before the first slot (the workbench). */
  pauseAtStart?: boolean;
  breakpoints?: string[];
  /** Overrides at given calls of the run (a rerun of a recorded branch). */
  overridesAt?: { ordinal: number; overrides: SlotOverrides }[];
  /** Pause before this call (a resumed session in the workbench: where the recording stops answering). */
  pauseAtOrdinal?: number;
  /** More listeners of every event, after the recorder and the run state (progress lines, a probe's stream). */
  sinks?: Array<(event: SlotbenchEvent) => void>;
  /** Hears, once and as one line, that the session stopped being recorded (a write failed); the run goes on. */
  onTrouble?: (message: string) => void;
  /** Interrupt: the running branch ends as `aborted` with the signal's reason, and the session records it. */
  signal?: AbortSignal;
  /** Milliseconds, monotonic; injectable for tests. */
  now?: () => number;
}

/** A run wired and ready: start it now (headless) or when the screen is up (workbench). */
export interface PreparedRun {
  readonly engine: FlowEngine;
  readonly recorder?: Recorder;
  /** Reduced from every event as it happens. */
  readonly state: RunState;
  readonly sessionId: string;
  /** Run branch 0 to its end; resolves with the result row (of the branch that decided the run). */
  start(): Promise<ResultRow>;
  /** Stop whatever runs (recorded as aborted), then make the session durable. Safe to call more than once. */
  close(reason?: string): Promise<void>;
}

export function prepareRun(run: TaskRun): PreparedRun {
  const sessionId = run.sessionId ?? newSessionId(run.task.ref.id);
  const engine = new FlowEngine(
    { models: run.models, ...run.tools, ...(run.now ? { now: run.now } : {}) },
    {
      sessionId,
      slotbenchVersion: SLOTBENCH_VERSION,
      flow: run.flow,
      flowOptions: run.flowOptions,
      task: run.task,
      model: run.model,
      sampling: run.sampling,
      attempts: run.attempts,
      gateTimeoutMs: run.gateTimeoutMs,
      pauseAtStart: run.pauseAtStart,
      breakpoints: run.breakpoints,
      label: run.label,
      derivedFrom: run.derivedFrom,
      mode: run.mode,
      overridesAt: run.overridesAt,
      pauseAtOrdinal: run.pauseAtOrdinal,
    },
  );
  // The recorder hears every event first: the session file is the record.
  const recorder = run.record ? openRecorder(run.record.path, run.record.cwd) : undefined;
  if (recorder) engine.on(recorder.onEvent);
  if (recorder && run.onTrouble) recorder.onTrouble(run.onTrouble);
  const state = initialRunState();
  engine.on((event) => reduce(state, event));
  for (const sink of run.sinks ?? []) engine.on(sink);

  const interrupt = () => engine.interrupt(reasonOf(run.signal));
  let closing: Promise<void> | undefined;
  const close = (reason = 'stopped') => {
    closing ??= (async () => {
      run.signal?.removeEventListener('abort', interrupt);
      try {
        engine.interrupt(reason);
        await engine.idle();
        await engine.shutdown();
      } finally {
        await recorder?.close();
      }
    })();
    return closing;
  };
  return {
    engine,
    ...(recorder ? { recorder } : {}),
    state,
    sessionId,
    async start() {
      if (run.signal?.aborted) interrupt();
      else run.signal?.addEventListener('abort', interrupt, { once: true });
      // A signal that fires before the engine has a branch running is taken once the branch exists.
      const started = engine.start();
      if (run.signal?.aborted) interrupt();
      await started;
      return resultRow(state, { session: recorder?.path });
    },
    close,
  };
}

/** Run a flow on a task to its end, recorded, and give its result row. */
export async function runTask(run: TaskRun): Promise<ResultRow> {
  const prepared = prepareRun(run);
  let row: ResultRow;
  try {
    row = await prepared.start();
  } finally {
    await prepared.close();
  }
  const unrecorded = prepared.recorder?.stopped;
  return unrecorded ? { ...row, unrecorded } : row;
}

function reasonOf(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return typeof reason === 'string' ? reason : 'interrupted';
}
