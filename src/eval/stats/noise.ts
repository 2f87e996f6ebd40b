// The noise floor: how often the same config disagrees with itself, from repeats within a run or a second run of it.

import type { FoldedProblem } from './outcomes.js';

/** A measured flip rate and how many problems it rests on. */
export interface FlipRate {
  /** Mean over problems of the share of repeat pairs that disagree (one passes, the other fails). */
  rate: number;
  /** Problems that contributed (at least two judged repeats, or judged in both runs). */
  problems: number;
}

/**
 * Flip rate between the repeats of one run: for a problem with p passing and f failing judged repeats, the share of
 * its C(p+f, 2) unordered repeat pairs that disagree is p·f / C(p+f, 2); the rate is its mean over problems with at
 * least two judged repeats (with `--repeat 2`: the share of problems whose two repeats differ). Null when no problem
 * has two judged repeats.
 */
export function flipRateWithin(problems: readonly FoldedProblem[]): FlipRate | null {
  let total = 0;
  let counted = 0;
  for (const { passes, fails } of problems) {
    const judged = passes + fails;
    if (judged < 2) continue;
    total += (passes * fails) / ((judged * (judged - 1)) / 2);
    counted++;
  }
  return counted === 0 ? null : { rate: total / counted, problems: counted };
}

/**
 * Flip rate between two runs of the same config (`--noise RUN_C`): for each problem judged in both, the share of
 * (repeat of one, repeat of the other) pairs that disagree, (pₓ·f_y + fₓ·p_y) / (mₓ·m_y); its mean over those problems.
 * With one repeat each: the share of common problems whose outcomes differ. Null when no problem is judged in both.
 */
export function flipRateBetween(x: readonly FoldedProblem[], y: readonly FoldedProblem[]): FlipRate | null {
  const byId = new Map(y.map((p) => [p.id, p]));
  let total = 0;
  let counted = 0;
  for (const px of x) {
    const py = byId.get(px.id);
    const mx = px.passes + px.fails;
    const my = py ? py.passes + py.fails : 0;
    if (!py || mx === 0 || my === 0) continue;
    total += (px.passes * py.fails + px.fails * py.passes) / (mx * my);
    counted++;
  }
  return counted === 0 ? null : { rate: total / counted, problems: counted };
}
