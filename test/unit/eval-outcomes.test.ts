// Folding repeats (errors set aside, pass rate), per-split run summaries, and the flip-rate noise floor.

import { describe, expect, it } from 'vitest';
import { isUserError } from '../../src/core/errors.js';
import { flipRateBetween, flipRateWithin } from '../../src/eval/stats/noise.js';
import { foldRun, type Outcome, type RunResults } from '../../src/eval/stats/outcomes.js';
import { summarise, summariseBySplit } from '../../src/eval/stats/run-summary.js';

const run = (problems: [string, Outcome[]][]): RunResults => ({ label: 'runs/a', problems: problems.map(([id, outcomes]) => ({ id, outcomes })) });

describe('foldRun', () => {
  it('sets errors aside and folds the judged repeats into a pass rate', () => {
    const [three, tie, errored, single] = foldRun(
      run([
        ['HumanEval/0', ['pass', 'error', 'pass', 'fail']],
        ['HumanEval/1', ['pass', 'fail']],
        ['HumanEval/2', ['error', 'error']],
        ['HumanEval/3', ['fail']],
      ]),
    );
    expect(three).toMatchObject({ split: 'heldout', passes: 2, fails: 1, errors: 1, rate: 2 / 3 });
    expect(tie).toMatchObject({ split: 'tuned', rate: 0.5 });
    expect(errored).toMatchObject({ errors: 2, rate: null });
    expect(single).toMatchObject({ rate: 0 });
  });

  it('refuses bad records with one line naming the run and the problem', () => {
    const refuse = (results: RunResults) => {
      try {
        foldRun(results);
      } catch (error) {
        expect(isUserError(error)).toBe(true);
        return (error as Error).message;
      }
      throw new Error('accepted a bad record');
    };
    expect(refuse(run([['X/1', ['pass']], ['X/1', ['fail']]]))).toBe('runs/a: problem "X/1" appears twice; keep one result per problem (repeats go in its outcomes)');
    expect(refuse(run([['X/1', []]]))).toBe('runs/a: problem "X/1" has no outcomes; record one per repeat');
    expect(refuse(run([['X/1', ['passed' as Outcome]]]))).toBe('runs/a: problem "X/1" has outcome "passed"; use pass, fail or error');
    expect(refuse({ label: 'runs/a', problems: [{ id: 'X/1', outcomes: ['pass'], retries: -1 }] })).toMatch(/retries -1/);
    expect(refuse({ label: 'runs/a', problems: [{ outcomes: ['pass'] } as never] })).toMatch(/^runs\/a: problem #1 has no id/);
  });
});

describe('summarise', () => {
  it('prints the denominator, the errors, and pass@1 averaged over repeats', () => {
    const problems = foldRun({
      label: 'r',
      problems: [
        { id: 'A/1', outcomes: ['pass', 'pass', 'fail'], retries: 2 },
        { id: 'A/2', outcomes: ['fail', 'fail', 'fail'] },
        { id: 'A/3', outcomes: ['pass', 'error', 'pass'], retries: 3 },
        { id: 'A/4', outcomes: ['error', 'error', 'error'] },
      ],
    });
    const s = summarise(problems);
    // Rates 2/3, 0, 1 over 3 judged problems: pass@1 = (2/3 + 0 + 1)/3 = 5/9. Errors: 4 of 12 attempts.
    expect(s).toMatchObject({ problems: 4, judged: 3, errorProblems: 1, attempts: 12, errorAttempts: 4, retries: 5, repeats: 3 });
    expect(s.passAt1).toBeCloseTo(5 / 9, 12);
    expect(s.errorRate).toBeCloseTo(1 / 3, 12);
    expect(s.interval.low).toBeLessThan(5 / 9);
    expect(s.interval.high).toBeGreaterThan(5 / 9);
    // Flips: A/1 has 2·1 of C(3,2) = 3 pairs disagreeing (2/3); A/2 0; A/3 has two judged passes (0). Mean 2/9.
    expect(s.flipRate).toEqual({ rate: 2 / 9, problems: 3 });
  });

  it('reports each split on its own, and nothing judged as null', () => {
    const bySplit = summariseBySplit(foldRun(run([['HumanEval/0', ['pass']], ['HumanEval/1', ['fail']], ['HumanEval/5', ['error']]])));
    // HumanEval/0 is held-out, /1 and /5 tuned (golden list).
    expect(bySplit.heldout).toMatchObject({ problems: 1, judged: 1, passAt1: 1 });
    expect(bySplit.tuned).toMatchObject({ problems: 2, judged: 1, errorProblems: 1, passAt1: 0, errorRate: 0.5 });
    expect(summarise([])).toMatchObject({ problems: 0, judged: 0, passAt1: null, errorRate: 0, flipRate: null, interval: { low: 0, high: 1 } });
  });
});

describe('flip rates (noise floor)', () => {
  it('within a run: the share of disagreeing repeat pairs, over problems with two judged repeats', () => {
    const problems = foldRun(run([['a', ['pass', 'fail']], ['b', ['pass', 'pass']], ['c', ['fail', 'error']], ['d', ['fail', 'fail']]]));
    // a flips, b and d do not, c has one judged repeat and is left out: 1/3.
    expect(flipRateWithin(problems)).toEqual({ rate: 1 / 3, problems: 3 });
    expect(flipRateWithin(foldRun(run([['a', ['pass']]])))).toBeNull();
  });

  it('between two runs of one config: disagreeing cross pairs, over problems judged in both', () => {
    const x = foldRun(run([['a', ['pass']], ['b', ['pass']], ['c', ['fail']], ['d', ['pass', 'fail']], ['e', ['error']]]));
    const y = foldRun(run([['a', ['pass']], ['b', ['fail']], ['c', ['fail']], ['d', ['pass']], ['e', ['pass']], ['f', ['fail']]]));
    // a 0, b 1, c 0, d (1·0 + 1·1)/(2·1) = ½; e not judged in x, f not in x: (0 + 1 + 0 + ½)/4 = 3/8.
    expect(flipRateBetween(x, y)).toEqual({ rate: 3 / 8, problems: 4 });
    expect(flipRateBetween(x, [])).toBeNull();
  });
});
