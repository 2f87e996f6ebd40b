// All derived state of a run: reduce(state, event) → state. Shared by the TUI, plain output, replay, probes, tests.

import type {
  BranchEvent,
  CodeAppliedEvent,
  FlowFinishedEvent,
  ModelRequest,
  NoteEvent,
  ParseFailedEvent,
  RepairEvent,
  SessionStartedEvent,
  SlotbenchEvent,
  SlotOutputEvent,
  SlotStoppedEvent,
  TestRunInfo,
  SlotOverrides,
  TokenAlternative,
} from './types.js';

/** Where a slot stands, as the plan pane shows it. */
export type SlotStatus =
  | 'streaming'
  | 'done'
  | 'parsed'
  | 'repaired'
  | 'parse_error'
  | 'error'
  | 'aborted';

/** One token kept for probability shading (only when the slot asked for n_probs). */
export interface ScoredToken {
  text: string;
  logprob?: number;
  top?: TokenAlternative[];
}

/** One slot execution. */
export interface SlotView {
  id: string;
  name: string;
  ordinal: number;
  attempt: number;
  branchId: number;
  repairOf?: string;
  /**
   * Set on a branch's own view of a slot it inherited, when the branch goes on judging that slot's output
   * (re-running its re-indent repair): the original stays as its own branch saw it.
   */
  viewOf?: string;
  /** Changes a person made to this call while it waited to run. */
  overrides?: SlotOverrides;
  status: SlotStatus;
  model?: string;
  api?: 'completion' | 'chat';
  request?: ModelRequest;
  /** Streamed text so far (the final output once done). */
  text: string;
  tokenCount: number;
  /** Per-token detail, kept only when probabilities were streamed. */
  scored?: ScoredToken[];
  startedT: number;
  lastTokenT?: number;
  output?: SlotOutputEvent;
  error?: { code: string; message: string };
  extracted?: { how: 'fenced' | 'raw'; code: string };
  parseErrors?: ParseFailedEvent['errors'];
  /** Why no re-indent was asked for the parse failure, when none was. */
  noRepair?: string;
  /** The repair attempted on this slot's output. */
  repair?: RepairEvent;
  applied?: CodeAppliedEvent;
  gateIds: string[];
}

/** One test run. */
export interface GateView extends Partial<TestRunInfo> {
  id: string;
  slotId: string;
  attempt: number;
  branchId: number;
  running: boolean;
  startedT: number;
}

/** A branch: the original run (0) or a re-run of a slot. */
export interface BranchView {
  id: number;
  parentId?: number;
  fromSlotId?: string;
  overrides?: BranchEvent['overrides'];
  finished?: FlowFinishedEvent;
}

export interface RunState {
  header?: SessionStartedEvent;
  slots: Map<string, SlotView>;
  /** Slot ids in the order they started. */
  slotOrder: string[];
  gates: Map<string, GateView>;
  gateOrder: string[];
  /** `branchId:slotId` → the branch's own view of an inherited slot (see SlotView.viewOf). */
  branchViews: Map<string, string>;
  branches: Map<number, BranchView>;
  currentBranch: number;
  /** Slot streaming now, if any. */
  streamingSlot?: string;
  /** Set while the engine waits before a slot. */
  paused?: SlotStoppedEvent;
  /** Model/sampling/attempts in force (header, then settings changes). */
  settings?: { model: string; sampling: SessionStartedEvent['sampling']; attempts: number };
  notes: NoteEvent[];
  /** A person's note and tags on the session (the last `annotated` event); absent = never annotated. */
  annotation?: { note: string; tags: string[]; at: string };
  /** Time of the last event (ms since session start). */
  t: number;
  eventCount: number;
  /** Bumped on every change, so views know when to redraw. */
  version: number;
}

export function initialRunState(): RunState {
  return {
    slots: new Map(),
    slotOrder: [],
    gates: new Map(),
    gateOrder: [],
    branchViews: new Map(),
    branches: new Map([[0, { id: 0 }]]),
    currentBranch: 0,
    notes: [],
    t: 0,
    eventCount: 0,
    version: 0,
  };
}

/**
 * Apply one event. Mutates and returns `state`: the token path runs ~100k times a second, and copying maps per
 * token would dominate it. The state has one owner (a store); views read it after `version` changes.
 */
export function reduce(state: RunState, event: SlotbenchEvent): RunState {
  state.t = event.t;
  state.eventCount++;
  state.version++;
  switch (event.type) {
    case 'session_started':
      state.header = event;
      state.settings = { model: event.model.name, sampling: event.sampling, attempts: event.attempts };
      break;
    case 'flow_started':
      state.currentBranch = event.branchId;
      if (!state.branches.has(event.branchId)) state.branches.set(event.branchId, { id: event.branchId });
      break;
    case 'slot_stopped':
      state.paused = event;
      break;
    case 'slot_started': {
      state.paused = undefined;
      state.streamingSlot = event.slotId;
      const repairOf = event.repairOf ? branchView(state, event.repairOf, event.branchId) : undefined;
      state.slots.set(event.slotId, {
        id: event.slotId,
        name: event.name,
        ordinal: event.ordinal,
        attempt: event.attempt,
        branchId: event.branchId,
        ...(repairOf ? { repairOf } : {}),
        ...(event.overrides ? { overrides: event.overrides } : {}),
        status: 'streaming',
        text: '',
        tokenCount: 0,
        startedT: event.t,
        gateIds: [],
      });
      state.slotOrder.push(event.slotId);
      break;
    }
    case 'prompt_built': {
      const slot = state.slots.get(event.slotId);
      if (slot) {
        slot.request = event.request;
        slot.model = event.model;
        slot.api = event.api;
      }
      break;
    }
    case 'token': {
      const slot = state.slots.get(event.slotId);
      if (!slot) break;
      slot.text += event.text;
      slot.tokenCount++;
      slot.lastTokenT = event.t;
      if (event.logprob !== undefined || event.top) {
        (slot.scored ??= []).push({ text: event.text, logprob: event.logprob, top: event.top });
      }
      break;
    }
    case 'slot_output': {
      const slot = state.slots.get(event.slotId);
      if (!slot) break;
      slot.output = event;
      slot.text = event.text;
      slot.tokenCount = event.tokenCount;
      slot.status = 'done';
      if (state.streamingSlot === event.slotId) state.streamingSlot = undefined;
      break;
    }
    case 'slot_error': {
      const slot = state.slots.get(event.slotId);
      if (!slot) break;
      slot.error = { code: event.code, message: event.message };
      slot.status = event.code === 'aborted' ? 'aborted' : 'error';
      // The model's own count wins if token events went missing (a cut stream); what did arrive stays as `text`.
      slot.tokenCount = Math.max(slot.tokenCount, event.tokenCount);
      if (state.streamingSlot === event.slotId) state.streamingSlot = undefined;
      break;
    }
    case 'code_extracted':
      withSlot(state, event.slotId, (s) => (s.extracted = { how: event.how, code: event.code }));
      break;
    case 'parse_failed':
      withSlot(state, event.slotId, (s) => {
        s.parseErrors = event.errors;
        if (event.noRepair) s.noRepair = event.noRepair;
      });
      break;
    case 'repair':
      withSlot(state, event.repairOf, (s) => (s.repair = event));
      break;
    case 'code_applied':
      withSlot(state, event.slotId, (s) => (s.applied = event));
      break;
    case 'slot_result':
      withSlot(state, event.slotId, (s) => {
        s.status = event.status === 'ok' ? 'parsed' : event.status;
      });
      break;
    case 'test_started':
      state.gates.set(event.gateId, {
        id: event.gateId,
        slotId: event.slotId,
        attempt: event.attempt,
        branchId: event.branchId,
        running: true,
        startedT: event.t,
      });
      state.gateOrder.push(event.gateId);
      withSlot(state, event.slotId, (s) => s.gateIds.push(event.gateId));
      state.gates.get(event.gateId)!.slotId = resolveSlot(state, event.slotId);
      break;
    case 'test_run': {
      const { type: _type, t: _t, gateId, slotId: _slotId, ...result } = event;
      const gate = state.gates.get(gateId);
      if (gate) Object.assign(gate, result, { running: false });
      break;
    }
    case 'branch':
      state.branches.set(event.branchId, {
        id: event.branchId,
        parentId: event.parentBranchId,
        fromSlotId: event.fromSlotId,
        overrides: event.overrides,
      });
      state.currentBranch = event.branchId;
      state.paused = undefined;
      break;
    case 'settings_changed':
      state.settings = { model: event.model, sampling: event.sampling, attempts: event.attempts };
      break;
    case 'note':
      state.notes.push(event);
      break;
    case 'annotated':
      state.annotation = { note: event.note, tags: [...event.tags], at: event.at };
      break;
    case 'flow_finished': {
      const branch = state.branches.get(event.branchId) ?? { id: event.branchId };
      branch.finished = event;
      state.branches.set(event.branchId, branch);
      state.paused = undefined;
      state.streamingSlot = undefined;
      break;
    }
  }
  return state;
}

function withSlot(state: RunState, slotId: string, apply: (slot: SlotView) => void): void {
  const slot = state.slots.get(resolveSlot(state, slotId));
  if (slot) apply(slot);
}

/** The slot an event about `slotId` means in the current branch: its own view, if it made one. */
function resolveSlot(state: RunState, slotId: string): string {
  return state.branchViews.get(`${state.currentBranch}:${slotId}`) ?? slotId;
}

/**
 * A branch that re-runs a repair judges an inherited slot's output again; give it its own view of that slot
 * (output kept, judgement cleared) so the parent branch keeps what it saw.
 */
function branchView(state: RunState, slotId: string, branchId: number): string {
  const key = `${branchId}:${slotId}`;
  const existing = state.branchViews.get(key);
  if (existing) return existing;
  const original = state.slots.get(slotId);
  if (!original || original.branchId === branchId) return slotId;
  const id = `${slotId}@b${branchId}`;
  const { repair: _repair, applied: _applied, ...kept } = original;
  state.slots.set(id, { ...kept, id, branchId, viewOf: slotId, status: 'parse_error', gateIds: [] });
  state.slotOrder.push(id);
  state.branchViews.set(key, id);
  return id;
}

/** Reduce a whole list of events from scratch. */
export function reduceAll(events: Iterable<SlotbenchEvent>, state = initialRunState()): RunState {
  for (const event of events) reduce(state, event);
  return state;
}
