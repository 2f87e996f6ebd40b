// One flow execution (branch 0, or a branch re-running a slot): its recorded steps and the silent replay of its prefix.

import type { TestRunInfo } from './events.js';
import type { SlotOutcome } from './flow.js';
import type { SlotOverrides } from './sampling.js';

/** What one step of a flow produced: a model call's outcome or a gate's result. */
export type StepRecord =
  | { kind: 'slot'; slotId: string; name: string; attempt: number; outcome: SlotOutcome }
  | { kind: 'gate'; result: TestRunInfo };

/** Raised inside a superseded execution to unwind its flow program. */
export class Superseded extends Error {}

export interface Execution {
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
  done: Promise<void>;
}

export function newExecution(branchId: number, prefix: StepRecord[], overrides: SlotOverrides | undefined): Execution {
  return { branchId, prefix, steps: [], branchOverrides: overrides, cancel: new AbortController(), done: Promise.resolve() };
}

/** True while the execution is still re-walking its parent's steps. */
export function replaying(execution: Execution): boolean {
  return execution.steps.length < execution.prefix.length;
}

/** True at the first live step of a branch: the re-run slot, which takes the branch's overrides and never pauses. */
export function atBranchPoint(execution: Execution): boolean {
  return execution.steps.length === execution.prefix.length && execution.branchOverrides !== undefined;
}

/** Model calls made so far in this execution (the next call's ordinal). */
export function slotCount(execution: Execution): number {
  return execution.steps.filter((s) => s.kind === 'slot').length;
}

/**
 * The recorded step the flow asks for next while replaying; a flow that asks for anything else is not deterministic.
 */
export function replayStep<K extends StepRecord['kind']>(execution: Execution, kind: K, slotName?: string): Extract<StepRecord, { kind: K }> {
  const recorded = execution.prefix[execution.steps.length];
  const matches = recorded?.kind === kind && (kind !== 'slot' || (recorded.kind === 'slot' && recorded.name === slotName));
  if (!matches) {
    const asked = kind === 'slot' ? `slot ${slotName}` : 'the gate';
    throw new Error(`flow is not deterministic: replay expected ${describe(recorded)}, flow asked for ${asked}`);
  }
  execution.steps.push(recorded);
  return recorded as Extract<StepRecord, { kind: K }>;
}

function describe(step: StepRecord | undefined): string {
  if (!step) return 'nothing';
  return step.kind === 'slot' ? `slot ${step.name}` : 'the gate';
}
