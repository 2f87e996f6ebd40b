// One sample's engine events made part of the probe's session: its own branch, ids prefixed, ended by its verdict.

import type { FlowFinishedEvent, SlotbenchEvent, UnstampedEvent, Verdict } from '../core/events.js';
import { applyOverrides } from '../core/sampling.js';
import type { PlannedSample } from './plan.js';

type Emit = (event: UnstampedEvent | SlotbenchEvent) => void;

/** Fields that name a slot or a gate: each sample engine counts them from 1, so they get the sample's prefix. */
const ID_FIELDS = ['slotId', 'gateId', 'repairOf', 'fromSlotId'] as const;

export interface SampleStreamOptions {
  /** Position and name of the probed slot among the sample's model calls. */
  ordinal: number;
  slot: string;
  emit: Emit;
  /** Called once the sample has its verdict (its gate, or its end): the runner stops its engine. */
  onDecided: () => void;
}

/**
 * The sample's verdict is the first gate on the probed slot's code: a gate on a slot at or after it, or on the slot
 * it repairs (a re-indent probe). Earlier gates belong to the replayed prefix.
 */
export class SampleStream {
  private readonly prefix: string;
  private readonly started = performance.now();
  /** Engine slot ids → ordinals, to tell prefix gates from the decisive one. */
  private readonly ordinals = new Map<string, number>();
  private probedSlot?: string;
  private probedRepairs?: string;
  private finished = false;
  /** Latest flow attempt the sample reached. */
  private attempts = 0;
  /** The model call itself failed (not aborted): the probe then asks whether the model is still there. */
  failedOnModel = false;

  constructor(
    private readonly sample: PlannedSample,
    private readonly options: SampleStreamOptions,
  ) {
    this.prefix = `p${sample.branchId}.`;
  }

  /** The branch event: which overrides this sample runs with, and from which call. */
  begin(): void {
    this.options.emit({
      type: 'branch',
      branchId: this.sample.branchId,
      parentBranchId: 0,
      // Each sample engine numbers its calls s1, s2, … in order, so the probed call is s<ordinal+1>.
      fromSlotId: `${this.prefix}s${this.options.ordinal + 1}`,
      fromOrdinal: this.options.ordinal,
      overrides: { ...this.sample.overrides },
    });
  }

  /** Take one engine event; `stopping` says the probe is being aborted. Events are rewritten in place (hot path). */
  accept(event: SlotbenchEvent, stopping: boolean): void {
    if (event.type === 'session_started' || this.finished) return;
    const unexpected = event.type === 'slot_started' && this.slotStarted(event.slotId, event.name, event.ordinal, event.repairOf);
    // The engine built the probed request with the flow's settings; the sample sent it with its overrides.
    if (event.type === 'prompt_built' && event.slotId === this.probedSlot) {
      event.request = { ...event.request, sampling: applyOverrides(event.request.sampling, this.sample.overrides) };
    }
    const decisive = event.type === 'test_run' && this.isDecisive(event.slotId);
    if (event.type === 'slot_error' && event.code !== 'aborted') this.failedOnModel = true;
    if (event.type === 'slot_started') this.attempts = Math.max(this.attempts, event.attempt);
    if (event.type === 'flow_finished' && stopping && event.verdict === 'error') {
      // A gate cut short by the stop signal ends the flow as an error; it was an abort.
      event.verdict = 'aborted';
      event.reason = 'probe aborted while the sample ran';
    }
    this.rewriteIds(event);
    this.options.emit(event);
    if (unexpected && event.type === 'slot_started') {
      this.finish('error', `the flow asked for slot ${event.name} at call #${event.ordinal}, not ${this.options.slot}: probe the slot it asks there`);
    } else if (decisive && event.type === 'test_run') {
      this.finish(event.verdict, `sample gated: ${event.verdict}`);
    } else if (event.type === 'flow_finished') this.end();
  }

  /** End the branch if nothing else did (it was stopped, or its engine threw). */
  finish(verdict: Verdict, reason: string): void {
    if (this.finished) return;
    const end: Omit<FlowFinishedEvent, 't'> = {
      type: 'flow_finished',
      verdict,
      reason,
      branchId: this.sample.branchId,
      attempts: this.attempts,
      durationMs: Math.round(performance.now() - this.started),
    };
    this.options.emit(end);
    this.end();
  }

  private end(): void {
    this.finished = true;
    this.options.onDecided();
  }

  /** Note a started slot; true when it is at the probed call but is not the probed slot (the flow went elsewhere). */
  private slotStarted(slotId: string, name: string, ordinal: number, repairOf?: string): boolean {
    this.ordinals.set(slotId, ordinal);
    if (ordinal !== this.options.ordinal) return false;
    this.probedSlot = slotId;
    this.probedRepairs = repairOf;
    return name !== this.options.slot;
  }

  private isDecisive(engineSlotId: string): boolean {
    if (this.probedSlot === undefined) return false;
    return (this.ordinals.get(engineSlotId) ?? -1) >= this.options.ordinal || engineSlotId === this.probedRepairs;
  }

  private rewriteIds(event: SlotbenchEvent): void {
    const fields = event as unknown as Record<string, unknown>;
    for (const field of ID_FIELDS) {
      const value = fields[field];
      if (typeof value === 'string') fields[field] = this.prefix + value;
    }
    if ('branchId' in event) event.branchId = this.sample.branchId;
  }
}
