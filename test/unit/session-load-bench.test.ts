// The session-load bench: its synthetic session is a valid one, and the bench measures a real 100,000-event load.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { benchSessionLoad, syntheticSession } from '../../src/bench/session-load.js';
import { readSession } from '../../src/session/reader.js';
import { reduceAll } from '../../src/state/run-state.js';
import { scratchDir } from '../helpers/scratch.js';

it('generates a session the reader accepts whole and the reducer finishes', async () => {
  const path = join(scratchDir('sb-bench-'), 's.jsonl');
  writeFileSync(path, syntheticSession(5000).map((e) => JSON.stringify(e)).join('\n') + '\n');
  const session = await readSession(path);
  expect(session.warnings).toEqual([]);
  expect(session.events).toHaveLength(5000);
  const state = reduceAll(session.events);
  expect(state.branches.get(0)?.finished?.verdict).toBe('fail');
  expect([...state.slots.values()].some((s) => s.scored && s.scored.length > 0)).toBe(true);
});

it('reports load time, its ratio to bare JSON.parse, and memory per file byte for 100,000 events', async () => {
  const result = await benchSessionLoad();
  expect(result.name).toBe('session-load');
  expect(result.figures.events).toBe(100_000);
  for (const figure of ['loadAndSeekMs', 'bareJsonParseMs', 'timesBareParse', 'memoryPerFileByte']) {
    expect(result.figures[figure]).toBeGreaterThan(0);
  }
});
