// Pairing two runs by problem id: the paired table, the flipped ids both ways, and the per-problem differences.

import type { PairedDiff } from './clusters.js';
import type { FoldedProblem } from './outcomes.js';

/**
 * The 2×2 table over problems judged in both runs, and what was left out of it. A problem is discordant when its pass
 * rate differs between the runs: `bOnly` when B's is higher (B gained it), `aOnly` when A's is. With one repeat that
 * is exactly "passed in B only" / "passed in A only". Problems with equal rates are concordant: `bothPass` when the
 * common rate is above one half, `neither` otherwise; that label changes no statistic, since the delta and McNemar
 * read only the discordant problems.
 */
export interface PairedTable {
  /** Problems judged in both runs: the n of every paired statistic. */
  n: number;
  bothPass: number;
  /** Problems A did better on (B lost them) and B did better on (B gained them): McNemar's discordant pairs. */
  aOnly: number;
  bOnly: number;
  neither: number;
  /** The flipped problems both ways, in natural id order (`HumanEval/2` before `HumanEval/10`). */
  aOnlyIds: string[];
  bOnlyIds: string[];
  /** Problems present in one run only (not paired). */
  onlyInA: number;
  onlyInB: number;
  /** Problems in both runs with no judged repeat in one of them: errors, left out of the pairing. */
  errorExcluded: number;
}

/** The table and the per-problem differences (B's pass rate − A's) that the delta, bootstrap and MDE use. */
export interface Pairing {
  table: PairedTable;
  diffs: PairedDiff[];
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/** Pairs A's and B's problems (of one split) by id. A problem's class is A's, or B's when A has none. */
export function pairRuns(a: readonly FoldedProblem[], b: readonly FoldedProblem[]): Pairing {
  const bById = new Map(b.map((p) => [p.id, p]));
  const aIds = new Set(a.map((p) => p.id));
  const table: PairedTable = { n: 0, bothPass: 0, aOnly: 0, bOnly: 0, neither: 0, aOnlyIds: [], bOnlyIds: [], onlyInA: 0, onlyInB: 0, errorExcluded: 0 };
  const diffs: PairedDiff[] = [];
  for (const pa of a) {
    const pb = bById.get(pa.id);
    if (!pb) {
      table.onlyInA++;
      continue;
    }
    if (pa.rate === null || pb.rate === null) {
      table.errorExcluded++;
      continue;
    }
    table.n++;
    if (pb.rate > pa.rate) table.bOnlyIds.push(pa.id);
    else if (pa.rate > pb.rate) table.aOnlyIds.push(pa.id);
    else if (pa.rate > 0.5) table.bothPass++;
    else table.neither++;
    const cls = pa.class ?? pb.class;
    diffs.push({ id: pa.id, diff: pb.rate - pa.rate, ...(cls !== undefined ? { class: cls } : {}) });
  }
  table.onlyInB = b.filter((p) => !aIds.has(p.id)).length;
  table.aOnlyIds.sort(naturalOrder);
  table.bOnlyIds.sort(naturalOrder);
  table.aOnly = table.aOnlyIds.length;
  table.bOnly = table.bOnlyIds.length;
  return { table, diffs };
}
