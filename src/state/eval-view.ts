// The eval view's state: an eval's rows (growing while it runs), an optional second run, filter, sort, search, cursor.

/** One eval result as the view shows it (one problem, one repeat), already taken from results.jsonl. */
export interface EvalViewRow {
  /** Problem id, e.g. `HumanEval/12`. */
  id: string;
  /** Which repeat, from 1. */
  repeat: number;
  split: 'tuned' | 'heldout';
  /** The problem's class, when the dataset has one. */
  class: string | null;
  /** The flow's verdict (`pass`, `fail`, `timeout`, `error`, …). */
  verdict: string;
  /** pass / fail as judged; error = nothing was judged (never a fail). */
  outcome: 'pass' | 'fail' | 'error';
  attempts: number;
  repaired: boolean;
  /** Tokens the model generated over the run. */
  tokens: number;
  /** Wall time of the run (ms). */
  timeMs: number;
  /** The run's session file, when it was recorded. */
  session: string | null;
  /** Why nothing was judged, when nothing was. */
  error: string | null;
}

/** How a problem changed from the first run to the second: B passes it more often (gained) or less (lost). */
export type Flip = 'gained' | 'lost';

/** Which rows the table keeps. `flipped` needs a second run. */
export type EvalFilter = 'all' | 'fails' | 'errors' | 'repaired' | 'flipped';
export const EVAL_FILTERS: readonly EvalFilter[] = ['all', 'fails', 'errors', 'repaired', 'flipped'];

/** What the table sorts by: id in natural order; the others worst or biggest first. */
export type EvalSortKey = 'id' | 'verdict' | 'attempts' | 'tokens' | 'time';
export const EVAL_SORT_KEYS: readonly EvalSortKey[] = ['id', 'verdict', 'attempts', 'tokens', 'time'];

/** One split's paired table: problems judged in both runs, how they agree, and what was left out of the pairing. */
export interface PairedCounts {
  n: number;
  bothPass: number;
  /** Problems A did better on (lost by B) and B did better on (gained). */
  aOnly: number;
  bOnly: number;
  neither: number;
  /** In one run only, or judged in only one of them. */
  excluded: number;
}

/** A second run compared against the first: its rows by key, the problems that flipped, the paired tables. */
export interface EvalAgainst {
  /** Names the second run (its directory). */
  label: string;
  rows: Record<string, EvalViewRow>;
  flips: Record<string, Flip>;
  paired: Record<'tuned' | 'heldout', PairedCounts>;
  /** The held-out verdict of the paired statistics, in words (`slotbench compare` explains it). */
  verdict: string;
}

export interface EvalViewState {
  /** The latest row per problem and repeat, in order of first appearance. */
  rows: EvalViewRow[];
  filter: EvalFilter;
  sort: EvalSortKey;
  /** Case-insensitive text the id, verdict, class or error must contain; empty = no search. */
  search: string;
  /** Index into the shown rows. */
  cursor: number;
  /** Set in the compare view. */
  against?: EvalAgainst;
}

export type EvalViewAction =
  /** Rows read from results.jsonl (all at first, then each new line); a row with a known key replaces the old one. */
  | { type: 'rows'; rows: readonly EvalViewRow[] }
  | { type: 'against'; against: EvalAgainst }
  | { type: 'filter'; filter: EvalFilter }
  | { type: 'sort'; sort: EvalSortKey }
  | { type: 'search'; text: string }
  | { type: 'cursor'; to: number };

/** Key of a row: problem and repeat (a resumed retry of an error replaces the earlier row). */
export function evalRowKey(row: Pick<EvalViewRow, 'id' | 'repeat'>): string {
  return `${row.id}\u0000${row.repeat}`;
}

export function initialEvalView(filter: EvalFilter = 'all'): EvalViewState {
  return { rows: [], filter, sort: 'id', search: '', cursor: 0 };
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;
const OUTCOME_RANK = { error: 0, fail: 1, pass: 2 } as const;

const BY: Record<EvalSortKey, (a: EvalViewRow, b: EvalViewRow) => number> = {
  id: () => 0,
  verdict: (a, b) => OUTCOME_RANK[a.outcome] - OUTCOME_RANK[b.outcome] || a.verdict.localeCompare(b.verdict),
  attempts: (a, b) => b.attempts - a.attempts,
  tokens: (a, b) => b.tokens - a.tokens,
  time: (a, b) => b.timeMs - a.timeMs,
};

function kept(state: EvalViewState, row: EvalViewRow): boolean {
  switch (state.filter) {
    case 'all':
      return true;
    case 'fails':
      return row.outcome === 'fail';
    case 'errors':
      return row.outcome === 'error';
    case 'repaired':
      return row.repaired;
    case 'flipped':
      return state.against?.flips[row.id] !== undefined;
  }
}

function found(row: EvalViewRow, query: string): boolean {
  if (!query) return true;
  return [row.id, row.verdict, row.class ?? '', row.error ?? ''].some((text) => text.toLowerCase().includes(query));
}

/** The rows the table shows, in order: filtered, searched, sorted (ties by id, then repeat). */
export function shownEvalRows(state: EvalViewState): EvalViewRow[] {
  const query = state.search.trim().toLowerCase();
  return state.rows
    .filter((row) => kept(state, row) && found(row, query))
    .sort((a, b) => BY[state.sort](a, b) || naturalOrder(a.id, b.id) || a.repeat - b.repeat);
}

/** The row under the cursor, if any. */
export function pickedEvalRow(state: EvalViewState): EvalViewRow | undefined {
  const shown = shownEvalRows(state);
  return shown[Math.min(state.cursor, shown.length - 1)];
}

/** Why a filter cannot be chosen now; undefined = it can. */
export function filterUnavailable(state: EvalViewState, filter: EvalFilter): string | undefined {
  return filter === 'flipped' && !state.against ? 'flipped needs a second run: slotbench view RUN_A RUN_B' : undefined;
}

/** The new state keeps the cursor on the row it was on, when that row is still shown; else the first row. */
function keepCursor(before: EvalViewState, after: EvalViewState): EvalViewState {
  const picked = pickedEvalRow(before);
  const shown = shownEvalRows(after);
  const at = picked ? shown.findIndex((row) => evalRowKey(row) === evalRowKey(picked)) : -1;
  return { ...after, cursor: Math.max(0, at) };
}

function mergeRows(rows: readonly EvalViewRow[], added: readonly EvalViewRow[]): EvalViewRow[] {
  const byKey = new Map(rows.map((row) => [evalRowKey(row), row]));
  for (const row of added) byKey.set(evalRowKey(row), row);
  return [...byKey.values()];
}

export function reduceEvalView(state: EvalViewState, action: EvalViewAction): EvalViewState {
  switch (action.type) {
    case 'rows':
      return keepCursor(state, { ...state, rows: mergeRows(state.rows, action.rows) });
    case 'against':
      return keepCursor(state, { ...state, against: action.against });
    case 'filter':
      if (filterUnavailable(state, action.filter)) return state;
      return keepCursor(state, { ...state, filter: action.filter });
    case 'sort':
      return keepCursor(state, { ...state, sort: action.sort });
    case 'search':
      return keepCursor(state, { ...state, search: action.text });
    case 'cursor': {
      const last = shownEvalRows(state).length - 1;
      return { ...state, cursor: Math.max(0, Math.min(last, action.to)) };
    }
  }
}

/** Pass / fail / error counts of some rows. */
export interface OutcomeCounts {
  pass: number;
  fail: number;
  error: number;
}

export function countOutcomes(rows: readonly EvalViewRow[]): OutcomeCounts {
  const counts: OutcomeCounts = { pass: 0, fail: 0, error: 0 };
  for (const row of rows) counts[row.outcome]++;
  return counts;
}
