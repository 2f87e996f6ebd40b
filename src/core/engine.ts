// The flow engine: runs a flow program, pauses before slots, branches on re-run; everything it does is an event.

import type {
  FlowFinishedEvent,
  SlotbenchEvent,
  StopReason,
  TestRunInfo,
  TokenEvent,
  UnstampedEvent,
} from './events.js';
import { SESSION_FORMAT_VERSION } from './events.js';
import { oneLine } from './errors.js';
import type { FlowContext, FlowDefinition, FlowResult, GateRequest, SlotOutcome, SlotSpec } from './flow.js';
import type { CodeParser, GatePort, ModelRegistry } from './ports.js';
import type { Task } from './task.js';
import { applyOverrides, type Sampling, type SlotOverrides } from './sampling.js';

export interface EngineDeps {
  models: ModelRegistry;
  gate: GatePort;
  parser: CodeParser;
  /** Milliseconds, monotonic; injectable for tests. */
  now?: () => number;
}

/** Everything that defines a run; recorded in the session header. */
export interface RunSpec {
  sessionId: string;
  slotbenchVersion: string;
  flow: FlowDefinition;
  task: Task;
  /** Configured model name. */
  model: string;
  sampling: Sampling;
  attempts: number;
  gateTimeoutMs: number;
  /** Pause before the first slot (interactive). */
  pauseAtStart?: boolean;
  breakpoints?: string[];
  label?: string;
  derivedFrom?: string;
  mode?: 'run' | 'probe';
  /**
   * End a branch at the first gate verdict after its branch point (probes: one sample = one slot + its gate).
   */
  stopAtFirstGate?: boolean;
}

type StepRecord =
  | { kind: 'slot'; slotId: string; name: string; attempt: number; outcome: SlotOutcome }
  | { kind: 'gate'; result: TestRunInfo };

/** Raised inside a superseded execution to unwind its flow program. */
class Superseded extends Error {}

interface Execution {
  branchId: number;
  /** Steps replayed silently from the parent branch before going live. */
  prefix: StepRecord[];
  steps: StepRecord[];
  /** Overrides for the first live step (the re-run slot). */
  branchOverrides?: SlotOverrides;
  cancel: AbortController;
  /** Set when a person stops the run (Ctrl-C): the branch then ends as aborted instead of silently. */
  interrupted?: string;
  /** Aborts only the slot streaming now. */
  slotAbort?: AbortController;
  gatesAfterBranch: number;
  done: Promise<void>;
}

type Listener = (event: SlotbenchEvent) => void;

export class FlowEngine {
  private readonly listeners: Listener[] = [];
  private readonly now: () => number;
  private readonly t0: number;
  private readonly breakpoints: Set<string>;
  private stepping: boolean;
  private resume?: (cancelled: boolean) => void;
  private current?: Execution;
  private readonly executions = new Map<number, Execution>();
  private nextSlot = 1;
  private nextGate = 1;
  private nextBranch = 0;
  private model: string;
  private sampling: Sampling;
  private attempts: number;
  private started = false;
  private commands: Promise<void> = Promise.resolve();
  private lastFinished?: FlowFinishedEvent;

  constructor(
    private readonly deps: EngineDeps,
    private readonly spec: RunSpec,
  ) {
    this.now = deps.now ?? (() => performance.now());
    this.t0 = this.now();
    this.breakpoints = new Set(spec.breakpoints ?? []);
    this.stepping = spec.pauseAtStart ?? false;
    this.model = spec.model;
    this.sampling = { ...spec.sampling };
    this.attempts = spec.attempts;
  }

  /** Subscribe to every event; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Emit the session header and run branch 0. Resolves when that branch's flow finishes (or is superseded). */
  async start(): Promise<void> {
    if (this.started) throw new Error('engine already started');
    this.started = true;
    const identity = this.deps.models.get(this.model).identity;
    this.emit({
      type: 'session_started',
      formatVersion: SESSION_FORMAT_VERSION,
      slotbenchVersion: this.spec.slotbenchVersion,
      sessionId: this.spec.sessionId,
      startedAt: new Date().toISOString(),
      flow: this.spec.flow.name,
      task: this.spec.task.ref,
      model: { ...identity },
      sampling: this.sampling,
      attempts: this.attempts,
      ...(this.spec.label ? { label: this.spec.label } : {}),
      ...(this.spec.derivedFrom ? { derivedFrom: this.spec.derivedFrom } : {}),
      ...(this.spec.mode ? { mode: this.spec.mode } : {}),
    });
    const gateWarning = this.deps.gate.warning;
    if (gateWarning) this.emit({ type: 'note', level: 'warn', message: gateWarning });
    await this.launch([], undefined).done;
  }

  /** Resolves once no flow execution is running (finished, or waiting paused). */
  async idle(): Promise<void> {
    await this.commands;
    for (;;) {
      const running = this.current;
      if (!running) return;
      await running.done;
      await this.commands;
      if (this.current === running) return;
    }
  }

  /** The last branch's end, if it ended. */
  get finished(): FlowFinishedEvent | undefined {
    return this.lastFinished;
  }

  /** True while the engine waits before a slot. */
  get paused(): boolean {
    return this.resume !== undefined;
  }

  /** Run the next slot, then pause again. */
  step(): void {
    this.stepping = true;
    this.release(false);
  }

  /** Run until the flow ends or a breakpoint. */
  continue(): void {
    this.stepping = false;
    this.release(false);
  }

  /** Pause before the next slot. */
  pause(): void {
    this.stepping = true;
  }

  toggleBreakpoint(slotName: string): boolean {
    if (this.breakpoints.has(slotName)) this.breakpoints.delete(slotName);
    else this.breakpoints.add(slotName);
    return this.breakpoints.has(slotName);
  }

  get breakpointNames(): string[] {
    return [...this.breakpoints];
  }

  /** Abort the slot streaming now (the flow then ends as aborted; re-run it to branch). */
  abortSlot(): void {
    this.current?.slotAbort?.abort();
  }

  /** Change the model, sampling or retry budget for the slots that follow. */
  configure(change: { model?: string; sampling?: Partial<Sampling>; attempts?: number }): void {
    if (change.model !== undefined) {
      this.deps.models.get(change.model);
      this.model = change.model;
    }
    if (change.sampling) this.sampling = { ...this.sampling, ...change.sampling };
    if (change.attempts !== undefined) this.attempts = change.attempts;
    this.emit({ type: 'settings_changed', model: this.model, sampling: this.sampling, attempts: this.attempts });
  }

  get settings(): { model: string; sampling: Sampling; attempts: number } {
    return { model: this.model, sampling: { ...this.sampling }, attempts: this.attempts };
  }

  /**
   * Re-run a finished slot with overrides as a new branch: earlier steps are replayed from the record,
   * the slot runs live with the overrides, and the flow goes on from there. Returns at once.
   */
  rerunSlot(slotId: string, overrides: SlotOverrides = {}): void {
    const found = this.findSlot(slotId);
    if (!found) throw new Error(`no finished slot ${slotId} to re-run`);
    if (overrides.model !== undefined) this.deps.models.get(overrides.model);
    this.enqueue(async () => {
      await this.supersedeCurrent();
      const prefix = found.execution.steps.slice(0, found.index);
      const parentBranchId = found.execution.branchId;
      const branchId = ++this.nextBranch;
      this.emit({
        type: 'branch',
        branchId,
        parentBranchId,
        fromSlotId: slotId,
        fromOrdinal: prefix.filter((s) => s.kind === 'slot').length,
        overrides,
      });
      this.launch(prefix, overrides, branchId);
    });
  }

  /** Stop the running branch wherever it is (slot, gate or pause); it finishes with verdict `aborted`. */
  interrupt(reason: string): void {
    const running = this.current;
    if (!running || running.cancel.signal.aborted) return;
    running.interrupted = reason;
    running.cancel.abort();
    this.release(true);
  }

  /** Stop everything (quit): the running flow unwinds, nothing more is emitted after its last event. */
  async shutdown(): Promise<void> {
    this.enqueue(() => this.supersedeCurrent());
    await this.commands;
  }

  private enqueue(command: () => Promise<void>): void {
    this.commands = this.commands.then(command).catch((error) => {
      this.emit({ type: 'note', level: 'warn', message: oneLine(error) });
    });
  }

  private async supersedeCurrent(): Promise<void> {
    const running = this.current;
    if (!running) return;
    running.cancel.abort();
    this.release(true);
    await running.done;
  }

  private findSlot(slotId: string): { execution: Execution; index: number } | undefined {
    for (const execution of this.executions.values()) {
      const index = execution.steps.findIndex((s) => s.kind === 'slot' && s.slotId === slotId);
      if (index >= 0) return { execution, index };
    }
    return undefined;
  }

  private release(cancelled: boolean): void {
    const resume = this.resume;
    this.resume = undefined;
    resume?.(cancelled);
  }

  private launch(prefix: StepRecord[], overrides: SlotOverrides | undefined, branchId = 0): Execution {
    const execution: Execution = {
      branchId,
      prefix,
      steps: [],
      branchOverrides: overrides,
      cancel: new AbortController(),
      gatesAfterBranch: 0,
      done: Promise.resolve(),
    };
    this.executions.set(branchId, execution);
    this.current = execution;
    execution.done = this.execute(execution).finally(() => {
      if (this.current === execution) this.current = undefined;
    });
    return execution;
  }

  private replaying(execution: Execution): boolean {
    return execution.steps.length < execution.prefix.length;
  }

  private async execute(execution: Execution): Promise<void> {
    const started = this.now();
    this.emit({ type: 'flow_started', flow: this.spec.flow.name, branchId: execution.branchId });
    let result: FlowResult;
    try {
      result = await this.spec.flow.run(this.context(execution));
    } catch (error) {
      if (error instanceof Superseded && execution.interrupted) result = { verdict: 'aborted', reason: execution.interrupted };
      else if (error instanceof Superseded) return;
      else if (error instanceof FirstGateReached) result = error.result;
      else result = { verdict: 'error', reason: oneLine(error) };
    }
    const finished: Omit<FlowFinishedEvent, 't'> = {
      type: 'flow_finished',
      verdict: result.verdict,
      reason: result.reason,
      branchId: execution.branchId,
      attempts: Math.max(0, ...execution.steps.map((s) => (s.kind === 'slot' ? s.attempt : 0))),
      durationMs: Math.round(this.now() - started),
    };
    this.emit(finished);
    // emit() stamped `t` on this very object.
    this.lastFinished = finished as FlowFinishedEvent;
  }

  private context(execution: Execution): FlowContext {
    const engine = this;
    return {
      task: this.spec.task,
      get attempts() {
        return engine.attempts;
      },
      parser: this.deps.parser,
      slot: (spec) => this.runSlot(execution, spec),
      gate: (slotId, attempt, run) => this.runGate(execution, slotId, attempt, run),
      emit: (event) => {
        if (!this.replaying(execution) && !execution.cancel.signal.aborted) this.emit(event);
      },
    };
  }

  private async runSlot(execution: Execution, spec: SlotSpec): Promise<SlotOutcome> {
    const ordinal = execution.steps.filter((s) => s.kind === 'slot').length;
    if (this.replaying(execution)) {
      const recorded = execution.prefix[execution.steps.length];
      if (recorded.kind !== 'slot' || recorded.name !== spec.name) {
        throw new Error(`flow is not deterministic: replay expected ${describe(recorded)}, flow asked for slot ${spec.name}`);
      }
      execution.steps.push(recorded);
      return recorded.outcome;
    }
    const isBranchPoint = execution.steps.length === execution.prefix.length && execution.branchOverrides !== undefined;
    const overrides = isBranchPoint ? execution.branchOverrides! : {};
    if (!isBranchPoint) await this.maybePause(execution, spec.name, ordinal);

    const slotId = `s${this.nextSlot++}`;
    const modelName = overrides.model ?? this.model;
    const model = this.deps.models.get(modelName);
    const sampling = applyOverrides({ ...this.sampling, ...spec.sampling }, overrides);
    const request = { prompt: overrides.prompt ?? spec.prompt, sampling };
    this.emit({
      type: 'slot_started',
      slotId,
      name: spec.name,
      ordinal,
      attempt: spec.attempt,
      branchId: execution.branchId,
      ...(spec.repairOf ? { repairOf: spec.repairOf } : {}),
    });
    this.emit({ type: 'prompt_built', slotId, model: modelName, api: model.api, request });

    const slotAbort = new AbortController();
    execution.slotAbort = slotAbort;
    const onCancel = () => slotAbort.abort();
    execution.cancel.signal.addEventListener('abort', onCancel);
    const started = this.now();
    let tokenCount = 0;
    let outcome: SlotOutcome;
    try {
      const completion = await model.generate(request, {
        signal: slotAbort.signal,
        slot: { name: spec.name, ordinal, attempt: spec.attempt },
        onToken: (token) => {
          tokenCount++;
          const event: Omit<TokenEvent, 't'> = { type: 'token', slotId, text: token.text };
          if (token.logprob !== undefined) event.logprob = token.logprob;
          if (token.top) event.top = token.top;
          this.emit(event);
        },
        onNotice: (message) => this.emit({ type: 'note', level: 'info', message }),
      });
      this.emit({
        type: 'slot_output',
        slotId,
        text: completion.text,
        tokenCount: completion.tokenCount,
        stopType: completion.stopType,
        ...(completion.stoppingWord ? { stoppingWord: completion.stoppingWord } : {}),
        ...(completion.timings ? { timings: completion.timings } : {}),
        ...(completion.tokensCached !== undefined ? { tokensCached: completion.tokensCached } : {}),
        ...(completion.generationSettings ? { generationSettings: completion.generationSettings } : {}),
        ...(completion.idSlot !== undefined ? { idSlot: completion.idSlot } : {}),
        durationMs: Math.round(this.now() - started),
      });
      outcome = { ok: true, slotId, text: completion.text, completion };
    } catch (error) {
      if (execution.cancel.signal.aborted) throw new Superseded();
      const code = slotAbort.signal.aborted ? 'aborted' : ((error as { code?: string }).code ?? 'error');
      const message = code === 'aborted' ? `slot ${spec.name} aborted after ${tokenCount} tokens` : oneLine(error);
      this.emit({ type: 'slot_error', slotId, code, message, tokenCount });
      this.emit({ type: 'slot_result', slotId, status: code === 'aborted' ? 'aborted' : 'error' });
      outcome = { ok: false, slotId, code, message };
    } finally {
      execution.cancel.signal.removeEventListener('abort', onCancel);
      execution.slotAbort = undefined;
    }
    if (execution.cancel.signal.aborted) throw new Superseded();
    execution.steps.push({ kind: 'slot', slotId, name: spec.name, attempt: spec.attempt, outcome });
    return outcome;
  }

  private async runGate(execution: Execution, slotId: string, attempt: number, run: GateRequest): Promise<TestRunInfo> {
    if (this.replaying(execution)) {
      const recorded = execution.prefix[execution.steps.length];
      if (recorded.kind !== 'gate') {
        throw new Error(`flow is not deterministic: replay expected ${describe(recorded)}, flow asked for the gate`);
      }
      execution.steps.push(recorded);
      return recorded.result;
    }
    const gateId = `g${this.nextGate++}`;
    this.emit({ type: 'test_started', gateId, slotId, attempt, branchId: execution.branchId });
    let result: TestRunInfo;
    try {
      result = await this.deps.gate.run({ judge: 'oracle', ...run, timeoutMs: this.spec.gateTimeoutMs, signal: execution.cancel.signal });
    } catch (error) {
      if (execution.cancel.signal.aborted) throw new Superseded();
      throw error;
    }
    if (execution.cancel.signal.aborted) throw new Superseded();
    this.emit({ type: 'test_run', gateId, slotId, ...result });
    execution.steps.push({ kind: 'gate', result });
    execution.gatesAfterBranch++;
    if (this.spec.stopAtFirstGate) {
      throw new FirstGateReached({ verdict: result.verdict, reason: `sample gated: ${result.verdict}` });
    }
    return result;
  }

  private async maybePause(execution: Execution, slotName: string, ordinal: number): Promise<void> {
    let reason: StopReason | undefined;
    if (this.breakpoints.has(slotName)) reason = 'breakpoint';
    if (this.stepping) reason = ordinal === 0 && execution.branchId === 0 ? 'entry' : 'step';
    if (!reason) return;
    const cancelled = await new Promise<boolean>((resolve) => {
      this.resume = resolve;
      this.emit({ type: 'slot_stopped', reason: reason!, slotName, ordinal, branchId: execution.branchId });
    });
    if (cancelled || execution.cancel.signal.aborted) throw new Superseded();
  }

  private elapsed(): number {
    return Math.round((this.now() - this.t0) * 1000) / 1000;
  }

  private emit(event: UnstampedEvent): void {
    // Stamped in place: events are built fresh by the caller, and a copy per token would double the hot path.
    const stamped = event as SlotbenchEvent;
    stamped.t = this.elapsed();
    for (const listener of this.listeners) listener(stamped);
  }
}

class FirstGateReached extends Error {
  constructor(readonly result: FlowResult) {
    super(result.reason);
  }
}

function describe(step: StepRecord | undefined): string {
  if (!step) return 'nothing';
  return step.kind === 'slot' ? `slot ${step.name}` : 'the gate';
}
