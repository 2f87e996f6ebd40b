// Groups samples into distinct solutions by the parser's normal form (no comments, whitespace or identifier names).

import type { CodeParser } from '../core/ports.js';
import type { ProbeSample, SolutionGroup } from './types.js';

/** Groups of samples with code, largest first (ties: the group seen first). Samples without code are left out. */
export function groupSolutions(samples: ProbeSample[], parser: CodeParser): SolutionGroup[] {
  const groups = new Map<string, SolutionGroup>();
  for (const sample of samples) {
    if (sample.code === undefined) continue;
    const key = parser.normalise(sample.code);
    let group = groups.get(key);
    if (!group) {
      group = { key, count: 0, outcomes: {}, passing: false, representative: sample.code, excerpt: sample.excerpt ?? sample.code, samples: [] };
      groups.set(key, group);
    }
    group.count++;
    group.outcomes[sample.outcome] = (group.outcomes[sample.outcome] ?? 0) + 1;
    group.passing ||= sample.outcome === 'pass';
    group.samples.push(sample.index);
  }
  // Array.prototype.sort is stable, so equal counts keep first-seen order.
  return [...groups.values()].sort((a, b) => b.count - a.count);
}
