// The one-line verdict of a paired comparison, with the reasons a delta is not a win kept as data.

/** What a comparison concludes about B against A. */
export type VerdictKind = 'better' | 'worse' | 'no change (within noise)';

/** Why a delta was not called a change; empty for `better` and `worse`. */
export type VerdictReason =
  /** No problem was judged in both runs. */
  | 'no_paired_problems'
  /** The bootstrap 95% CI of the delta contains 0 (an interval touching 0 counts). */
  | 'ci_crosses_zero'
  /** |delta| is at most the noise floor: the same config disagrees with itself that often. */
  | 'within_noise_floor'
  /** McNemar's exact p-value on the discordant problems is 0.05 or more. */
  | 'not_significant';

/** The verdict and its grounds. */
export interface Verdict {
  kind: VerdictKind;
  reasons: VerdictReason[];
}

/** Significance level of McNemar's test, and α of the MDE. */
export const ALPHA = 0.05;

/** What the verdict is decided from. */
export interface VerdictInput {
  /** Mean paired difference, B − A; null with no paired problem. */
  delta: number | null;
  ci: { low: number; high: number } | null;
  /** Largest measured flip rate of the same config; null when not measured (then only the CI and McNemar decide). */
  noiseFloor: number | null;
  mcnemarP: number;
}

/**
 * `better` or `worse` only when every test agrees: the CI excludes 0, |delta| exceeds the noise floor, and McNemar's
 * exact test rejects at α = 0.05. Any one failing gives `no change (within noise)` with each failing test as a reason,
 * so a delta inside the noise floor or whose CI crosses 0 is never printed as a win.
 */
export function decide({ delta, ci, noiseFloor, mcnemarP }: VerdictInput): Verdict {
  if (delta === null || ci === null) return { kind: 'no change (within noise)', reasons: ['no_paired_problems'] };
  const reasons: VerdictReason[] = [];
  if (ci.low <= 0 && ci.high >= 0) reasons.push('ci_crosses_zero');
  if (noiseFloor !== null && Math.abs(delta) <= noiseFloor) reasons.push('within_noise_floor');
  if (mcnemarP >= ALPHA) reasons.push('not_significant');
  if (reasons.length > 0) return { kind: 'no change (within noise)', reasons };
  return { kind: delta > 0 ? 'better' : 'worse', reasons: [] };
}
