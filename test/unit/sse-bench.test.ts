// The SSE throughput bench runs over the real capture (its speed is judged by `npm run bench`, not here).

import { expect, it } from 'vitest';
import { benchSseThroughput } from '../../src/bench/sse-throughput.js';

it('parses and dispatches at least 100k tokens and reports tokens/s', async () => {
  const result = await benchSseThroughput();
  expect(result.name).toBe('sse-throughput');
  expect(result.figures.tokens).toBeGreaterThanOrEqual(100_000);
  expect(result.figures.loopbackTokens).toBe(result.figures.tokens);
});
