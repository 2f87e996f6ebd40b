// compareRuns on planted runs: exactly the planted flips, the verdict and its reasons, noise floors, honesty flags.

import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../src/eval/stats/compare.js';
import type { Outcome, ProblemResult, RunResults } from '../../src/eval/stats/outcomes.js';
import { splitOf, type Split } from '../../src/eval/stats/split.js';

/** The first `count` ids `Planted/i` that fall in the split. */
function idsIn(split: Split, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < count; i++) if (splitOf(`Planted/${i}`) === split) ids.push(`Planted/${i}`);
  return ids;
}

const HELD = idsIn('heldout', 200);
const TUNED = idsIn('tuned', 200);

/** A run whose problem i gets outcomes(i, id) on every split's ids. */
function plant(label: string, outcomes: (i: number, id: string) => Outcome[], ids = [...HELD, ...TUNED]): RunResults {
  return { label, problems: ids.map((id): ProblemResult => ({ id, outcomes: outcomes(ids.indexOf(id) % 200, id) })) };
}

const base = (i: number): Outcome => (i % 5 < 3 ? 'pass' : 'fail'); // 120 of 200 pass in each split

describe('compareRuns: planted flips', () => {
  it('reports exactly the planted flips, both ways, and the paired table', () => {
    const gained = new Set([3, 4, 8, 9, 13, 14, 18, 19, 23, 24, 28, 29, 33, 34, 38, 39, 43, 44, 48, 49]); // 20 fails → pass
    const lost = new Set([0, 5, 10, 15, 20]); // 5 passes → fail
    const a = plant('runs/a', (i) => [base(i)]);
    const b = plant('runs/b', (i) => [gained.has(i) ? 'pass' : lost.has(i) ? 'fail' : base(i)]);
    const c = compareRuns({ a, b });
    for (const [split, ids] of [['heldout', HELD], ['tuned', TUNED]] as const) {
      const s = c.splits[split];
      expect(s.paired.bOnlyIds).toEqual([...gained].map((i) => ids[i]).sort(new Intl.Collator('en', { numeric: true }).compare));
      expect(new Set(s.paired.aOnlyIds)).toEqual(new Set([...lost].map((i) => ids[i])));
      expect(s.paired).toMatchObject({ n: 200, aOnly: 5, bOnly: 20, bothPass: 115, neither: 60, onlyInA: 0, onlyInB: 0, errorExcluded: 0 });
      // delta = (20 − 5)/200 = 0.075; McNemar 5 vs 20 → p = 2·P(Bin(25, ½) ≤ 5) = 0.004077.
      expect(s.delta).toBeCloseTo(0.075, 12);
      expect(s.mcnemar.pValue).toBeCloseTo(0.004077, 6);
      expect(s.a.passAt1).toBeCloseTo(0.6, 12);
      expect(s.b.passAt1).toBeCloseTo(0.675, 12);
      expect(s.ci!.low).toBeGreaterThan(0);
      expect(s.noise.floor).toBeNull();
      expect(s.verdict).toEqual({ kind: 'better', reasons: [] });
    }
    expect(c.verdict.kind).toBe('better');
    expect(c.flags).toEqual([]);
    // The same runs the other way round: worse, with the flips swapped.
    const back = compareRuns({ a: b, b: a });
    expect(back.verdict.kind).toBe('worse');
    expect(back.splits.heldout.paired.aOnly).toBe(20);
  });

  it('says "no change (within noise)" when the planted delta is inside the planted noise floor of repeats', () => {
    // --repeat 2. In both runs problems 0–39 flip between their two repeats: flip rate 40/200 = 0.20.
    // B also turns 30 of A's steady fails (i = 100..129 region, i % 5 ≥ 3) into steady passes: delta 30/200 = 0.15 ≤ 0.20.
    const flaky = (i: number) => i < 40;
    const gained = (i: number) => i >= 100 && base(i) === 'fail' && i < 100 + 75;
    const twice = (o: Outcome): Outcome[] => [o, o];
    const a = plant('a', (i) => (flaky(i) ? ['pass', 'fail'] : twice(base(i))));
    const b = plant('b', (i) => (flaky(i) ? ['fail', 'pass'] : twice(gained(i) ? 'pass' : base(i))));
    const s = compareRuns({ a, b }).splits.heldout;
    expect(s.paired.bOnly).toBe(30);
    expect(s.paired.aOnly).toBe(0);
    expect(s.delta).toBeCloseTo(0.15, 12);
    expect(s.noise.withinA).toEqual({ rate: 0.2, problems: 200 });
    expect(s.noise.floor).toBeCloseTo(0.2, 12);
    // CI and McNemar alone would call it a win; the noise floor is what stops it.
    expect(s.ci!.low).toBeGreaterThan(0);
    expect(s.mcnemar.pValue).toBeLessThan(0.001);
    expect(s.verdict).toEqual({ kind: 'no change (within noise)', reasons: ['within_noise_floor'] });
  });

  it('takes the noise floor from a separate run of A when there are no repeats', () => {
    // C is A's config again and disagrees with A on 24 of 200 problems (0.12); B gains 20 (delta 0.10).
    const a = plant('a', (i) => [base(i)]);
    const noise = plant('c', (i) => [i >= 176 ? (base(i) === 'pass' ? 'fail' : 'pass') : base(i)]);
    const b = plant('b', (i) => [i < 50 && base(i) === 'fail' ? 'pass' : base(i)]);
    const without = compareRuns({ a, b }).splits.heldout;
    expect(without.delta).toBeCloseTo(0.1, 12);
    expect(without.verdict.kind).toBe('better');
    const withNoise = compareRuns({ a, b, noise });
    const s = withNoise.splits.heldout;
    expect(s.noise.againstNoiseRun).toEqual({ rate: 0.12, problems: 200 });
    expect(s.noise.floor).toBeCloseTo(0.12, 12);
    expect(s.verdict).toEqual({ kind: 'no change (within noise)', reasons: ['within_noise_floor'] });
    expect(withNoise.labels).toEqual({ a: 'a', b: 'b', noise: 'c' });
  });

  it('with repeats, counts a problem as flipped when its pass rate moved, whichever way the repeats split', () => {
    // Problem 0: A 2/2, B 1/2 → A did better. Problem 1: A 1/2, B 1/2 → concordant (neither: rate not above ½).
    // Problem 2: A 0/2, B 1/2 → B did better. Problem 3: A 1/2, B 2/2 → B did better. Problems 4–39 steady and
    // unchanged: 21 pass (i % 5 < 3), 15 fail.
    const a = plant('a', (i) => (i === 0 ? ['pass', 'pass'] : i === 1 || i === 3 ? ['pass', 'fail'] : i === 2 ? ['fail', 'fail'] : [base(i), base(i)]), HELD.slice(0, 40));
    const b = plant('b', (i) => (i <= 2 ? ['fail', 'pass'] : i === 3 ? ['pass', 'pass'] : [base(i), base(i)]), HELD.slice(0, 40));
    const s = compareRuns({ a, b }).splits.heldout;
    expect(s.paired).toMatchObject({ n: 40, aOnlyIds: [HELD[0]], bOnlyIds: [HELD[2], HELD[3]], neither: 1 + 15, bothPass: 21 });
    // delta = (−½ + 0 + ½ + ½)/40 = 1/80; McNemar is the sign test: 1 vs 2 → p = 1.
    expect(s.delta).toBeCloseTo(1 / 80, 12);
    expect(s.mcnemar).toEqual({ aOnly: 1, bOnly: 2, pValue: 1 });
  });

  it('names every failing test when a small delta is not significant', () => {
    const a = plant('a', (i) => [base(i)]);
    const b = plant('b', (i) => [i === 3 || i === 8 ? 'pass' : i === 0 ? 'fail' : base(i)]);
    const s = compareRuns({ a, b }).splits.heldout;
    // 2 gained, 1 lost: McNemar p = 2·P(Bin(3, ½) ≤ 1) = 1; the CI of 1/200 crosses 0.
    expect(s.mcnemar.pValue).toBe(1);
    expect(s.verdict).toEqual({ kind: 'no change (within noise)', reasons: ['ci_crosses_zero', 'not_significant'] });
  });
});

describe('compareRuns: denominators, errors and flags', () => {
  it('keeps errors out of the pairing and flags more than 2% of them', () => {
    const a = plant('a', (i) => [i < 5 ? 'error' : base(i)]);
    const b = plant('b', (i) => [base(i)]);
    const c = compareRuns({ a, b });
    const s = c.splits.heldout;
    expect(s.paired).toMatchObject({ n: 195, errorExcluded: 5, aOnly: 0, bOnly: 0 });
    // Five errors are not five fails: A's pass@1 is over 195 judged problems.
    expect(s.a).toMatchObject({ judged: 195, errorProblems: 5, errorAttempts: 5, attempts: 200 });
    expect(s.a.passAt1).toBeCloseTo(117 / 195, 12);
    expect(c.flags).toContainEqual({ kind: 'errors_over_2pct', split: 'heldout', run: 'A', errorAttempts: 5, attempts: 200 });
    expect(c.flags).toContainEqual({ kind: 'errors_over_2pct', split: 'tuned', run: 'A', errorAttempts: 5, attempts: 200 });
    // Four errors in 200 is 2.0%: not over the limit.
    const four = compareRuns({ a: plant('a', (i) => [i < 4 ? 'error' : base(i)]), b });
    expect(four.flags.filter((f) => f.kind === 'errors_over_2pct')).toEqual([]);
  });

  it('counts problems present in one run only', () => {
    const a = plant('a', (i) => [base(i)], HELD.slice(0, 150));
    const b = plant('b', (i) => [base(i)], HELD.slice(100));
    const s = compareRuns({ a, b }).splits.heldout;
    expect(s.paired).toMatchObject({ n: 50, onlyInA: 100, onlyInB: 50 });
  });

  it('flags small splits, more than one differing setting, and a win on the tuned split only', () => {
    const a = plant('a', (i) => [base(i)], [...HELD.slice(0, 20), ...TUNED]);
    // B gains 30 tuned problems and nothing held-out.
    const b = plant('b', (i, id) => [TUNED.includes(id) && i < 80 && base(i) === 'fail' ? 'pass' : base(i)], [...HELD.slice(0, 20), ...TUNED]);
    const c = compareRuns({ a, b, differingSettings: ['prompt', 'temperature'] });
    expect(c.splits.tuned.verdict.kind).toBe('better');
    expect(c.verdict.kind).toBe('no change (within noise)');
    expect(c.flags).toEqual([
      { kind: 'small_split', split: 'heldout', n: 20 },
      { kind: 'fingerprints_differ', settings: ['prompt', 'temperature'] },
      { kind: 'only_tuned_improved' },
    ]);
    expect(compareRuns({ a, b, differingSettings: ['prompt'] }).flags.map((f) => f.kind)).not.toContain('fingerprints_differ');
  });

  it('does not flag an absent tuned split, but always a missing held-out one', () => {
    const heldOnly = compareRuns({ a: plant('a', (i) => [base(i)], HELD), b: plant('b', (i) => [base(i)], HELD) });
    expect(heldOnly.flags).toEqual([]);
    const tunedOnly = compareRuns({ a: plant('a', (i) => [base(i)], TUNED), b: plant('b', (i) => [base(i)], TUNED) });
    expect(tunedOnly.flags).toEqual([{ kind: 'small_split', split: 'heldout', n: 0 }]);
    expect(tunedOnly.verdict).toEqual({ kind: 'no change (within noise)', reasons: ['no_paired_problems'] });
    expect(tunedOnly.splits.heldout).toMatchObject({ delta: null, ci: null, detectable: null });
  });

  it('is deterministic and uses the seed it was given', () => {
    const a = plant('a', (i) => [base(i)]);
    const b = plant('b', (i) => [i % 7 === 0 ? 'pass' : base(i)]);
    const once = compareRuns({ a, b });
    expect(compareRuns({ a, b })).toEqual(once);
    // Plain data: a JSON renderer prints it as is and reads back the same object.
    expect(JSON.parse(JSON.stringify(once))).toEqual(once);
    const seeded = compareRuns({ a, b, bootstrap: { seed: 99, resamples: 2000 } }).splits.heldout.ci!;
    expect(seeded).toMatchObject({ seed: 99, resamples: 2000 });
  });
});
