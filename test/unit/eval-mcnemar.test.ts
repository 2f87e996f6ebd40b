// McNemar's exact test against p-values computed by hand from binomial coefficients.

import { describe, expect, it } from 'vitest';
import { mcnemarExact } from '../../src/eval/stats/mcnemar.js';

describe('mcnemarExact', () => {
  it('matches hand-computed two-sided p-values', () => {
    // n = 7, min = 1: 2 · (C(7,0) + C(7,1)) / 2⁷ = 2 · 8/128 = 0.125
    expect(mcnemarExact(1, 6).pValue).toBeCloseTo(0.125, 14);
    expect(mcnemarExact(6, 1).pValue).toBeCloseTo(0.125, 14);
    // n = 5, min = 0: 2 · 1/32 = 0.0625 (five flips one way are not significant at 0.05)
    expect(mcnemarExact(0, 5).pValue).toBeCloseTo(0.0625, 14);
    // n = 6, min = 0: 2 · 1/64 = 0.03125
    expect(mcnemarExact(0, 6).pValue).toBeCloseTo(0.03125, 14);
    // n = 12, min = 2: 2 · (1 + 12 + 66) / 4096 = 158/4096
    expect(mcnemarExact(2, 10).pValue).toBeCloseTo(158 / 4096, 14);
    // n = 20, min = 5: 2 · (1 + 20 + 190 + 1140 + 4845 + 15504) / 2²⁰ = 2 · 21700/1048576
    expect(mcnemarExact(15, 5).pValue).toBeCloseTo(43400 / 1048576, 14);
  });

  it('caps at 1 for a balanced split and gives 1 when nothing is discordant', () => {
    // n = 4, min = 2: 2 · (1 + 4 + 6)/16 = 1.375 → 1
    expect(mcnemarExact(2, 2).pValue).toBe(1);
    expect(mcnemarExact(0, 0).pValue).toBe(1);
    expect(mcnemarExact(0, 0)).toEqual({ aOnly: 0, bOnly: 0, pValue: 1 });
  });

  it('stays finite and exact where 2ⁿ overflows a double', () => {
    // 2 · 2⁻²⁰⁰⁰ underflows to 0 in doubles: the honest answer for 0 vs 2000 is "smaller than any double".
    expect(mcnemarExact(0, 2000).pValue).toBe(0);
    // n = 1101, min = 1: 2 · (1 + 1101) / 2¹¹⁰¹ = 2204 · 2⁻¹¹⁰¹ — smaller than a double can hold, so 0.
    expect(mcnemarExact(1, 1100).pValue).toBe(0);
    // Near-even splits of many pairs, against exact big-integer sums in Python:
    // 2 · Σ_{k ≤ 4000} C(8200, k) / 2⁸²⁰⁰ = 0.027972423571324383; 2 · Σ_{k ≤ 130} C(300, k) / 2³⁰⁰ = 0.02418198247326276.
    expect(mcnemarExact(4000, 4200).pValue).toBeCloseTo(0.027972423571324383, 12);
    expect(mcnemarExact(170, 130).pValue).toBeCloseTo(0.02418198247326276, 13);
    expect(mcnemarExact(4100, 4100).pValue).toBe(1);
  });

  it('refuses counts that are not non-negative integers', () => {
    expect(() => mcnemarExact(-1, 3)).toThrow(RangeError);
    expect(() => mcnemarExact(1.5, 3)).toThrow(RangeError);
  });
});
