// One line of an eval's results.jsonl: the run's result row plus where it sits in the eval, and how it turns into statistics.

import type { RunError, ResultRow } from '../runner/result-row.js';
import type { Outcome, ProblemResult, RunResults } from './stats/outcomes.js';
import type { Split } from './stats/split.js';

/** A result row of an eval: one problem, one repeat, after its bounded retries. */
export interface EvalRow extends ResultRow {
  split: Split;
  /** The problem's class, when the dataset has one. */
  class: string | null;
  /** Which repeat, from 1. */
  repeat: number;
  /** Errors that were retried before this row (nothing judged each time); never counted as fails. */
  retries: RunError[];
}

/** The eval's three outcomes: judged pass, judged not-pass, nothing judged. */
export function outcomeOf(row: Pick<ResultRow, 'verdict' | 'judged'>): Outcome {
  if (!row.judged) return 'error';
  return row.verdict === 'pass' ? 'pass' : 'fail';
}

/** Key of a row: a later row with the same key (a resumed retry of an error) replaces an earlier one. */
export function rowKey(row: Pick<EvalRow, 'problem' | 'repeat'>): string {
  return `${row.problem}\u0000${row.repeat}`;
}

/** The last row per problem and repeat, in file order of first appearance. */
export function latestRows(rows: readonly EvalRow[]): EvalRow[] {
  const byKey = new Map<string, EvalRow>();
  for (const row of rows) byKey.set(rowKey(row), row);
  return [...byKey.values()];
}

/** The statistics' view of an eval: per problem, one outcome per repeat (in repeat order). */
export function runResults(label: string, rows: readonly EvalRow[]): RunResults {
  const problems = new Map<string, { rows: EvalRow[] }>();
  for (const row of latestRows(rows)) {
    const entry = problems.get(row.problem) ?? { rows: [] };
    entry.rows.push(row);
    problems.set(row.problem, entry);
  }
  return {
    label,
    problems: [...problems].map(([id, { rows: own }]): ProblemResult => {
      const sorted = [...own].sort((a, b) => a.repeat - b.repeat);
      const klass = sorted.find((r) => r.class !== null)?.class;
      return {
        id,
        outcomes: sorted.map(outcomeOf),
        ...(klass ? { class: klass } : {}),
        retries: sorted.reduce((total, r) => total + r.retries.length, 0),
      };
    }),
  };
}
