// What a slot or gate amounts to on screen: one status word per step, and which gates a branch can see.

import type { GateView, RunState, SlotView } from '../../state/run-state.js';
import { branchLineage } from '../../state/selectors.js';
import type { StyleName } from './theme.js';

/** The status words the plan, stream and test panes show. */
export type DisplayStatus =
  | 'pending'
  | 'streaming'
  | 'done'
  | 'parsed'
  | 'repaired'
  | 'testing'
  | 'passed'
  | 'failed'
  | 'timed out'
  | 'parse error'
  | 'error'
  | 'aborted';

export const STATUS_STYLE: Record<DisplayStatus, StyleName> = {
  pending: 'status.pending',
  streaming: 'status.streaming',
  done: 'status.parsed',
  parsed: 'status.parsed',
  repaired: 'status.repaired',
  testing: 'status.streaming',
  passed: 'status.passed',
  failed: 'status.failed',
  'timed out': 'status.timeout',
  'parse error': 'status.failed',
  error: 'status.error',
  aborted: 'status.aborted',
};

export function gateStatus(gate: GateView): DisplayStatus {
  if (gate.running) return 'testing';
  return verdictStatus(gate.verdict ?? 'error');
}

/** A gate's or a flow's verdict as the plan shows it. */
export function verdictStatus(verdict: string): DisplayStatus {
  switch (verdict) {
    case 'pass':
      return 'passed';
    case 'fail':
      return 'failed';
    case 'timeout':
      return 'timed out';
    case 'parse_error':
      return 'parse error';
    case 'aborted':
      return 'aborted';
    default:
      return 'error';
  }
}

/**
 * Gates a branch saw: its own, plus each ancestor's from before the point where the branch left it.
 * (Gates are keyed by the slot whose code they test, and an inherited slot can be tested again after a re-run.)
 */
function visibleGates(state: RunState, branchId: number): GateView[] {
  const lineage = branchLineage(state, branchId);
  const cutoff = new Map<number, number>();
  for (let i = 0; i < lineage.length - 1; i++) {
    const child = state.branches.get(lineage[i + 1]);
    const from = child?.fromSlotId ? state.slots.get(child.fromSlotId) : undefined;
    cutoff.set(lineage[i], from ? from.startedT : Infinity);
  }
  return state.gateOrder
    .map((id) => state.gates.get(id)!)
    .filter((gate) => gate.branchId === branchId || (cutoff.has(gate.branchId) && gate.startedT < cutoff.get(gate.branchId)!));
}

/** The gate that judged a slot's code (a re-indent slot is judged through the slot it repaired). */
export function gateOf(state: RunState, slot: SlotView, branchId = slot.branchId): GateView | undefined {
  const target = slot.repairOf ?? slot.id;
  const gates = visibleGates(state, branchId).filter((g) => g.slotId === target && g.startedT >= slot.startedT);
  return gates[gates.length - 1];
}

/** One word for a slot: the gate's verdict once tested, else how far the slot got. */
export function slotStatus(state: RunState, slot: SlotView, branchId = slot.branchId): DisplayStatus {
  if (slot.status === 'streaming') return 'streaming';
  if (slot.status === 'error' || slot.status === 'aborted') return slot.status;
  const gate = gateOf(state, slot, branchId);
  if (gate) return gateStatus(gate);
  if (slot.repairOf) {
    const repaired = state.slots.get(slot.repairOf)?.repair;
    if (repaired && repaired.slotId === slot.id) return repaired.accepted ? 'repaired' : 'failed';
    return 'done';
  }
  if (slot.status === 'parse_error') return 'parse error';
  return slot.status;
}
