// What a probe is asked to do, checked before anything runs: bad input is a one-line UserError naming the option.

import { UserError } from '../core/errors.js';
import type { FlowDefinition } from '../core/flow.js';
import type { ModelInfo, ModelPort } from '../core/ports.js';
import type { Task } from '../core/task.js';
import type { Sampling, SlotOverrides } from '../core/sampling.js';
import type { SessionLike } from '../session/recorded.js';

/**
 * Where a probe starts when it is not the flow's start: a point of a recorded (or paused) run. Each sample replays
 * that branch's model answers before `ordinal` (real gate and parser, so the flow's state is rebuilt), then asks.
 */
export interface ProbeOrigin {
  /** The run so far, header first (a loaded session, or the workbench's events). */
  source: SessionLike;
  /** Branch of the source whose state the probe continues. */
  branchId: number;
  /** Position of the probed slot among that branch's model calls. */
  ordinal: number;
}

/** Everything that defines a probe; recorded in its session's header and notes. */
export interface ProbePlan {
  sessionId: string;
  slotbenchVersion: string;
  flow: FlowDefinition;
  task: Task;
  /** Slot asked again and again: the flow's first, or (with `origin`) the one at the origin's ordinal. */
  slot: string;
  /** Configured model name. */
  model: string;
  /** Sampling the flow runs with; each sample overrides temperature and seed. */
  sampling: Sampling;
  /** One probe per temperature (compare mode when several). */
  temperatures: number[];
  /** Samples per temperature. */
  n: number;
  /** Sample i gets seed `seedBase + i`, the same at every temperature, so compare mode pairs samples. */
  seedBase: number;
  /** Samples run at once: never more than the model serves. */
  parallel: number;
  gateTimeoutMs: number;
  /** Retry budget of each sample's flow (default 1; a probe from an origin needs the run's, to reach later attempts). */
  attempts?: number;
  /** Absent: the probe asks the flow's first slot from the start. */
  origin?: ProbeOrigin;
  /** Set when the model is a test double, so nobody mistakes the probe for a real model's. */
  label?: string;
  /** Session the probe comes from (default: the origin's). */
  derivedFrom?: string;
}

/** Position of the probed slot among a sample's model calls. */
export function probedOrdinal(plan: ProbePlan): number {
  return plan.origin?.ordinal ?? 0;
}

/** One planned sample. */
export interface PlannedSample {
  /** Position within its temperature, from 0. */
  index: number;
  /** Session branch of the sample (1, 2, …; 0 is the flow the probe branches from). */
  branchId: number;
  overrides: Required<Pick<SlotOverrides, 'temperature' | 'seed'>>;
}

export function plannedSamples(plan: ProbePlan): PlannedSample[] {
  return plan.temperatures.flatMap((temperature, t) =>
    Array.from({ length: plan.n }, (_, index) => ({
      index,
      branchId: t * plan.n + index + 1,
      overrides: { temperature, seed: plan.seedBase + index },
    })),
  );
}

/** Reject a plan a probe cannot run, in the words of the command line. */
export function checkPlan(plan: ProbePlan): void {
  if (!Number.isInteger(plan.n) || plan.n <= 0) throw new UserError(`--n must be an integer ≥ 1, got ${plan.n}`);
  if (plan.temperatures.length === 0) throw new UserError('--temperature needs at least one value');
  for (const t of plan.temperatures) {
    if (!Number.isFinite(t) || t < 0) throw new UserError(`--temperature values must be numbers ≥ 0, got ${t}`);
  }
  if (!Number.isInteger(plan.seedBase) || plan.seedBase < 0) throw new UserError(`--seed-base must be an integer ≥ 0, got ${plan.seedBase}`);
  if (!Number.isInteger(plan.parallel) || plan.parallel < 1) throw new Error(`probe parallelism must be ≥ 1, got ${plan.parallel}`);
  if (plan.origin && (!Number.isInteger(plan.origin.ordinal) || plan.origin.ordinal < 0)) {
    throw new Error(`probe origin ordinal must be an integer ≥ 0, got ${plan.origin.ordinal}`);
  }
  checkSlot(plan.flow, plan.slot, plan.origin === undefined);
}

/** The slot must be one of the flow's and, without an origin, its first: the slots after it need the flow's state. */
export function checkSlot(flow: FlowDefinition, slot: string, fromStart = true): void {
  if (!flow.slots.includes(slot)) {
    throw new UserError(`unknown slot "${slot}" for flow ${flow.name}: its slots are ${flow.slots.join(', ')}`);
  }
  if (fromStart && slot !== flow.slots[0]) {
    throw new UserError(
      `slot "${slot}" runs only after earlier slots of flow ${flow.name}: a headless probe asks its first slot ` +
        `(${flow.slots[0]}); probe "${slot}" from a paused run in the workbench`,
    );
  }
}

/**
 * How many samples run at once: the configured `maxParallel`, else the server's slot count from /props,
 * else what the model port says; never more than the server's slots when it reports them.
 */
export function probeParallelism(model: ModelPort, info: ModelInfo, configured?: number): number {
  const wanted = configured ?? info.totalSlots ?? model.maxParallel;
  const limit = info.totalSlots !== undefined && info.totalSlots > 0 ? Math.min(wanted, info.totalSlots) : wanted;
  return Math.max(1, Math.floor(limit));
}
