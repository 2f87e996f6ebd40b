// One run's figures per split: denominator, errors, pass@1 averaged over repeats with its Wilson interval, flip rate.

import { wilson } from './intervals.js';
import { flipRateWithin, type FlipRate } from './noise.js';
import type { FoldedProblem } from './outcomes.js';
import { SPLITS, type Split } from './split.js';

/** Errors above this share of attempts raise an honesty flag. */
export const ERROR_RATE_LIMIT = 0.02;

/** What a report prints for one run on one split. */
export interface RunSummary {
  /** Problems of the split in the run. */
  problems: number;
  /** Problems with at least one judged repeat: the denominator of pass@1. */
  judged: number;
  /** Problems where every repeat was an error: excluded from pass@1, never counted as fails. */
  errorProblems: number;
  /** Repeats recorded over all problems, and how many of them ended in error (after retries). */
  attempts: number;
  errorAttempts: number;
  /** errorAttempts / attempts (0 with no attempts); above ERROR_RATE_LIMIT the report flags it. */
  errorRate: number;
  /** Retries spent on errors. */
  retries: number;
  /** Most repeats any problem had (K of `--repeat K`). */
  repeats: number;
  /** Mean over judged problems of each problem's pass rate over its judged repeats; null with nothing judged. */
  passAt1: number | null;
  /** 95% Wilson interval of passAt1 (count = Σ pass rates, n = judged problems; conservative when K > 1). */
  interval: { low: number; high: number };
  /** Disagreement between this run's own repeats (the noise floor); null without two judged repeats of a problem. */
  flipRate: FlipRate | null;
}

/** A run's summary on each split. */
export function summariseBySplit(problems: readonly FoldedProblem[]): Record<Split, RunSummary> {
  const out = {} as Record<Split, RunSummary>;
  for (const split of SPLITS) out[split] = summarise(problems.filter((p) => p.split === split));
  return out;
}

/** The summary of a set of folded problems (one split of one run). */
export function summarise(problems: readonly FoldedProblem[]): RunSummary {
  let attempts = 0;
  let errorAttempts = 0;
  let retries = 0;
  let repeats = 0;
  let judged = 0;
  let rateSum = 0;
  for (const p of problems) {
    const count = p.passes + p.fails + p.errors;
    attempts += count;
    errorAttempts += p.errors;
    retries += p.retries;
    repeats = Math.max(repeats, count);
    if (p.rate !== null) {
      judged++;
      rateSum += p.rate;
    }
  }
  return {
    problems: problems.length,
    judged,
    errorProblems: problems.length - judged,
    attempts,
    errorAttempts,
    errorRate: attempts === 0 ? 0 : errorAttempts / attempts,
    retries,
    repeats,
    passAt1: judged === 0 ? null : rateSum / judged,
    interval: wilson(rateSum, judged),
    flipRate: flipRateWithin(problems),
  };
}
