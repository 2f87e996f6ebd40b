// Minimum detectable effect at 80% power and α = 0.05 for this n, from the measured paired variance (Miller 2024).

import { clustersOf, type PairedDiff } from './clusters.js';
import { Z95 } from './intervals.js';

/** z_β for 80% power: the 0.80 quantile of the standard normal. */
export const Z_POWER_80 = 0.8416212335729143;

/** The paired standard error and the smallest true delta this comparison would detect 80% of the time. */
export interface DetectableEffect {
  /** Standard error of the mean paired difference (cluster-robust when classes are known). */
  standardError: number;
  /** (z_{α/2} + z_β) · standardError with α = 0.05, β = 0.2: |true delta| below this is likely missed. */
  mde: number;
}

/**
 * Standard error of the mean paired difference d̄ over n problems, in Miller's clustered form (2024):
 * SE² = s²/n + (1/n²) Σ_c Σ_{i≠j ∈ c} (dᵢ − d̄)(dⱼ − d̄), s² the sample variance of the dᵢ. With no classes every
 * cluster is one problem, the cross terms vanish and SE = s/√n.
 *
 * The minimum detectable effect inverts Miller's sample-size formula for a paired comparison ("Adding Error Bars to
 * Evals", arXiv 2411.00640, power analysis; eq. 10 as the evals issue cites it):
 *   n = (z_{α/2} + z_β)² · (ω² + σ²_A/K_A + σ²_B/K_B) / δ²,
 * ω² the variance over questions of the difference of the two models' mean scores, σ²/K the within-question variance
 * of a score averaged over K repeats. Each dᵢ here is such a K-averaged difference, so n·SE² measures the whole
 * bracket on these problems, and δ = (z_{α/2} + z_β) · SE = 2.8016 · SE. Null below two paired problems.
 */
export function detectableEffect(diffs: readonly PairedDiff[]): DetectableEffect | null {
  const n = diffs.length;
  if (n < 2) return null;
  let mean = 0;
  for (const d of diffs) mean += d.diff;
  mean /= n;
  let squares = 0;
  for (const d of diffs) squares += (d.diff - mean) ** 2;
  const { sums, sizes } = clustersOf(diffs);
  // Σ over clusters of (Σ eᵢ)² − Σ eᵢ² is the sum of the cross products eᵢ·eⱼ, i ≠ j, within each cluster.
  let clusterSquares = 0;
  for (let c = 0; c < sums.length; c++) clusterSquares += (sums[c] - sizes[c] * mean) ** 2;
  const cross = clusterSquares - squares;
  const variance = Math.max(0, squares / (n - 1) / n + cross / (n * n));
  const standardError = Math.sqrt(variance);
  return { standardError, mde: (Z95 + Z_POWER_80) * standardError };
}
