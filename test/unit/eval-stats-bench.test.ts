// The eval-stats bench: its synthetic runs are what it says, and it reports times for the full-size comparison.

import { expect, it } from 'vitest';
import { benchEvalStats, syntheticRuns } from '../../src/bench/eval-stats.js';
import { compareRuns } from '../../src/eval/stats/compare.js';

it('plants runs with the stated pass rates, repeats and classes', () => {
  const { a, b } = syntheticRuns(2000, 3, 10);
  expect(a.problems).toHaveLength(2000);
  expect(a.problems.every((p) => p.outcomes.length === 3 && p.class !== undefined)).toBe(true);
  const rate = (run: typeof a) => {
    const outcomes = run.problems.flatMap((p) => p.outcomes);
    return outcomes.filter((o) => o === 'pass').length / outcomes.length;
  };
  // A passes 60% (less 0.5% errors); B moves 8% of fails up and 3% of passes down: 0.6 + 0.4·0.08 − 0.6·0.03 = 0.614.
  expect(rate(a)).toBeGreaterThan(0.58);
  expect(rate(a)).toBeLessThan(0.62);
  expect(rate(b)).toBeGreaterThan(0.60);
  expect(rate(b)).toBeLessThan(0.63);
  expect(compareRuns({ a, b, bootstrap: { resamples: 200 } }).splits.heldout.paired.n).toBeGreaterThan(900);
});

it('times compare and the bootstrap, wall and CPU (scaled down here; npm run bench runs 10,000 × 10,000)', async () => {
  const result = await benchEvalStats(2000, 1000);
  expect(result.figures).toMatchObject({ problems: 2000, resamples: 1000 });
  for (const figure of ['compare_ms', 'compare_cpu_ms', 'bootstrap_alone_ms', 'bootstrap_alone_cpu_ms']) {
    expect(result.figures[figure]).toBeGreaterThan(0);
  }
});
