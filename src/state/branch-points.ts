// The overrides a recorded branch applied along its way, so one new run can walk the same path (rerun, resume).

import type { SlotOverrides } from '../core/sampling.js';
import type { RunState } from './run-state.js';
import { branchLineage, branchSlots } from './selectors.js';

/** Overrides at given calls of one run, in the shape the engine's `overridesAt` takes. */
export type OverridesAt = { ordinal: number; overrides: SlotOverrides }[];

/**
 * The overrides the recorded branch applied along the way: at each branch point of its lineage, and wherever a person
 * changed a call while it waited. One run with them walks the same path.
 */
export function branchPoints(state: RunState, branch: number): OverridesAt {
  const points = new Map<number, SlotOverrides>();
  for (const id of branchLineage(state, branch)) {
    const from = state.branches.get(id);
    if (from?.fromSlotId === undefined || from.overrides === undefined) continue;
    points.set(state.slots.get(from.fromSlotId)?.ordinal ?? 0, from.overrides);
  }
  for (const slot of branchSlots(state, branch)) {
    if (slot.overrides) points.set(slot.ordinal, { ...points.get(slot.ordinal), ...slot.overrides });
  }
  return [...points].map(([ordinal, overrides]) => ({ ordinal, overrides }));
}
