import { describe, expect, it } from 'vitest';
import { groupSolutions } from '../../src/probe/cluster.js';
import { firstDivergence } from '../../src/probe/divergence.js';
import type { ProbeSample, SampleOutcome } from '../../src/probe/types.js';
import { realTools } from '../helpers/engine-harness.js';

const { parser } = await realTools();

function sample(index: number, code: string, outcome: SampleOutcome = 'pass'): ProbeSample {
  return { index, branchId: index + 1, temperature: 0.8, outcome, repaired: false, code, reason: '', tokens: 0 };
}

const BASE = `def close(numbers, threshold):
    for i, a in enumerate(numbers):
        for j, b in enumerate(numbers):
            if i != j and abs(a - b) < threshold:
                return True
    return False
`;
const RENAMED = `def close(numbers, threshold):
    for idx, x in enumerate(numbers):   # outer
        for idy, y in enumerate(numbers):
            if idx != idy and abs(x - y) < threshold:
                return True

    return False
`;
const OFF_BY_ONE = BASE.replace('< threshold', '<= threshold');
const SORTED = `def close(numbers, threshold):
    s = sorted(numbers)
    return any(b - a < threshold for a, b in zip(s, s[1:]))
`;

describe('grouping solutions by normal form (real tree-sitter parser)', () => {
  it('puts renamed-variable, re-commented and re-spaced variants together and keeps different logic apart', () => {
    const groups = groupSolutions(
      [sample(0, BASE), sample(1, SORTED), sample(2, RENAMED), sample(3, OFF_BY_ONE, 'fail'), sample(4, BASE.replace(/    /g, '  '))],
      parser,
    );
    expect(groups.map((g) => g.samples)).toEqual([[0, 2, 4], [1], [3]]);
    expect(groups[0]).toMatchObject({ count: 3, passing: true, outcomes: { pass: 3 }, representative: BASE });
    expect(groups[2]).toMatchObject({ passing: false, outcomes: { fail: 1 } });
  });

  it('counts every outcome within a group and skips samples without code', () => {
    const noCode: ProbeSample = { ...sample(3, ''), outcome: 'error' };
    delete noCode.code;
    const groups = groupSolutions([sample(0, BASE), sample(1, RENAMED, 'timeout'), sample(2, BASE, 'fail'), noCode], parser);
    expect(groups).toHaveLength(1);
    expect(groups[0].outcomes).toEqual({ pass: 1, timeout: 1, fail: 1 });
    expect(groups[0].passing).toBe(true);
  });

  it('keeps a different called function or constant apart', () => {
    const groups = groupSolutions([sample(0, BASE), sample(1, BASE.replace('abs(', 'round(')), sample(2, BASE.replace('return False', 'return 0'))], parser);
    expect(groups).toHaveLength(3);
  });
});

describe('first divergence of token streams', () => {
  const top = (...alts: Array<[string, number]>) => alts.map(([token, p]) => ({ token, logprob: Math.log(p) }));
  const stream = (...tokens: string[]) => tokens.map((text) => ({ text, logprob: Math.log(0.5), top: top([text, 0.5], ['x', 0.25]) }));

  it('finds the first position where streams differ, with what each chose and the alternatives there', () => {
    const a = stream('def', ' f', '(', 'a');
    a[2].top = top(['(', 0.7], ['[', 0.2], [':', 0.1]);
    const d = firstDivergence([a, stream('def', ' f', '[', 'a'), stream('def', ' f', '(', 'b')]);
    expect(d).toMatchObject({ position: 2, prefix: 'def f' });
    expect(d!.chosen).toEqual([
      { token: '(', count: 2 },
      { token: '[', count: 1 },
    ]);
    expect(d!.alternatives.map((x) => x.token)).toEqual(['(', '[', ':']);
    expect(d!.alternatives[0].probability).toBeCloseTo(0.7, 12);
  });

  it('treats a stream that ended as a choice of its own', () => {
    const d = firstDivergence([stream('a', 'b'), stream('a', 'b', 'c')]);
    expect(d).toMatchObject({ position: 2, prefix: 'ab' });
    expect(d!.chosen).toEqual([
      { token: null, count: 1 },
      { token: 'c', count: 1 },
    ]);
  });

  it('says nothing when streams agree, when there is one, or when no probabilities were kept', () => {
    expect(firstDivergence([stream('a', 'b'), stream('a', 'b')])).toBeUndefined();
    expect(firstDivergence([stream('a', 'b'), []])).toBeUndefined();
    expect(firstDivergence([[{ text: 'a' }], [{ text: 'b' }]])).toBeUndefined();
  });
});
