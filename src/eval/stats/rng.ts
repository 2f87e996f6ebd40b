// A small seeded random number generator, so a bootstrap gives the same interval on every run and machine.

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): the next uint32 of a stream fixed by the seed, period 2³².
 * Plenty for resampling (10,000 × 10,000 draws use 1/40 of the period); not for cryptography.
 */
export function seededUint32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** The same stream as uniform doubles in [0, 1), with 2⁻³² resolution. */
export function seededRandom(seed: number): () => number {
  const next = seededUint32(seed);
  return () => next() / 4294967296;
}
