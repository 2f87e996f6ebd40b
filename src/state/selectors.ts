// Questions views ask of the run state: the branch being shown, its slots and gates, the verdict, rates.

import type { GateView, RunState, SlotView } from './run-state.js';
import type { ModelRequest, SlotStoppedEvent } from './types.js';
import type { UiState } from './ui-state.js';

/** Branch ids from the root to `branchId`. */
export function branchLineage(state: RunState, branchId: number): number[] {
  const lineage: number[] = [];
  let id: number | undefined = branchId;
  while (id !== undefined) {
    lineage.unshift(id);
    id = state.branches.get(id)?.parentId;
  }
  return lineage;
}

/**
 * The slots that make up a branch as it ran: the parent's slots before the branch point, then its own.
 * A re-run does not repeat the shared prefix, so this is how a branch reads as one complete run.
 */
export function branchSlots(state: RunState, branchId = state.currentBranch): SlotView[] {
  const branch = state.branches.get(branchId);
  const own = state.slotOrder.map((id) => state.slots.get(id)!).filter((s) => s.branchId === branchId);
  if (!branch || branch.parentId === undefined || !branch.fromSlotId) return own;
  const from = state.slots.get(branch.fromSlotId);
  const viewed = new Set(own.map((s) => s.viewOf));
  const inherited = branchSlots(state, branch.parentId).filter(
    (s) => (from === undefined || s.ordinal < from.ordinal) && !viewed.has(s.id),
  );
  return [...inherited, ...own].sort((a, b) => a.ordinal - b.ordinal);
}

export function branchGates(state: RunState, branchId = state.currentBranch): GateView[] {
  const slotIds = new Set(branchSlots(state, branchId).map((s) => s.id));
  return state.gateOrder.map((id) => state.gates.get(id)!).filter((g) => slotIds.has(g.slotId));
}

/** Every execution of the slot at the same ordinal across branches (the "attempts" a re-run leaves behind). */
export function siblings(state: RunState, slot: SlotView): SlotView[] {
  return state.slotOrder
    .map((id) => state.slots.get(id)!)
    .filter((s) => s.ordinal === slot.ordinal && s.name === slot.name && s.viewOf === undefined);
}

/**
 * The branch whose verdict is the session's result: the branch that finished last (a person's latest re-run), else
 * the branch running now. One definition for the index, the status bar, `diff`, `rerun` and result rows.
 */
export function decidingBranch(state: RunState): number {
  let last: { id: number; t: number } | undefined;
  for (const branch of state.branches.values()) {
    const t = branch.finished?.t;
    if (t !== undefined && (!last || t >= last.t)) last = { id: branch.id, t };
  }
  return last?.id ?? state.currentBranch;
}

/** Tokens per second of a slot: the server's figure when done, else measured from the stream. */
export function tokensPerSecond(slot: SlotView): number {
  const server = slot.output?.timings?.predicted_per_second;
  if (server !== undefined && server > 0) return server;
  const elapsed = ((slot.lastTokenT ?? slot.startedT) - slot.startedT) / 1000;
  return elapsed > 0 ? slot.tokenCount / elapsed : 0;
}

/** The slot the panes show: the one picked in the plan, else the live one, else the branch's last. */
export function shownSlot(run: RunState, ui: Pick<UiState, 'selectedSlot'>): SlotView | undefined {
  const picked = ui.selectedSlot ? run.slots.get(ui.selectedSlot) : undefined;
  if (picked) return picked;
  if (run.streamingSlot) return run.slots.get(run.streamingSlot);
  const slots = branchSlots(run);
  return slots[slots.length - 1];
}

/** Branch the plan shows: the picked slot's, else the current one. */
export function shownBranch(run: RunState, ui: Pick<UiState, 'selectedSlot'>): number {
  const picked = ui.selectedSlot ? run.slots.get(ui.selectedSlot) : undefined;
  return picked ? picked.branchId : run.currentBranch;
}

/** The call the engine waits before, with the request it will send. */
export type WaitingCall = SlotStoppedEvent & { request: ModelRequest };

/**
 * The call the person is looking at when the engine waits and no slot is picked in the plan: the next one, not yet
 * sent (a debugger shows the next request). `p` shows it and `e` edits it.
 */
export function nextCall(run: RunState, ui: Pick<UiState, 'selectedSlot'>): WaitingCall | undefined {
  const paused = run.paused;
  if (ui.selectedSlot !== undefined || !paused?.request) return undefined;
  return paused as WaitingCall;
}

/** The latest execution of a slot name in a branch (as the branch ran, inherited slots included). */
export function lastSlotNamed(run: RunState, name: string, branchId = run.currentBranch): SlotView | undefined {
  return branchSlots(run, branchId).filter((slot) => slot.name === name).at(-1);
}
