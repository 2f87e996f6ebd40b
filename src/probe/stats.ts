// Statistics of a probe: the unbiased pass@k estimator (Chen et al. 2021) and Wilson score intervals.

import { wilson } from '../eval/stats/intervals.js';

// The probe's tests import wilson from here; it lives with the eval statistics.
export { wilson };

/** An estimate with its 95% interval. */
export interface Estimate {
  k: number;
  estimate: number;
  low: number;
  high: number;
}

/** How the intervals are computed, said once in every result so a reader need not guess. */
export const INTERVAL_METHOD =
  '95% Wilson score interval on the per-sample pass rate p, mapped through 1-(1-p)^k (monotone, so coverage carries over)';

/**
 * Unbiased pass@k from n samples with c passing: 1 - C(n-c, k)/C(n, k), in the product form
 * 1 - Π_{i=n-c+1..n} (1 - k/i), which never forms the huge binomials.
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k) || n < 1 || k < 1 || c < 0 || c > n || k > n) {
    throw new RangeError(`pass@k needs integers 0 ≤ c ≤ n and 1 ≤ k ≤ n, got n=${n} c=${c} k=${k}`);
  }
  if (n - c < k) return 1;
  let none = 1;
  for (let i = n - c + 1; i <= n; i++) none *= 1 - k / i;
  return 1 - none;
}

/** pass@k for each k ≤ n, with its interval; k larger than n is not reported (the estimator is undefined there). */
export function passAtKTable(n: number, c: number, ks: number[] = [1, 5, 10]): Estimate[] {
  if (n === 0) return [];
  const { low, high } = wilson(c, n);
  return ks
    .filter((k) => k <= n)
    .map((k) => ({
      k,
      estimate: passAtK(n, c, k),
      low: 1 - (1 - low) ** k,
      high: 1 - (1 - high) ** k,
    }));
}
