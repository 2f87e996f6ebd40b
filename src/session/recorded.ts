// A session's model calls as records (request, tokens, answer, what became of it), per branch; for compare and replay.

import type {
  GateVerdict,
  SessionStartedEvent,
  SlotbenchEvent,
  SlotErrorEvent,
  SlotOutputEvent,
  SlotResultEvent,
  TokenEvent,
  Verdict,
} from '../core/events.js';
import type { ModelRequest } from '../core/sampling.js';

/** Anything with a header and its events: a loaded session file, or events collected from a live engine. */
export interface SessionLike {
  header: SessionStartedEvent;
  events: readonly SlotbenchEvent[];
  path?: string;
}

/** One model call as recorded. */
export interface RecordedSlot {
  id: string;
  name: string;
  ordinal: number;
  attempt: number;
  branchId: number;
  model?: string;
  api?: 'completion' | 'chat';
  request?: ModelRequest;
  /** The streamed tokens (the events themselves: text, logprob, top). */
  tokens: TokenEvent[];
  output?: SlotOutputEvent;
  error?: SlotErrorEvent;
  /** Code taken out of the answer. */
  extracted?: string;
  /** Unified diff of the code applied. */
  diff?: string;
  status?: SlotResultEvent['status'];
  /** Verdicts of the test runs on this slot's code. */
  gates: GateVerdict[];
}

export interface RecordedBranch {
  id: number;
  parentId?: number;
  /** Ordinal of the re-run slot: the parent's calls before it are shared. */
  fromOrdinal?: number;
  verdict?: Verdict;
  reason?: string;
}

export interface RecordedRun {
  slots: Map<string, RecordedSlot>;
  branches: Map<number, RecordedBranch>;
  /** Slot ids in the order they started. */
  order: string[];
}

export function recordedRun(events: readonly SlotbenchEvent[]): RecordedRun {
  const slots = new Map<string, RecordedSlot>();
  const branches = new Map<number, RecordedBranch>([[0, { id: 0 }]]);
  const order: string[] = [];
  const gateSlot = new Map<string, RecordedSlot>();
  for (const event of events) {
    switch (event.type) {
      case 'slot_started': {
        const { slotId: id, name, ordinal, attempt, branchId } = event;
        slots.set(id, { id, name, ordinal, attempt, branchId, tokens: [], gates: [] });
        order.push(id);
        break;
      }
      case 'prompt_built':
        withSlot(slots, event.slotId, (s) => Object.assign(s, { model: event.model, api: event.api, request: event.request }));
        break;
      case 'token':
        slots.get(event.slotId)?.tokens.push(event);
        break;
      case 'slot_output':
        withSlot(slots, event.slotId, (s) => (s.output = event));
        break;
      case 'slot_error':
        withSlot(slots, event.slotId, (s) => (s.error = event));
        break;
      case 'code_extracted':
        withSlot(slots, event.slotId, (s) => (s.extracted = event.code));
        break;
      case 'code_applied':
        withSlot(slots, event.slotId, (s) => (s.diff = event.diff));
        break;
      case 'slot_result':
        withSlot(slots, event.slotId, (s) => (s.status = event.status));
        break;
      case 'test_started':
        withSlot(slots, event.slotId, (s) => gateSlot.set(event.gateId, s));
        break;
      case 'test_run':
        gateSlot.get(event.gateId)?.gates.push(event.verdict);
        break;
      case 'branch':
        branches.set(event.branchId, { id: event.branchId, parentId: event.parentBranchId, fromOrdinal: event.fromOrdinal });
        break;
      case 'flow_finished': {
        const branch = branches.get(event.branchId) ?? { id: event.branchId };
        branches.set(event.branchId, Object.assign(branch, { verdict: event.verdict, reason: event.reason }));
        break;
      }
    }
  }
  return { slots, branches, order };
}

/** The calls that make up a branch as it ran: the parent's before the branch point, then its own. */
export function branchCalls(run: RecordedRun, branchId = 0): RecordedSlot[] {
  const branch = run.branches.get(branchId);
  const own = run.order.map((id) => run.slots.get(id)!).filter((s) => s.branchId === branchId);
  if (branch?.parentId === undefined) return own;
  const inherited = branchCalls(run, branch.parentId).filter((s) => s.ordinal < (branch.fromOrdinal ?? 0));
  return [...inherited, ...own];
}

/** `implement #0 (attempt 1)`: how a slot is named in messages. */
export function slotLabel(slot: Pick<RecordedSlot, 'name' | 'ordinal' | 'attempt'>): string {
  return `${slot.name} #${slot.ordinal} (attempt ${slot.attempt})`;
}

/** The answer's text, as the tokens streamed it or (without token events) as the output said. */
export function answerText(slot: RecordedSlot): string {
  return slot.output?.text ?? slot.tokens.map((t) => t.text).join('');
}

function withSlot(slots: Map<string, RecordedSlot>, id: string, apply: (slot: RecordedSlot) => void): void {
  const slot = slots.get(id);
  if (slot) apply(slot);
}
