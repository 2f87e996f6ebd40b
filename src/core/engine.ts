// The flow engine: runs a flow program, pauses before slots, branches on re-run; everything it does is an event.

import type { FlowFinishedEvent, SlotbenchEvent, TestRunInfo, UnstampedEvent } from './events.js';
import { oneLine } from './errors.js';
import { atBranchPoint, newExecution, replaying, replayStep, slotCount, Superseded, type Execution, type StepRecord } from './execution.js';
import { sessionHeader } from './header.js';
import { resolveFlowOptions, type FlowContext, type FlowDefinition, type FlowResult, type GateRequest, type SlotOutcome, type SlotSpec } from './flow.js';
import type { CodeParser, GatePort, ModelRegistry } from './ports.js';
import type { Sampling, SlotOverrides } from './sampling.js';
import { callModel, slotRequest } from './slot-call.js';
import { Stepper } from './stepper.js';
import type { Task } from './task.js';

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
  /** Options of the flow (`repair: 'off'`), checked against the flow's list when the engine is made. */
  flowOptions?: Record<string, string>;
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
   * Overrides the first branch applies at given calls, as recorded branches did (a rerun of a branch re-walks its
   * branch points in one run).
   */
  overridesAt?: { ordinal: number; overrides: SlotOverrides }[];
  /** Pause before this call of the first branch (a resumed session: where the recording stops answering). */
  pauseAtOrdinal?: number;
}

type Listener = (event: SlotbenchEvent) => void;

export class FlowEngine {
  private readonly listeners: Listener[] = [];
  private readonly now: () => number;
  private readonly t0: number;
  private readonly stepper: Stepper;
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
  /** Every option of the flow, defaults filled in. */
  private readonly flowOptions: Readonly<Record<string, string>>;
  /** Set by a person while a slot waits; applies to that call only. */
  private nextOverrides?: SlotOverrides;
  /** While a slot waits: announces the pause again, with the request as a change just left it. */
  private announceStop?: () => void;

  constructor(
    private readonly deps: EngineDeps,
    private readonly spec: RunSpec,
  ) {
    this.now = deps.now ?? (() => performance.now());
    this.t0 = this.now();
    this.stepper = new Stepper(spec.pauseAtStart ?? false, spec.breakpoints ?? []);
    this.flowOptions = resolveFlowOptions(spec.flow, spec.flowOptions ?? {});
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
    this.emit(
      sessionHeader({
        sessionId: this.spec.sessionId,
        slotbenchVersion: this.spec.slotbenchVersion,
        flow: this.spec.flow.name,
        flowOptions: this.spec.flowOptions,
        task: this.spec.task.ref,
        model: this.deps.models.get(this.model).identity,
        sampling: this.sampling,
        attempts: this.attempts,
        label: this.spec.label,
        derivedFrom: this.spec.derivedFrom,
        mode: this.spec.mode,
      }),
    );
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
    return this.stepper.paused;
  }

  /** Run the next slot, then pause again. */
  step(): void {
    this.stepper.step();
  }

  /** Run until the flow ends or a breakpoint. */
  continue(): void {
    this.stepper.continue();
  }

  /** Pause before the next slot. */
  pause(): void {
    this.stepper.pause();
  }

  toggleBreakpoint(slotName: string): boolean {
    return this.stepper.toggleBreakpoint(slotName);
  }

  get breakpointNames(): string[] {
    return this.stepper.breakpointNames;
  }

  /**
   * Change the request of the slot the engine waits before (an edited prompt, another temperature or model), for
   * that one call; recorded with the slot when it runs.
   */
  overrideNext(overrides: SlotOverrides): void {
    if (!this.stepper.paused) throw new Error('no slot is waiting to run');
    if (overrides.model !== undefined) this.deps.models.get(overrides.model);
    this.nextOverrides = { ...this.nextOverrides, ...overrides };
    this.announceStop?.();
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
    // The waiting call will go out with the new settings: the pause says so, so what is shown is what is sent.
    this.announceStop?.();
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
    this.stepper.release(true);
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
    this.stepper.release(true);
    await running.done;
  }

  private findSlot(slotId: string): { execution: Execution; index: number } | undefined {
    for (const execution of this.executions.values()) {
      const index = execution.steps.findIndex((s) => s.kind === 'slot' && s.slotId === slotId);
      if (index >= 0) return { execution, index };
    }
    return undefined;
  }

  private launch(prefix: StepRecord[], overrides: SlotOverrides | undefined, branchId = 0): Execution {
    const execution = newExecution(branchId, prefix, overrides);
    this.executions.set(branchId, execution);
    this.current = execution;
    execution.done = this.execute(execution).finally(() => {
      if (this.current === execution) this.current = undefined;
    });
    return execution;
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
      options: this.flowOptions,
      slot: (spec) => this.runSlot(execution, spec),
      gate: (slotId, attempt, run) => this.runGate(execution, slotId, attempt, run),
      emit: (event) => {
        if (!replaying(execution) && !execution.cancel.signal.aborted) this.emit(event);
      },
    };
  }

  private async runSlot(execution: Execution, spec: SlotSpec): Promise<SlotOutcome> {
    if (replaying(execution)) return replayStep(execution, 'slot', spec.name).outcome;
    const ordinal = slotCount(execution);
    const branchPoint = atBranchPoint(execution);
    const planned = execution.branchId === 0 ? this.spec.overridesAt?.find((o) => o.ordinal === ordinal)?.overrides : undefined;
    const base = branchPoint ? execution.branchOverrides! : (planned ?? {});
    if (!branchPoint) await this.maybePause(execution, spec, ordinal, base);
    const personal = this.nextOverrides;
    this.nextOverrides = undefined;
    const slotId = `s${this.nextSlot++}`;
    const io = { models: this.deps.models, emit: (event: UnstampedEvent) => this.emit(event), now: this.now };
    const overrides = { ...base, ...personal };
    const call = { slotId, task: this.spec.task.ref.id, ordinal, model: this.model, sampling: this.sampling, overrides, ...(personal ? { personal } : {}) };
    const outcome = await callModel(io, execution, spec, call);
    execution.steps.push({ kind: 'slot', slotId, name: spec.name, attempt: spec.attempt, outcome });
    return outcome;
  }

  private async runGate(execution: Execution, slotId: string, attempt: number, run: GateRequest): Promise<TestRunInfo> {
    if (replaying(execution)) return replayStep(execution, 'gate').result;
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
    return result;
  }

  private async maybePause(execution: Execution, spec: SlotSpec, ordinal: number, overrides: SlotOverrides): Promise<void> {
    const entry = ordinal === 0 && execution.branchId === 0;
    const resumePoint = execution.branchId === 0 && ordinal === this.spec.pauseAtOrdinal;
    const cancelled = await this.stepper.beforeSlot(spec.name, { entry, resumePoint }, (reason) => {
      this.announceStop = () => {
        const personal = this.nextOverrides;
        const pending = { ...overrides, ...personal };
        this.emit({
          type: 'slot_stopped',
          reason,
          slotName: spec.name,
          ordinal,
          branchId: execution.branchId,
          request: slotRequest(spec, this.sampling, pending),
          model: pending.model ?? this.model,
          ...(personal ? { overrides: personal } : {}),
        });
      };
      this.announceStop();
    });
    this.announceStop = undefined;
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
