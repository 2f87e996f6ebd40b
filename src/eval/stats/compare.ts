// `slotbench compare RUN_A RUN_B` as a pure function: per split, every statistic and the verdict, in one result object.

import { pairedBootstrapCi, type BootstrapCi, type BootstrapOptions } from './bootstrap.js';
import { honestyFlags, type FlagSplit, type HonestyFlag } from './flags.js';
import { mcnemarExact, type McNemarResult } from './mcnemar.js';
import { detectableEffect, type DetectableEffect } from './mde.js';
import { flipRateBetween, type FlipRate } from './noise.js';
import { foldRun, type FoldedProblem, type RunResults } from './outcomes.js';
import { pairRuns, type PairedTable } from './paired.js';
import { summarise, type RunSummary } from './run-summary.js';
import { SPLIT_RULE, SPLITS, type Split } from './split.js';
import { decide, type Verdict } from './verdict.js';

/** What a comparison is computed from. */
export interface CompareInput {
  /** The baseline run. */
  a: RunResults;
  /** The candidate run; a positive delta means B passes more. */
  b: RunResults;
  /** A second run of A's config (`--noise RUN_C`), for the noise floor when the runs have no repeats. */
  noise?: RunResults;
  /** Settings whose fingerprints differ between A and B (e.g. `['prompt']`); more than one raises a flag. */
  differingSettings?: readonly string[];
  /** Bootstrap resamples (default 10,000) and seed (default 1). */
  bootstrap?: BootstrapOptions;
}

/** The noise floor of one split and the measurements it was taken from. */
export interface NoiseFloor {
  /** The largest measured flip rate: a |delta| at or below it is within noise. Null when nothing measured it. */
  floor: number | null;
  /** Flips between A's own repeats, between B's own repeats, and between A and the noise run. */
  withinA: FlipRate | null;
  withinB: FlipRate | null;
  againstNoiseRun: FlipRate | null;
}

/** Everything `compare` reports for one split. */
export interface SplitComparison {
  split: Split;
  /** Each run's own figures on this split (pass@1 with its Wilson interval, denominator, errors, flip rate). */
  a: RunSummary;
  b: RunSummary;
  noiseRun?: RunSummary;
  paired: PairedTable;
  /** Mean over paired problems of B's pass rate − A's (repeats averaged); null when nothing is paired. */
  delta: number | null;
  /** Paired bootstrap 95% CI of the delta; null when nothing is paired. */
  ci: BootstrapCi | null;
  mcnemar: McNemarResult;
  noise: NoiseFloor;
  /** Paired standard error and minimum detectable effect (80% power, α = 0.05); null below two paired problems. */
  detectable: DetectableEffect | null;
  verdict: Verdict;
}

/** One comparison: what a terminal table, markdown or JSON renderer prints. */
export interface Comparison {
  labels: { a: string; b: string; noise?: string };
  /** Both halves, shown side by side. */
  splits: Record<Split, SplitComparison>;
  /** The verdict a claim rests on: the held-out split's. */
  verdict: Verdict;
  flags: HonestyFlag[];
  /** How problems were split, in words. */
  splitRule: string;
}

/** Compares two runs (and an optional noise run of A's config) split by split. */
export function compareRuns(input: CompareInput): Comparison {
  const a = foldRun(input.a);
  const b = foldRun(input.b);
  const noise = input.noise ? foldRun(input.noise) : undefined;
  const of = (problems: FoldedProblem[], split: Split) => problems.filter((p) => p.split === split);
  const splits = {} as Record<Split, SplitComparison>;
  for (const split of SPLITS) {
    splits[split] = compareSplit(split, of(a, split), of(b, split), noise && of(noise, split), input.bootstrap);
  }
  const flags = honestyFlags({ splits: forFlags(splits), differingSettings: input.differingSettings ?? [] });
  return {
    labels: { a: input.a.label, b: input.b.label, ...(input.noise ? { noise: input.noise.label } : {}) },
    splits,
    verdict: splits.heldout.verdict,
    flags,
    splitRule: SPLIT_RULE,
  };
}

function compareSplit(
  split: Split,
  a: FoldedProblem[],
  b: FoldedProblem[],
  noise: FoldedProblem[] | undefined,
  bootstrap: BootstrapOptions | undefined,
): SplitComparison {
  const { table, diffs } = pairRuns(a, b);
  const summaryA = summarise(a);
  const summaryB = summarise(b);
  const noiseRun = noise ? summarise(noise) : undefined;
  const delta = diffs.length === 0 ? null : diffs.reduce((sum, d) => sum + d.diff, 0) / diffs.length;
  const ci = pairedBootstrapCi(diffs, bootstrap);
  const mcnemar = mcnemarExact(table.aOnly, table.bOnly);
  const againstNoiseRun = noise ? flipRateBetween(a, noise) : null;
  const measured = [summaryA.flipRate, summaryB.flipRate, againstNoiseRun].filter((f): f is FlipRate => f !== null);
  const floor = measured.length === 0 ? null : Math.max(...measured.map((f) => f.rate));
  return {
    split,
    a: summaryA,
    b: summaryB,
    ...(noiseRun ? { noiseRun } : {}),
    paired: table,
    delta,
    ci,
    mcnemar,
    noise: { floor, withinA: summaryA.flipRate, withinB: summaryB.flipRate, againstNoiseRun },
    detectable: detectableEffect(diffs),
    verdict: decide({ delta, ci, noiseFloor: floor, mcnemarP: mcnemar.pValue }),
  };
}

function forFlags(splits: Record<Split, SplitComparison>): Record<Split, FlagSplit> {
  const out = {} as Record<Split, FlagSplit>;
  for (const split of SPLITS) {
    const s = splits[split];
    out[split] = { paired: s.paired.n, runs: { A: s.a, B: s.b, ...(s.noiseRun ? { noise: s.noiseRun } : {}) }, verdict: s.verdict };
  }
  return out;
}
