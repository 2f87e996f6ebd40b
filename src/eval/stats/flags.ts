// Honesty flags: the conditions under which a comparison's numbers deserve less trust, as data.

import { ERROR_RATE_LIMIT, type RunSummary } from './run-summary.js';
import { SPLITS, type Split } from './split.js';
import type { Verdict } from './verdict.js';

/** Below this many paired problems a split is too small to say much. */
export const MIN_SPLIT_PROBLEMS = 30;

/** Which run a flag is about: A, B, or the `--noise` run. */
export type RunRole = 'A' | 'B' | 'noise';

/** A reason to read a comparison with care. */
export type HonestyFlag =
  /** Fewer than 30 problems were judged in both runs on this split. */
  | { kind: 'small_split'; split: Split; n: number }
  /** More than 2% of a run's attempts on this split ended in error (they are excluded, never counted as fails). */
  | { kind: 'errors_over_2pct'; split: Split; run: RunRole; errorAttempts: number; attempts: number }
  /** A and B differ in more than one setting, so the delta cannot be laid at one change's door. */
  | { kind: 'fingerprints_differ'; settings: string[] }
  /** The tuned split improved and the held-out split did not: the change may fit the tuned problems only. */
  | { kind: 'only_tuned_improved' };

/** What the flags read of one split: paired n, each run's summary, the split's verdict. */
export interface FlagSplit {
  paired: number;
  runs: Partial<Record<RunRole, RunSummary>>;
  verdict: Verdict;
}

/** What the flags are raised from. */
export interface FlagInput {
  splits: Record<Split, FlagSplit>;
  differingSettings: readonly string[];
}

/**
 * Every flag that applies. A split is small when fewer than 30 problems are paired; the tuned split is not flagged when
 * neither run has any tuned problem (a `--split heldout` run), the held-out one always is, since claims rest on it.
 */
export function honestyFlags({ splits, differingSettings }: FlagInput): HonestyFlag[] {
  const flags: HonestyFlag[] = [];
  for (const split of SPLITS) {
    const { paired, runs } = splits[split];
    const present = Object.values(runs).some((r) => r.problems > 0);
    if (paired < MIN_SPLIT_PROBLEMS && (split === 'heldout' || present)) flags.push({ kind: 'small_split', split, n: paired });
    for (const [run, summary] of Object.entries(runs) as [RunRole, RunSummary][]) {
      if (summary.errorRate > ERROR_RATE_LIMIT) {
        flags.push({ kind: 'errors_over_2pct', split, run, errorAttempts: summary.errorAttempts, attempts: summary.attempts });
      }
    }
  }
  if (differingSettings.length > 1) flags.push({ kind: 'fingerprints_differ', settings: [...differingSettings] });
  if (splits.tuned.verdict.kind === 'better' && splits.heldout.verdict.kind !== 'better') flags.push({ kind: 'only_tuned_improved' });
  return flags;
}
