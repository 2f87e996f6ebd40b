// The gate-overhead bench runs end to end and reports its figures (the ratio itself is judged by `npm run bench`).

import { expect, it } from 'vitest';
import { benchGateOverhead } from '../../src/bench/gate-overhead.js';

it('reports medians and ratios for the bare run and each gate set-up, and the cost of each part', async () => {
  const result = await benchGateOverhead(2);
  expect(result.name).toBe('gate overhead');
  expect(result.figures.bare_ms).toBeGreaterThan(0);
  for (const name of ['none_nocgroup', 'bwrap_nocgroup', 'bwrap']) expect(result.figures[`ratio_${name}`]).toBeGreaterThan(0);
  for (const part of ['two_process_cost_ms', 'sandbox_cost_ms', 'cgroup_cost_ms']) expect(typeof result.figures[part]).toBe('number');
}, 120_000);
