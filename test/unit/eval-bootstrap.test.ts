// Paired bootstrap CI and the paired standard error / MDE, against distributions and sums worked out by hand.

import { describe, expect, it } from 'vitest';
import { pairedBootstrapCi } from '../../src/eval/stats/bootstrap.js';
import type { PairedDiff } from '../../src/eval/stats/clusters.js';
import { detectableEffect } from '../../src/eval/stats/mde.js';
import { seededRandom } from '../../src/eval/stats/rng.js';

const diffs = (values: number[], classes?: (string | undefined)[]): PairedDiff[] =>
  values.map((diff, i) => ({ id: `P/${i}`, diff, ...(classes?.[i] !== undefined ? { class: classes[i] } : {}) }));

describe('pairedBootstrapCi', () => {
  it('matches the exact bootstrap distribution of a small sample', () => {
    // d = [1, 0, 0, 0]: a resample's mean is k/4 with k ~ Binomial(4, 1/4):
    // P(0) = 81/256 = .316, P(¼) = 108/256 = .422, P(½) = 54/256 = .211, P(¾) = 12/256 = .047, P(1) = 1/256.
    // CDF: .316, .738, .949, .996, 1 → the 2.5th percentile is 0, the 97.5th is ¾ (.949 < .975 < .996).
    const ci = pairedBootstrapCi(diffs([1, 0, 0, 0]))!;
    expect(ci.low).toBe(0);
    expect(ci.high).toBe(0.75);
    expect(ci).toMatchObject({ level: 0.95, resamples: 10_000, seed: 1, clusters: 4, clustered: false });
  });

  it('gives a zero-width interval when every problem moved the same way', () => {
    expect(pairedBootstrapCi(diffs([0.5, 0.5, 0.5]))).toMatchObject({ low: 0.5, high: 0.5 });
    expect(pairedBootstrapCi(diffs([0, 0, 0, 0, 0]))).toMatchObject({ low: 0, high: 0 });
  });

  it('resamples whole classes when classes are known', () => {
    // 50 problems of class X all gained (d = 1), 50 of class Y unchanged (d = 0); delta = 0.5.
    const values = [...Array(50).fill(1), ...Array(50).fill(0)];
    const classes = [...Array(50).fill('X'), ...Array(50).fill('Y')];
    // Clustered: two draws of {X, Y}: delta 0 (¼), ½ (½), 1 (¼) → CI [0, 1]: two classes say little.
    const clustered = pairedBootstrapCi(diffs(values, classes))!;
    expect(clustered).toMatchObject({ low: 0, high: 1, clusters: 2, clustered: true });
    // Problems alone: delta = k/100, k ~ Binomial(100, ½), sd 0.05 → about 0.5 ± 0.098.
    const alone = pairedBootstrapCi(diffs(values))!;
    expect(alone.clustered).toBe(false);
    expect(alone.low).toBeGreaterThanOrEqual(0.39);
    expect(alone.low).toBeLessThanOrEqual(0.41);
    expect(alone.high).toBeGreaterThanOrEqual(0.59);
    expect(alone.high).toBeLessThanOrEqual(0.61);
  });

  it('treats a problem without a class as a cluster of its own', () => {
    const ci = pairedBootstrapCi(diffs([1, 1, 0, 0, 1], ['X', 'X', undefined, undefined, 'Y']))!;
    expect(ci.clusters).toBe(4);
    expect(ci.clustered).toBe(true);
  });

  it('agrees with the normal interval on a large sample', () => {
    const random = seededRandom(42);
    const values = Array.from({ length: 2000 }, (): number => (random() < 0.15 ? 1 : random() < 0.12 ? -1 : 0));
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const se = detectableEffect(diffs(values))!.standardError;
    const ci = pairedBootstrapCi(diffs(values))!;
    expect(ci.low).toBeCloseTo(mean - 1.96 * se, 2);
    expect(ci.high).toBeCloseTo(mean + 1.96 * se, 2);
  });

  it('is deterministic for a seed and moves with it', () => {
    const values = Array.from({ length: 300 }, (_, i) => ((i * 7919) % 13) / 13 - 0.4);
    const first = pairedBootstrapCi(diffs(values), { seed: 7 });
    expect(pairedBootstrapCi(diffs(values), { seed: 7 })).toEqual(first);
    expect(pairedBootstrapCi(diffs(values), { seed: 8 })!.low).not.toBe(first!.low);
  });

  it('returns null with nothing paired and refuses a bad resample count', () => {
    expect(pairedBootstrapCi([])).toBeNull();
    expect(() => pairedBootstrapCi(diffs([1]), { resamples: 0 })).toThrow(RangeError);
  });
});

describe('detectableEffect (paired SE and MDE, Miller 2024)', () => {
  it('uses s/√n without classes', () => {
    // d = [1, 0, 0, 0]: mean ¼, Σ(d − d̄)² = 9/16 + 3/16 = ¾, s² = ¾/3 = ¼, SE = √(¼/4) = ¼;
    // MDE = (1.959964 + 0.841621) · ¼ = 0.700396.
    const effect = detectableEffect(diffs([1, 0, 0, 0]))!;
    expect(effect.standardError).toBeCloseTo(0.25, 12);
    expect(effect.mde).toBeCloseTo(0.700396, 6);
  });

  it('adds the within-class cross products when classes are known', () => {
    // X = [1, 1], Y = [0, 0]: mean ½, residuals ±½, s² = 1/3; cross products: X 2·(½·½), Y 2·(−½·−½), total 1.
    // SE² = (1/3)/4 + 1/16 = 0.145833 → SE = 0.381881 (0.288675 without the classes).
    expect(detectableEffect(diffs([1, 1, 0, 0], ['X', 'X', 'Y', 'Y']))!.standardError).toBeCloseTo(0.381881, 6);
    expect(detectableEffect(diffs([1, 1, 0, 0]))!.standardError).toBeCloseTo(0.288675, 6);
    // X = [1, 0], Y = [0, 0]: residuals ¾, −¼ | −¼, −¼; cross: 2·(¾·−¼) + 2·(−¼·−¼) = −0.25;
    // SE² = ¼/4 − 0.25/16 = 0.046875 → SE = 0.216506.
    expect(detectableEffect(diffs([1, 0, 0, 0], ['X', 'X', 'Y', 'Y']))!.standardError).toBeCloseTo(0.216506, 6);
  });

  it('shrinks as 1/√n and needs two problems', () => {
    const small = detectableEffect(diffs([1, -1, 0, 0]))!.mde;
    const large = detectableEffect(diffs(Array.from({ length: 400 }, (_, i) => [1, -1, 0, 0][i % 4])))!.mde;
    // s² is 2/3 at n = 4 and 200/399 at n = 400: ratio √((2/3)/4) / √((200/399)/400) = 0.408248 / 0.035400 = 11.5326.
    expect(small / large).toBeCloseTo(11.5326, 3);
    expect(detectableEffect(diffs([1]))).toBeNull();
  });
});
