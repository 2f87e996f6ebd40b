// The comparison renderer: both splits side by side, flipped ids, verdict with reasons, flags; untrusted text made safe.

import { describe, expect, it } from 'vitest';
import { renderComparison } from '../../src/eval/report-text.js';
import { compareRuns } from '../../src/eval/stats/compare.js';
import type { Outcome, RunResults } from '../../src/eval/stats/outcomes.js';

const ids = Array.from({ length: 60 }, (_, i) => `HumanEval/${i}`);
const run = (label: string, outcome: (i: number) => Outcome[], list = ids): RunResults => ({
  label,
  problems: list.map((id, i) => ({ id, outcomes: outcome(i) })),
});
const a = run('runs/a', (i) => [i === 59 ? 'error' : i % 3 === 0 ? 'fail' : 'pass']);
// B gains HumanEval/0, /3, /6 and /9 (all held-out) and loses /1 (tuned).
const b = run('runs/b', (i) => [i < 10 && i % 3 === 0 ? 'pass' : i === 1 ? 'fail' : i % 3 === 0 ? 'fail' : 'pass']);

describe('renderComparison', () => {
  it('prints both splits side by side, the flips both ways, the verdict with its reasons and the flags', () => {
    // Held-out: 29 ids, 28 paired (HumanEval/59 errored in A); 0 vs 4 discordant → McNemar 2/16 = 0.125, so the
    // bootstrap CI [+3.6, +28.6] alone does not make a win. Tuned: one loss in 31 → −3.2 pts, SE 1/31, MDE 2.8016/31.
    expect(renderComparison(compareRuns({ a, b, differingSettings: ['prompt', 'seed'] }))).toEqual([
      'compare: A = runs/a, B = runs/b',
      '',
      '                                  tuned                                   held-out',
      'pass@1 A                          74.2% [56.8%, 86.3%]                    57.1% [39.1%, 73.5%]',
      'pass@1 B                          71.0% [53.4%, 83.9%]                    72.4% [54.3%, 85.3%]',
      'judged A                          31 of 31 problems                       28 of 29 problems',
      'judged B                          31 of 31 problems                       29 of 29 problems',
      'errors A                          0 of 31 attempts (0.0%)                 1 of 29 attempts (3.4%)',
      'errors B                          0 of 31 attempts (0.0%)                 0 of 29 attempts (0.0%)',
      'paired n                          31                                      28 (1 with errors left out)',
      'both / A only / B only / neither  22 / 1 / 0 / 8                          16 / 0 / 4 / 8',
      'delta B − A [95% CI]              -3.2 pts [-9.7, +0.0]                   +14.3 pts [+3.6, +28.6]',
      'McNemar exact p                   1.00                                    0.125',
      'noise floor (flip rate)           not measured (use --repeat or --noise)  not measured (use --repeat or --noise)',
      'MDE, 80% power                    ±9.0 pts                                ±18.9 pts',
      'verdict                           no change (within noise)                no change (within noise)',
      '',
      'tuned: B gained 0 (A fail → B pass): –',
      'tuned: B lost 1 (A pass → B fail): HumanEval/1',
      'held-out: B gained 4 (A fail → B pass): HumanEval/0, HumanEval/3, HumanEval/6, HumanEval/9',
      'held-out: B lost 0 (A pass → B fail): –',
      '',
      'verdict (held-out, what a claim rests on): no change (within noise): McNemar p ≥ 0.05',
      '',
      '! held-out: only 28 problems judged in both runs (fewer than 30)',
      '! held-out: run A ended 1 of 29 attempts in error (3.4%, over 2%)',
      "! A and B differ in 2 settings (prompt, seed): the delta is not one change's",
      '',
      'split: held-out when the first byte of SHA-256(problem id as UTF-8, exactly as written, e.g. "HumanEval/12") is 128 or more; tuned otherwise',
    ]);
  });

  it('shows the noise floor and where it came from', () => {
    const twice = (i: number): Outcome[] => (i < 6 ? ['pass', 'fail'] : i % 2 ? ['pass', 'pass'] : ['fail', 'fail']);
    const lines = renderComparison(compareRuns({ a: run('a', twice), b: run('b', twice), noise: run('c', (i) => [i % 2 ? 'pass' : 'fail']) }));
    const noise = lines.find((l) => l.startsWith('noise floor'))!;
    // Tuned ids 1, 2, 5 are among 0–5 (3 of 31 flip: 9.7%); held-out 0, 3, 4 (3 of 29: 10.3%).
    // Against the noise run: ids 0–5 are half-passing in A, so each disagrees with C half the time.
    expect(noise).toBe('noise floor (flip rate)           9.7% (A repeats 9.7%, B repeats 9.7%, noise run 4.8%)  10.3% (A repeats 10.3%, B repeats 10.3%, noise run 5.2%)');
    expect(lines).toContain('compare: A = a, B = b, noise run of A = c');
  });

  it('strips terminal control sequences from labels and ids, and escapes markdown', () => {
    const evil = ['HumanEval/0\x1b]0;pwned\x07', 'x|y\x1b[2J'];
    const c = compareRuns({
      a: run('runs/\x1b[31ma', () => ['fail'], evil),
      b: run('runs/b|c', () => ['pass'], evil),
    });
    const text = renderComparison(c).join('\n');
    expect(text).not.toMatch(/\x1b|\x07/);
    expect(text).toContain('compare: A = runs/a, B = runs/b|c');
    const markdown = renderComparison(c, 'markdown');
    expect(markdown[0]).toBe('## compare: A = runs/a, B = runs/b\\|c');
    expect(markdown[2]).toBe('|  | tuned | held-out |');
    expect(markdown.join('\n')).not.toMatch(/\x1b|\x07/);
    expect(markdown.filter((l) => l.startsWith('- ')).join('\n')).toContain('x\\|y');
  });
});
