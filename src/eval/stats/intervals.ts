// Interval arithmetic shared by every eval statistic: the 95% normal quantile, Wilson score intervals, sample quantiles.

/** z for a two-sided 95% interval: the 0.975 quantile of the standard normal. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a proportion c/n (better than the normal interval at small n and at 0 or n).
 * `c` may be fractional: for a mean of per-problem pass rates in [0, 1] (repeats averaged), pass c = Σ rates and
 * n = problems. The variance of a [0, 1] variable with mean p is at most p(1−p), so the interval stays conservative.
 */
export function wilson(c: number, n: number, z = Z95): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = c / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** The q-quantile of ascending-sorted values, linear between order statistics (Hyndman & Fan type 7, R's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of no values');
  const h = (sorted.length - 1) * q;
  const below = Math.floor(h);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}
