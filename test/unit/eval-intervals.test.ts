// Wilson intervals (now shared by probe and eval) and the sample quantile the bootstrap reads its CI from.

import { describe, expect, it } from 'vitest';
import { quantileSorted, wilson } from '../../src/eval/stats/intervals.js';

describe('wilson', () => {
  it('matches the hand-computed interval for 82/164', () => {
    // p = 0.5, z² = 3.8415: centre = (0.5 + 3.8415/328) / (1 + 3.8415/164) = 0.5;
    // half = 1.96/1.023424 · √(0.25/164 + 3.8415/107584) = 1.915104 · 0.039498 = 0.075643.
    const { low, high } = wilson(82, 164);
    expect(low).toBeCloseTo(0.5 - 0.075643, 5);
    expect(high).toBeCloseTo(0.5 + 0.075643, 5);
  });

  it('accepts a fractional count (repeat-averaged pass rates)', () => {
    const whole = wilson(30, 60);
    const averaged = wilson(30.5, 60);
    expect(averaged.low).toBeGreaterThan(whole.low);
    expect(averaged.high).toBeGreaterThan(whole.high);
    expect(averaged.low).toBeLessThan(wilson(31, 60).low);
  });
});

describe('quantileSorted (type 7)', () => {
  it('interpolates between order statistics', () => {
    expect(quantileSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    // h = (4 − 1)·0.025 = 0.075 → 10 + 0.075·(20 − 10) = 10.75
    expect(quantileSorted([10, 20, 30, 40], 0.025)).toBeCloseTo(10.75, 12);
    // h = 3·0.975 = 2.925 → 30 + 0.925·10 = 39.25
    expect(quantileSorted(new Float64Array([10, 20, 30, 40]), 0.975)).toBeCloseTo(39.25, 12);
    expect(quantileSorted([7], 0.975)).toBe(7);
    expect(() => quantileSorted([], 0.5)).toThrow(RangeError);
  });
});
