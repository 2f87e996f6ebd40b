// Reads a probe's samples back from run state: live from the stream, or from a session file through the same reducer.

import type { BranchView, GateView, RunState, SlotView } from '../state/run-state.js';
import type { ProbeSample, SampleOutcome } from './types.js';

/** One sample with what the probe's analyses need beyond the record: the probed slot as the reducer built it. */
export interface SampleView {
  sample: ProbeSample;
  slot?: SlotView;
}

/** The probe's samples in branch order (branch 0, the flow the probe branches from, is not a sample). */
export function probeSamples(state: RunState): SampleView[] {
  const slots = new Map<number, SlotView[]>();
  for (const id of state.slotOrder) push(slots, state.slots.get(id)!);
  const gates = new Map<number, GateView[]>();
  for (const id of state.gateOrder) push(gates, state.gates.get(id)!);
  const perTemperature = new Map<number, number>();
  const views: SampleView[] = [];
  for (const branch of [...state.branches.values()].sort((a, b) => a.id - b.id)) {
    const temperature = branch.overrides?.temperature;
    if (branch.id === 0 || temperature === undefined) continue;
    const index = perTemperature.get(temperature) ?? 0;
    perTemperature.set(temperature, index + 1);
    views.push(sampleView(state, branch, slots.get(branch.id) ?? [], gates.get(branch.id) ?? [], index));
  }
  return views;
}

function push<T extends { branchId: number }>(map: Map<number, T[]>, item: T): void {
  const list = map.get(item.branchId);
  if (list) list.push(item);
  else map.set(item.branchId, [item]);
}

/**
 * One sample branch as the probe reports it (`slots`, `gates`: the branch's own, in start order). Its verdict is the
 * first gate on the probed slot's code: on a slot at or after it, or on the slot it repairs; earlier gates and
 * slots are the replayed prefix of a probe from a point of a run.
 */
export function sampleView(state: RunState, branch: BranchView, slots: SlotView[], gates: GateView[], index: number): SampleView {
  const slot = slots.find((s) => s.id === branch.fromSlotId);
  const gate = slot ? gates.find((g) => !g.running && decides(state, slot, g)) : undefined;
  const tested = gate ? state.slots.get(gate.slotId) : undefined;
  const finished = branch.finished;
  let outcome: SampleOutcome;
  if (gate?.verdict) outcome = gate.verdict;
  else if (slots.length === 0) outcome = 'not_run';
  else if (!finished || finished.verdict === 'aborted') outcome = 'aborted';
  else outcome = finished.verdict;
  const applied = tested?.applied;
  const code = applied?.after ?? slot?.extracted?.code;
  const excerpt = applied ? changedPart(applied.before, applied.after) : slot?.extracted?.code;
  const repair = slot?.repair ?? (slot?.repairOf ? state.slots.get(slot.repairOf)?.repair : undefined);
  const seed = branch.overrides?.seed;
  return {
    ...(slot ? { slot } : {}),
    sample: {
      index,
      branchId: branch.id,
      temperature: branch.overrides?.temperature ?? 0,
      ...(seed !== undefined ? { seed } : {}),
      outcome,
      repaired: repair?.accepted === true,
      ...(code !== undefined ? { code } : {}),
      ...(excerpt !== undefined ? { excerpt } : {}),
      reason: finished?.reason ?? 'the sample did not finish',
      tokens: slot?.tokenCount ?? 0,
      ...(slot ? { slotId: slot.id } : {}),
    },
  };
}

function decides(state: RunState, probed: SlotView, gate: GateView): boolean {
  const tested = state.slots.get(gate.slotId);
  return tested !== undefined && (tested.ordinal >= probed.ordinal || tested.id === probed.repairOf);
}

/** The lines of `after` from the first one that differs from `before`: what the model wrote, without the stub. */
function changedPart(before: string, after: string): string {
  const old = before.split('\n');
  const now = after.split('\n');
  let same = 0;
  while (same < old.length && same < now.length && old[same] === now[same]) same++;
  return now.slice(same).join('\n').replace(/\s+$/, '');
}
