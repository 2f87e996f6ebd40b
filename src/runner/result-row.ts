// One result row per run, from the run state: what `run --json` prints and what an eval appends to results.jsonl.

import type { Verdict } from '../core/events.js';
import type { TaskRef } from '../core/task.js';
import type { RunState, SlotView } from '../state/run-state.js';
import { branchGates, branchSlots, decidingBranch, tokensPerSecond } from '../state/selectors.js';

/** Why nothing was judged, when nothing was. */
export interface RunError {
  /** Machine-readable cause: the model's (`connection`, `stalled`, `server_error`, …) or `flow` / `gate`. */
  code: string;
  message: string;
}

/** A run's outcome as scripts and evals read it. */
export interface ResultRow {
  /** The task's id (`HumanEval/0`). */
  problem: string;
  task: TaskRef;
  flow: string;
  /** Configured name of the model the run started on, its kind, and where it answered from. */
  model: string;
  modelKind: string;
  server: string | null;
  label: string | null;
  /** The flow's verdict. Judged verdicts: pass, fail, timeout, crash, parse_error; `error` and `aborted` are not. */
  verdict: Verdict;
  judged: boolean;
  /** Set when nothing was judged because something other than the candidate failed. */
  error: RunError | null;
  reason: string;
  /** Flow attempts used. */
  attempts: number;
  /** A re-indent repair was accepted on the way. */
  repaired: boolean;
  /** Answers that did not parse, and of those, the ones sent to a re-indent repair. */
  parseFailures: number;
  indentationErrors: number;
  tokens: { prompt: number; cached: number; generated: number };
  modelMs: number;
  gateMs: number;
  durationMs: number;
  sessionId: string | null;
  session: string | null;
  /** Set when the session file could not be written whole (a full disk): why, and what was kept. */
  unrecorded?: string;
  slots: SlotRow[];
  gates: GateRow[];
}

export interface SlotRow {
  id: string;
  name: string;
  attempt: number;
  status: string;
  tokens: number;
  tokensPerSecond: number;
  stopType: string | null;
  timings: NonNullable<SlotView['output']>['timings'] | null;
}

export interface GateRow {
  id: string;
  slotId: string;
  verdict: string | null;
  exitCode: number | null;
  durationMs: number | null;
  sandbox: string | null;
  judge: string | null;
}

const JUDGED: ReadonlySet<Verdict> = new Set(['pass', 'fail', 'timeout', 'crash', 'parse_error']);

/** True when the gate (or the parser) decided the verdict, as opposed to the model, the harness or a person. */
export function isJudged(verdict: Verdict): boolean {
  return JUDGED.has(verdict);
}

/** The row of the branch that decided the run (see `decidingBranch`). */
export function resultRow(state: RunState, where: { session?: string }): ResultRow {
  const header = state.header;
  const branch = decidingBranch(state);
  const finished = state.branches.get(branch)?.finished;
  const slots = branchSlots(state, branch);
  const gates = branchGates(state, branch);
  const verdict: Verdict = finished?.verdict ?? 'error';
  const judged = isJudged(verdict);
  return {
    problem: header?.task.id ?? 'unknown',
    task: header?.task ?? { kind: 'intent', id: 'unknown' },
    flow: header?.flow ?? 'unknown',
    model: header?.model.name ?? 'unknown',
    modelKind: header?.model.kind ?? 'unknown',
    server: [...slots].reverse().find((s) => s.output?.server)?.output?.server ?? header?.model.location ?? null,
    label: header?.label ?? null,
    verdict,
    judged,
    error: judged || verdict === 'aborted' ? null : runError(slots, finished?.reason),
    reason: finished?.reason ?? 'the flow did not finish',
    attempts: finished?.attempts ?? 0,
    repaired: slots.some((s) => s.repair?.accepted === true),
    parseFailures: slots.filter((s) => s.parseErrors !== undefined).length,
    indentationErrors: slots.filter((s) => s.repair !== undefined).length,
    tokens: {
      prompt: sum(slots, (s) => s.output?.timings?.prompt_n ?? 0),
      cached: sum(slots, (s) => s.output?.tokensCached ?? s.output?.timings?.cache_n ?? 0),
      generated: sum(slots, (s) => s.tokenCount),
    },
    modelMs: sum(slots, (s) => s.output?.durationMs ?? 0),
    gateMs: sum(gates, (g) => g.durationMs ?? 0),
    durationMs: finished?.durationMs ?? 0,
    sessionId: header?.sessionId ?? null,
    session: where.session ?? null,
    slots: slots.map(slotRow),
    gates: gates.map((g) => ({
      id: g.id,
      slotId: g.slotId,
      verdict: g.verdict ?? null,
      exitCode: g.exitCode ?? null,
      durationMs: g.durationMs ?? null,
      sandbox: g.sandbox ?? null,
      judge: g.judge ?? null,
    })),
  };
}

/** The model's own error when a slot failed, else the flow's reason. */
function runError(slots: SlotView[], reason: string | undefined): RunError {
  const failed = [...slots].reverse().find((s) => s.error !== undefined);
  if (failed?.error) return { code: failed.error.code, message: failed.error.message };
  return { code: 'flow', message: reason ?? 'the flow did not finish' };
}

function slotRow(slot: SlotView): SlotRow {
  return {
    id: slot.id,
    name: slot.name,
    attempt: slot.attempt,
    status: slot.status,
    tokens: slot.tokenCount,
    tokensPerSecond: Math.round(tokensPerSecond(slot)),
    stopType: slot.output?.stopType ?? null,
    timings: slot.output?.timings ?? null,
  };
}

function sum<T>(items: T[], of: (item: T) => number): number {
  return items.reduce((total, item) => total + of(item), 0);
}
