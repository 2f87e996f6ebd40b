// Runs a probe: one flow engine per sample, at most `parallel` at once, merged into one session's event stream.

import { oneLine } from '../core/errors.js';
import type { SlotbenchEvent, UnstampedEvent } from '../core/events.js';
import { sessionHeader } from '../core/header.js';
import type { CodeParser, GatePort, ModelRegistry } from '../core/ports.js';
import { endAtFirstGate } from '../flows/first-gate.js';
import { ReplayModel } from '../model/replay.js';
import { runPool } from '../runner/pool.js';
import { prepareRun, type PreparedRun } from '../runner/task-run.js';
import { abortableGate, abortableModels } from './abortable.js';
import { checkPlan, plannedSamples, probedOrdinal, type PlannedSample, type ProbePlan } from './plan.js';
import { sampleModels } from './sample-models.js';
import { SampleStream } from './sample-stream.js';

export interface ProbeDeps {
  models: ModelRegistry;
  gate: GatePort;
  parser: CodeParser;
  /** Milliseconds, monotonic; injectable for tests. */
  now?: () => number;
}

type Listener = (event: SlotbenchEvent) => void;

/**
 * A probe in progress. Subscribe with `on` before `run`; every event is one of the session's, with each sample's
 * slot and gate ids prefixed (`p3.s1`) and its own branch, so the stream is a session like any other.
 */
export class ProbeRunner {
  private readonly listeners: Listener[] = [];
  private readonly now: () => number;
  private readonly t0: number;
  private readonly stop = new AbortController();
  /** What every sample engine runs against: the shared model, gate and parser, cut short by `stop`. */
  private readonly sampleDeps: ProbeDeps;
  /** The origin run's answers before the probed slot, shared by every sample. */
  private readonly replay?: ReplayModel;
  private stopped?: string;

  constructor(
    private readonly deps: ProbeDeps,
    readonly plan: ProbePlan,
  ) {
    checkPlan(plan);
    deps.models.get(plan.model);
    this.now = deps.now ?? (() => performance.now());
    this.t0 = this.now();
    this.sampleDeps = {
      models: abortableModels(deps.models, this.stop.signal),
      gate: abortableGate(deps.gate, this.stop.signal),
      parser: deps.parser,
      ...(deps.now ? { now: deps.now } : {}),
    };
    if (plan.origin) this.replay = new ReplayModel(plan.origin.source, { branch: plan.origin.branchId });
  }

  on(listener: Listener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Stop: running samples are aborted (and recorded as such), samples not started are recorded as not run. */
  abort(reason = 'probe aborted'): void {
    this.stopped ??= reason;
    this.stop.abort();
  }

  /** Why the probe stopped before running every sample (interrupted, or the model went away). */
  get stopReason(): string | undefined {
    return this.stopped;
  }

  /** Run every sample; resolves once each has ended or been marked not run. */
  async run(): Promise<void> {
    this.header();
    const { notRun, stopReason } = await runPool(plannedSamples(this.plan), (sample) => this.runSample(sample), {
      concurrency: this.plan.parallel,
      signal: this.stop.signal,
      healthCheck: () => this.checkModel(),
    });
    if (stopReason !== undefined) this.stopped ??= stopReason;
    for (const sample of notRun) this.notRun(sample);
  }

  private header(): void {
    const { plan } = this;
    const identity = this.deps.models.get(plan.model).identity;
    const derivedFrom = plan.derivedFrom ?? plan.origin?.source.header.sessionId;
    this.emit(
      sessionHeader({
        sessionId: plan.sessionId,
        slotbenchVersion: plan.slotbenchVersion,
        flow: plan.flow.name,
        task: plan.task.ref,
        model: identity,
        // The flow's own settings: each sample's branch event carries its temperature and seed.
        sampling: plan.sampling,
        attempts: plan.attempts ?? 1,
        label: plan.label,
        derivedFrom,
        mode: 'probe',
      }),
    );
    const from = plan.origin ? ` at call #${plan.origin.ordinal} of branch ${plan.origin.branchId} of session ${derivedFrom}` : '';
    this.emit({
      type: 'note',
      level: 'info',
      message:
        `probe: slot ${plan.slot}${from}, ${plan.n} samples at T=${plan.temperatures.join(', ')}, ` +
        `seeds ${plan.seedBase}–${plan.seedBase + plan.n - 1}, ${plan.parallel} at a time`,
    });
    if (this.deps.gate.warning) this.emit({ type: 'note', level: 'warn', message: this.deps.gate.warning });
  }

  /** One sample: its own run over the shared model, gate and parser; says whether the model call itself failed. */
  private async runSample(sample: PlannedSample): Promise<{ failedOnModel: boolean }> {
    const { plan } = this;
    const done = new AbortController();
    let prepared: PreparedRun | undefined;
    const stream = new SampleStream(sample, {
      ordinal: probedOrdinal(plan),
      slot: plan.slot,
      emit: (event) => this.emit(event),
      onDecided: () => {
        done.abort();
        void prepared?.engine.shutdown();
      },
    });
    const routing = { ordinal: probedOrdinal(plan), overrides: sample.overrides, done: done.signal, ...(this.replay ? { replay: this.replay } : {}) };
    prepared = prepareRun({
      task: plan.task,
      // From the flow's start the first gate is the sample's; after a replayed prefix the stream tells which is.
      flow: plan.origin === undefined ? endAtFirstGate(plan.flow) : plan.flow,
      models: sampleModels(this.sampleDeps.models, routing),
      model: plan.model,
      sampling: plan.sampling,
      attempts: plan.attempts ?? 1,
      gateTimeoutMs: plan.gateTimeoutMs,
      tools: { gate: this.sampleDeps.gate, parser: this.sampleDeps.parser },
      sessionId: plan.sessionId,
      mode: 'probe',
      label: plan.label,
      sinks: [(event) => stream.accept(event, this.stop.signal.aborted)],
      ...(this.deps.now ? { now: this.deps.now } : {}),
    });
    stream.begin();
    try {
      await prepared.start();
    } catch (error) {
      stream.finish('error', oneLine(error));
    }
    stream.finish('aborted', this.stopped ?? 'the sample ended without a verdict');
    return { failedOnModel: stream.failedOnModel };
  }

  /** A sample failed in the model call: the reason to launch nothing more if the model is gone. */
  private async checkModel(): Promise<string | undefined> {
    try {
      const info = await this.deps.models.get(this.plan.model).info();
      return info.healthy ? undefined : `model ${this.plan.model} stopped answering: ${info.status}`;
    } catch (error) {
      return `model ${this.plan.model} failed its health check: ${oneLine(error)}`;
    }
  }

  /** A planned sample that never started still gets its branch, so the session says what became of every sample. */
  private notRun(sample: PlannedSample): void {
    const { plan } = this;
    const stream = new SampleStream(sample, { ordinal: probedOrdinal(plan), slot: plan.slot, emit: (e) => this.emit(e), onDecided: () => {} });
    stream.begin();
    stream.finish('aborted', `not run: ${this.stopped ?? 'probe stopped'}`);
  }

  private emit(event: UnstampedEvent | SlotbenchEvent): void {
    // Restamped on the probe's clock: each sample engine counts from its own start.
    const stamped = event as SlotbenchEvent;
    stamped.t = Math.round((this.now() - this.t0) * 1000) / 1000;
    for (const listener of this.listeners) listener(stamped);
  }
}
