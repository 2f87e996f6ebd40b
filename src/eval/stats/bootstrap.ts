// Paired bootstrap 95% CI of the delta (B − A): resample problems, or whole classes when classes are known; seeded.

import { clustersOf, type PairedDiff } from './clusters.js';
import { quantileSorted } from './intervals.js';
import { seededUint32 } from './rng.js';

/** Resamples when the caller does not say. */
export const DEFAULT_RESAMPLES = 10_000;
/** Seed when the caller does not say: a fixed one, so the same runs give the same interval. */
export const DEFAULT_SEED = 1;

/** A percentile bootstrap interval of the mean paired difference. */
export interface BootstrapCi {
  low: number;
  high: number;
  /** 0.95: the 2.5th and 97.5th percentiles of the resampled deltas (type-7 quantiles). */
  level: number;
  resamples: number;
  seed: number;
  /** Units resampled: classes (and unclassed problems), or problems. */
  clusters: number;
  /** Whole classes were resampled together. */
  clustered: boolean;
}

/** How many resamples and which seed. */
export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/**
 * Paired bootstrap: each resample draws as many clusters as there are, with replacement (a cluster is a class, or a
 * problem with no class), and takes the delta as Σ diffs / Σ problems over the drawn clusters — with no classes that
 * is the plain mean of n drawn problems. The interval is the 2.5th–97.5th percentile of the resampled deltas.
 * Null with no paired problem.
 */
export function pairedBootstrapCi(diffs: readonly PairedDiff[], options: BootstrapOptions = {}): BootstrapCi | null {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap resamples must be a positive integer, got ${resamples}`);
  if (diffs.length === 0) return null;
  const { sums, sizes, clustered } = clustersOf(diffs);
  const deltas = resample(sums, clustered ? sizes : null, resamples, seededUint32(seed));
  deltas.sort();
  return { low: quantileSorted(deltas, 0.025), high: quantileSorted(deltas, 0.975), level: 0.95, resamples, seed, clusters: sums.length, clustered };
}

// This loop runs 10⁸ times for 10,000 problems × 10,000 resamples, so it works on uint32 draws directly
// (⌊u · count / 2³²⌋ is a uniform index) and skips the size sum when every cluster is one problem.
function resample(sums: Float64Array, sizes: Float64Array | null, resamples: number, next: () => number): Float64Array {
  const count = sums.length;
  const scale = count / 4294967296;
  const deltas = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    let size = 0;
    for (let i = 0; i < count; i++) {
      const j = (next() * scale) | 0;
      sum += sums[j];
      if (sizes) size += sizes[j];
    }
    deltas[r] = sum / (sizes ? size : count);
  }
  return deltas;
}
