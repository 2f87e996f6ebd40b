// The gate-overhead bench runs end to end and reports its figures (the ratio itself is judged by `npm run bench`).

import { expect, it } from 'vitest';
import { benchGateOverhead } from '../../src/bench/gate-overhead.js';

it('reports medians and ratios for the bare run and the gate', async () => {
  const result = await benchGateOverhead(2);
  expect(result.name).toBe('gate overhead');
  expect(result.figures.bare_ms).toBeGreaterThan(0);
  expect(result.figures.ratio_none).toBeGreaterThan(0);
});
