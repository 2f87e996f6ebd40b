// The tuned / held-out split: a golden list of held-out HumanEval ids, balance on HumanEval and MBPP, order independence.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitOf } from '../../src/eval/stats/split.js';
import { loadTasks } from '../../src/tools/datasets.js';
import { sharedDir } from '../helpers/shared.js';

// Computed independently with Python: [i for i in range(164) if hashlib.sha256(f"HumanEval/{i}".encode()).digest()[0] >= 128]
const HELD_OUT_HUMANEVAL = [
  0, 3, 4, 6, 9, 10, 11, 12, 13, 14, 15, 18, 21, 22, 26, 29, 31, 38, 40, 41, 42, 43, 50, 51, 52, 54, 56, 57, 59, 60, 62,
  63, 65, 68, 69, 70, 72, 77, 78, 79, 81, 89, 92, 93, 94, 97, 99, 102, 103, 112, 116, 117, 119, 120, 126, 127, 129, 130,
  131, 134, 141, 144, 146, 150, 152, 153, 154, 156, 158, 159, 160, 161, 162, 163,
].map((i) => `HumanEval/${i}`);

async function ids(file: string): Promise<string[]> {
  return (await loadTasks(join(sharedDir(), 'datasets', file))).map((t) => t.ref.id);
}

describe('splitOf', () => {
  it('puts exactly the golden HumanEval ids in the held-out half', async () => {
    const all = await ids('HumanEval.jsonl.gz');
    expect(all).toHaveLength(164);
    expect(all.filter((id) => splitOf(id) === 'heldout')).toEqual(HELD_OUT_HUMANEVAL);
  });

  it('is close to 50/50 on HumanEval and MBPP', async () => {
    // Each id is a fair coin: the held-out count has sd √n/2 (6.4 of 164, 15.6 of 974); both are within 2 sd of half.
    const humaneval = await ids('HumanEval.jsonl.gz');
    const mbpp = await ids('mbpp.jsonl');
    const heldOut = (list: string[]) => list.filter((id) => splitOf(id) === 'heldout').length / list.length;
    expect(heldOut(humaneval)).toBeGreaterThan(0.42);
    expect(heldOut(humaneval)).toBeLessThan(0.58);
    expect(mbpp).toHaveLength(974);
    expect(heldOut(mbpp)).toBeGreaterThan(0.47);
    expect(heldOut(mbpp)).toBeLessThan(0.53);
  });

  it('depends on the id alone, exactly as written', () => {
    const forward = HELD_OUT_HUMANEVAL.map(splitOf);
    const backward = [...HELD_OUT_HUMANEVAL].reverse().map(splitOf).reverse();
    expect(backward).toEqual(forward);
    // First bytes from Python's hashlib: "HumanEval/0" 0xde, "humaneval/0" 0x6b (case is not folded),
    // "é" 0x4a as UTF-8 (0xde if it were hashed as Latin-1), "naïve/2" 0xc4 (0x29 as Latin-1).
    expect(splitOf('HumanEval/0')).toBe('heldout');
    expect(splitOf('humaneval/0')).toBe('tuned');
    expect(splitOf('é')).toBe('tuned');
    expect(splitOf('naïve/2')).toBe('heldout');
  });
});
