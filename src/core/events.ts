// The one event union: everything the engine does, as the TUI, plain output, sessions, replay and probes see it.

import type { ModelRequest, Sampling, SlotOverrides } from './sampling.js';
import type { TaskRef } from './task.js';

/** Session file format version written in the header; bump with a migration in session/migrate.ts. */
export const SESSION_FORMAT_VERSION = 2;

/** How a flow ended. Only the test gate decides pass/fail/timeout/crash. */
export type Verdict = 'pass' | 'fail' | 'timeout' | 'crash' | 'parse_error' | 'error' | 'aborted';

/** The gate's verdict for one test run. */
export type GateVerdict = 'pass' | 'fail' | 'timeout' | 'crash';

/** Why the engine paused before a slot. */
/** Why the engine paused: stepping, a breakpoint, the first slot, a pause key, or where a resumed recording ended. */
export type StopReason = 'step' | 'breakpoint' | 'entry' | 'pause' | 'resume';

/** One alternative the model weighed for a token. */
export interface TokenAlternative {
  token: string;
  /** Natural-log probability. */
  logprob: number;
}

/** Server-side timings of one generation (llama-server `timings`; the embedded engine fills the same fields). */
export interface Timings {
  prompt_n: number;
  prompt_ms: number;
  prompt_per_second: number;
  predicted_n: number;
  predicted_ms: number;
  predicted_per_second: number;
  /** Prompt tokens reused from the KV cache. */
  cache_n?: number;
}

/** Identity of the model that answered: what a reader needs to know which weights and build produced a run. */
export interface ModelIdentity {
  /** Configured name (e.g. `local`, `qwen`). */
  name: string;
  /** Implementation: real server, embedded engine, or a test double. */
  kind: 'llama-server' | 'embedded' | 'scripted' | 'replay';
  /** Server URL or GGUF path. */
  location?: string;
  /** Model file / alias / build, as far as known. */
  fingerprint?: string;
}

/** Test gate output of one run. */
export interface TestRunInfo {
  /** argv of the test process as run (inside the sandbox wrapper, if any). */
  command: string[];
  exitCode: number | null;
  /** Signal that ended the process, if any. */
  signal: string | null;
  durationMs: number;
  verdict: GateVerdict;
  /** Last part of stdout/stderr (capped). */
  stdoutTail: string;
  stderrTail: string;
  /** 'bwrap' when sandboxed, 'none' otherwise. */
  sandbox: 'bwrap' | 'none';
  /** Who judged: the model's own tests or the hidden oracle (absent in format-1 sessions: the oracle). */
  judge?: 'own' | 'oracle';
  /** Per-test outcomes, when the check reports them (command checks read them from a JUnit report). */
  tests?: TestOutcome[];
  /** The resource limits the test ran under, and what enforced them. */
  limits?: ResourceLimits;
  /** The limit that ended the run (`memory`, `processes`, `disk`, `cpu`); the verdict is then `crash`. */
  limitHit?: string;
}

/** One test's outcome in a report. */
export interface TestOutcome {
  /** Test id as the report names it (`tests/test_x.py::TestY::test_z`). */
  id: string;
  outcome: 'passed' | 'failed' | 'error' | 'skipped';
  /** First line of the failure, when there is one. */
  message?: string;
}

/** Resource limits of one test run. */
export interface ResourceLimits {
  memoryMb: number;
  processes: number;
  diskMb: number;
  cpuSeconds: number;
  /** What enforced them, e.g. `cgroup v1 memory+pids`, `prlimit`, `bwrap tmpfs size`. */
  enforcedBy: string[];
}

interface EventBase {
  /** Milliseconds since the session started (monotonic). */
  t: number;
}

export type SlotbenchEvent =
  | SessionStartedEvent
  | FlowStartedEvent
  | SlotStoppedEvent
  | SlotStartedEvent
  | PromptBuiltEvent
  | TokenEvent
  | SlotOutputEvent
  | SlotErrorEvent
  | CodeExtractedEvent
  | ParseFailedEvent
  | RepairEvent
  | CodeAppliedEvent
  | TestStartedEvent
  | TestRunEvent
  | SlotResultEvent
  | BranchEvent
  | SettingsChangedEvent
  | NoteEvent
  | FlowFinishedEvent
  | AnnotatedEvent;

/** First event of every session: the header. */
export interface SessionStartedEvent extends EventBase {
  type: 'session_started';
  formatVersion: number;
  slotbenchVersion: string;
  /** Session id (file stem). */
  sessionId: string;
  /** Wall-clock start, ISO 8601. */
  startedAt: string;
  flow: string;
  /** Flow options set for this session (`repair: 'off'`); absent = the flow's defaults. */
  flowOptions?: Record<string, string>;
  /** The task the flow works on (format 1 had `problem: {id, dataset}`, a dataset task). */
  task: TaskRef;
  model: ModelIdentity;
  /** Sampling config in force at the start. */
  sampling: Sampling;
  /** Retry budget of the flow. */
  attempts: number;
  /** Set when the model is a test double or replay, so nobody mistakes the session for a real model's run. */
  label?: string;
  /** Session this one was derived from (rerun, probe). */
  derivedFrom?: string;
  /** Free-form kind of session: a normal run or a sampling probe. */
  mode?: 'run' | 'probe';
}

/** A flow execution started (again, after a branch). */
export interface FlowStartedEvent extends EventBase {
  type: 'flow_started';
  flow: string;
  branchId: number;
}

/**
 * The engine paused before running a slot; it waits for step/continue. Announced again, with the request as it now
 * stands, each time a person changes the waiting call or the settings while it waits.
 */
export interface SlotStoppedEvent extends EventBase {
  type: 'slot_stopped';
  reason: StopReason;
  /** Name of the slot about to run. */
  slotName: string;
  /** Position of that slot among the model calls of this branch. */
  ordinal: number;
  branchId: number;
  /** The request the slot will send as things stand (a debugger shows the next request before it is sent). */
  request?: ModelRequest;
  /** Configured model it will go to. */
  model?: string;
  /** Changes a person made to this waiting call so far (an edited prompt, a temperature); absent = none. */
  overrides?: SlotOverrides;
}

/** A slot (one model call) began. */
export interface SlotStartedEvent extends EventBase {
  type: 'slot_started';
  /** Unique within the session, e.g. `s3`. */
  slotId: string;
  /** Slot name from the flow, e.g. `implement`, `reindent`. */
  name: string;
  /** Position among the model calls of this branch, from 0. */
  ordinal: number;
  /** Attempt of the flow this slot belongs to, from 1. */
  attempt: number;
  branchId: number;
  /** The slot this one repairs (reindent slots). */
  repairOf?: string;
  /** Changes a person made to this call while it waited to run (an edited prompt, a temperature). */
  overrides?: SlotOverrides;
}

/** The exact request of a slot, before it is sent. */
export interface PromptBuiltEvent extends EventBase {
  type: 'prompt_built';
  slotId: string;
  /** Configured model name the request goes to. */
  model: string;
  api: 'completion' | 'chat';
  request: ModelRequest;
}

/** One generated token. Hot path: fields kept small. */
export interface TokenEvent extends EventBase {
  type: 'token';
  slotId: string;
  text: string;
  /** Log-probability of the chosen token, when n_probs was asked. */
  logprob?: number;
  /** Alternatives the model weighed, when n_probs was asked. */
  top?: TokenAlternative[];
}

/** The complete output of a slot and what the server said about it. */
export interface SlotOutputEvent extends EventBase {
  type: 'slot_output';
  slotId: string;
  text: string;
  tokenCount: number;
  /** 'limit' (n_predict/context), 'word' (stop string), 'eos', or 'abort'. */
  stopType: string;
  stoppingWord?: string;
  timings?: Timings;
  tokensCached?: number;
  /** The server's own view of the settings it used. */
  generationSettings?: Record<string, unknown>;
  /** Server slot that served the request. */
  idSlot?: number;
  /** Which server answered, when the model is a pool of them. */
  server?: string;
  durationMs: number;
}

/** The model call failed (server error, cut-off stream, abort). */
export interface SlotErrorEvent extends EventBase {
  type: 'slot_error';
  slotId: string;
  /** Machine-readable cause. */
  code: string;
  /** One-line message for the person. */
  message: string;
  /** Tokens received before the failure. */
  tokenCount: number;
}

/** Code taken out of a slot's output. */
export interface CodeExtractedEvent extends EventBase {
  type: 'code_extracted';
  slotId: string;
  /** 'fenced' = from a ``` block; 'raw' = the whole output. */
  how: 'fenced' | 'raw';
  code: string;
}

/** The candidate does not parse. */
export interface ParseFailedEvent extends EventBase {
  type: 'parse_failed';
  slotId: string;
  errors: { line: number; column: number; text: string; indentation?: boolean }[];
  /**
   * Why no re-indent repair is asked (the failure is not one of indentation); absent = a repair is asked
   * (always so in sessions written before this field existed).
   */
  noRepair?: string;
}

/** Result of a re-indent repair: accepted only when tokens (whitespace ignored) are unchanged. */
export interface RepairEvent extends EventBase {
  type: 'repair';
  /** The reindent slot. */
  slotId: string;
  /** The slot whose output it repaired. */
  repairOf: string;
  accepted: boolean;
  /** Why it was rejected (or 'tokens unchanged' when accepted). */
  reason: string;
}

/** Candidate code written to the file under work. */
export interface CodeAppliedEvent extends EventBase {
  type: 'code_applied';
  slotId: string;
  file: string;
  before: string;
  after: string;
  /** Unified diff before → after. */
  diff: string;
}

/** The gate began running tests. */
export interface TestStartedEvent extends EventBase {
  type: 'test_started';
  gateId: string;
  /** The slot whose code is tested. */
  slotId: string;
  attempt: number;
  branchId: number;
}

/** The gate's result. */
export interface TestRunEvent extends EventBase, TestRunInfo {
  type: 'test_run';
  gateId: string;
  slotId: string;
}

/** What a slot amounted to once extraction, parsing and repair are done. */
export interface SlotResultEvent extends EventBase {
  type: 'slot_result';
  slotId: string;
  status: 'ok' | 'repaired' | 'parse_error' | 'error' | 'aborted';
}

/** A person re-ran a slot: history is kept, a new branch starts at that slot. */
export interface BranchEvent extends EventBase {
  type: 'branch';
  branchId: number;
  parentBranchId: number;
  /** The slot execution being re-run. */
  fromSlotId: string;
  fromOrdinal: number;
  overrides: SlotOverrides;
}

/** Temperature / seed / model in force for the next slots changed. */
export interface SettingsChangedEvent extends EventBase {
  type: 'settings_changed';
  model: string;
  sampling: Sampling;
  attempts: number;
}

/** Something a person should know (sandbox missing, server loading, ...). */
export interface NoteEvent extends EventBase {
  type: 'note';
  level: 'info' | 'warn';
  message: string;
}

/** The flow (this branch) ended. */
export interface FlowFinishedEvent extends EventBase {
  type: 'flow_finished';
  verdict: Verdict;
  reason: string;
  branchId: number;
  attempts: number;
  durationMs: number;
}

/**
 * A person's note and tags on the session, as they stand after a change (the last one wins; earlier ones stay in the
 * file as history). Appended to the session's own file rather than kept beside it: the file is the record, copying it
 * carries its notes, and the index is rebuilt from the files. No format bump: a reader that predates this event skips
 * its line with a one-line warning and reads the run whole. Replay, rerun, diff and determinism checks ignore it.
 */
export interface AnnotatedEvent extends EventBase {
  type: 'annotated';
  /** The note (control sequences stripped, at most 2,000 characters); '' = none. */
  note: string;
  /** The tags, lower-case, each `[a-z0-9][a-z0-9._-]{0,31}`, at most 16, in the order they were added. */
  tags: string[];
  /** Wall-clock time of the change, ISO 8601 (`t` stays the session's last event time: annotating is not running). */
  at: string;
}

export type EventType = SlotbenchEvent['type'];

/** An event before the engine stamps its time. */
export type UnstampedEvent = SlotbenchEvent extends infer E ? (E extends SlotbenchEvent ? Omit<E, 't'> : never) : never;
