import { describe, expect, it } from 'vitest';
import { passAtK, passAtKTable, wilson } from '../../src/probe/stats.js';

/** The estimator written the long way, with exact binomials: the product form must agree with it. */
function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

describe('pass@k (Chen et al. 2021, unbiased)', () => {
  it('matches known values', () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    expect(passAtK(10, 3, 5)).toBeCloseTo(1 - 21 / 252, 12);
    expect(passAtK(10, 3, 10)).toBe(1);
    expect(passAtK(20, 0, 1)).toBe(0);
    expect(passAtK(20, 0, 10)).toBe(0);
    expect(passAtK(20, 20, 1)).toBe(1);
    expect(passAtK(20, 20, 10)).toBe(1);
  });

  it('agrees with 1 - C(n-c,k)/C(n,k) across small n, c, k', () => {
    for (let n = 1; n <= 25; n++) {
      for (let c = 0; c <= n; c++) {
        for (const k of [1, 2, 5, 10].filter((k) => k <= n)) {
          const exact = n - c < k ? 1 : 1 - binomial(n - c, k) / binomial(n, k);
          expect(passAtK(n, c, k)).toBeCloseTo(exact, 10);
        }
      }
    }
  });

  it('stays finite where the binomials would overflow', () => {
    // C(n-c,k)/C(n,k) = Π_{i<c} (n-k-i)/(n-i): three factors here, while C(5000, 500) is far beyond a double.
    expect(passAtK(2000, 3, 10)).toBeCloseTo(1 - (1990 / 2000) * (1989 / 1999) * (1988 / 1998), 12);
    const huge = passAtK(5000, 7, 500);
    expect(Number.isFinite(huge)).toBe(true);
    let rest = 1;
    for (let i = 0; i < 7; i++) rest *= (5000 - 500 - i) / (5000 - i);
    expect(huge).toBeCloseTo(1 - rest, 10);
  });

  it('refuses k > n and c outside 0..n', () => {
    expect(() => passAtK(4, 1, 5)).toThrow(RangeError);
    expect(() => passAtK(4, 5, 1)).toThrow(RangeError);
    expect(() => passAtK(0, 0, 1)).toThrow(RangeError);
  });
});

describe('pass@k table and intervals', () => {
  it('reports only k ≤ n', () => {
    expect(passAtKTable(4, 2).map((e) => e.k)).toEqual([1]);
    expect(passAtKTable(7, 2).map((e) => e.k)).toEqual([1, 5]);
    expect(passAtKTable(10, 3).map((e) => e.k)).toEqual([1, 5, 10]);
    expect(passAtKTable(0, 0)).toEqual([]);
  });

  it('gives the Wilson interval on pass@1 and maps it through 1-(1-p)^k for larger k', () => {
    const [one, five] = passAtKTable(10, 3);
    const { low, high } = wilson(3, 10);
    // Reference values of the 95% Wilson interval for 3/10.
    expect(low).toBeCloseTo(0.10779, 4);
    expect(high).toBeCloseTo(0.60322, 4);
    expect(one.estimate).toBeCloseTo(0.3, 12);
    expect(one.low).toBeCloseTo(low, 12);
    expect(five.low).toBeCloseTo(1 - (1 - low) ** 5, 12);
    expect(five.high).toBeCloseTo(1 - (1 - high) ** 5, 12);
    expect(five.low).toBeLessThan(five.estimate);
    expect(five.high).toBeGreaterThan(five.estimate);
  });

  it('keeps intervals inside [0, 1] at the extremes', () => {
    const [none] = passAtKTable(20, 0);
    expect(none.low).toBe(0);
    expect(none.high).toBeGreaterThan(0);
    expect(none.high).toBeLessThan(0.2);
    const [all] = passAtKTable(20, 20);
    expect(all.high).toBe(1);
    expect(all.low).toBeGreaterThan(0.8);
  });
});
