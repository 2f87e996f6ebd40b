// Finds the first token position where the samples part ways and what the model weighed there (needs n_probs).

import type { ScoredToken } from '../state/run-state.js';
import type { Divergence } from './types.js';

const MAX_ALTERNATIVES = 8;

/**
 * Streams are the probed slot's scored tokens per sample, in sample order. The samples share every token before the
 * divergence, so the model's distribution there is the same for all: it is read from the first sample that has a
 * token at that position. Undefined when fewer than two samples streamed probabilities, when all streams are
 * identical, or when no alternatives were recorded there.
 */
export function firstDivergence(streams: ScoredToken[][]): Divergence | undefined {
  const scored = streams.filter((s) => s.length > 0);
  if (scored.length < 2) return undefined;
  const longest = Math.max(...scored.map((s) => s.length));
  for (let position = 0; position < longest; position++) {
    const at = scored.map((s) => (position < s.length ? s[position].text : null));
    if (at.every((token) => token === at[0])) continue;
    const weighed = scored.find((s) => position < s.length)![position];
    if (!weighed.top || weighed.top.length === 0) return undefined;
    const counts = new Map<string | null, number>();
    for (const token of at) counts.set(token, (counts.get(token) ?? 0) + 1);
    return {
      position,
      prefix: scored[0].slice(0, position).map((t) => t.text).join(''),
      chosen: [...counts.entries()].map(([token, count]) => ({ token, count })).sort((a, b) => b.count - a.count),
      alternatives: weighed.top.slice(0, MAX_ALTERNATIVES).map((a) => ({ token: a.token, probability: Math.exp(a.logprob) })),
    };
  }
  return undefined;
}
