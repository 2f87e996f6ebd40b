// McNemar's exact test: a two-sided binomial test on the discordant pairs of a paired comparison.

/** The test's inputs and its exact two-sided p-value. */
export interface McNemarResult {
  /** Problems only A passed. */
  aOnly: number;
  /** Problems only B passed. */
  bOnly: number;
  /** P(a split at least as uneven as this one | each discordant problem is a fair coin), two-sided. */
  pValue: number;
}

/**
 * McNemar's exact test. Under "no difference" each of the n = aOnly + bOnly discordant problems is equally likely to
 * favour either side, so the smaller count is Binomial(n, ½); the two-sided p-value doubles its lower tail:
 * p = min(1, 2 · Σ_{k ≤ min} C(n, k) / 2ⁿ). No discordant pair (n = 0) is no evidence at all: p = 1.
 * With repeats a discordant problem is one whose pass rate differs between the runs, which makes this the exact sign
 * test on the per-problem differences (McNemar's test when each problem ran once).
 * The tail is summed in log space, so n in the tens of thousands stays exact to double precision.
 */
export function mcnemarExact(aOnly: number, bOnly: number): McNemarResult {
  if (!Number.isInteger(aOnly) || !Number.isInteger(bOnly) || aOnly < 0 || bOnly < 0) {
    throw new RangeError(`McNemar needs non-negative integer counts, got ${aOnly} and ${bOnly}`);
  }
  return { aOnly, bOnly, pValue: Math.min(1, 2 * binomialHalfLowerTail(Math.min(aOnly, bOnly), aOnly + bOnly)) };
}

/** P(X ≤ k) for X ~ Binomial(n, ½). */
function binomialHalfLowerTail(k: number, n: number): number {
  // log C(n, j) built up term by term; the tail is scaled by its largest term (j = k, the one nearest the mode).
  const logTerms: number[] = [];
  let logChoose = 0;
  for (let j = 0; j <= k; j++) {
    if (j > 0) logChoose += Math.log((n - j + 1) / j);
    logTerms.push(logChoose);
  }
  const largest = logTerms[k];
  let scaled = 0;
  for (const term of logTerms) scaled += Math.exp(term - largest);
  return Math.exp(largest - n * Math.LN2 + Math.log(scaled));
}
