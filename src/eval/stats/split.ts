// The tuned / held-out split: a fixed hash of the problem id, the same on every run, machine and file order.

import { createHash } from 'node:crypto';

/** Which half of a dataset a problem belongs to. Claims rest on `heldout`; `tuned` is where prompts were tuned. */
export type Split = 'tuned' | 'heldout';

/** Both halves, in the order every report shows them side by side. */
export const SPLITS: readonly Split[] = ['tuned', 'heldout'];

/** The rule in words, for reports and the README. */
export const SPLIT_RULE =
  'held-out when the first byte of SHA-256(problem id as UTF-8, exactly as written, e.g. "HumanEval/12") is 128 or more; tuned otherwise';

/**
 * The split of a problem: held-out when the first byte of SHA-256 over the id's UTF-8 bytes is ≥ 128 (its top bit
 * is set), tuned otherwise. The id is hashed exactly as written (`HumanEval/12`, `Mbpp/11`), with no trimming or
 * case folding, so the split depends on the id alone: not on the file order, the other problems, the machine or the
 * run. Each id is an independent fair coin; HumanEval's 164 ids give 74 held-out, MBPP's 974 give 479.
 * Reproduce it elsewhere: `hashlib.sha256(id.encode()).digest()[0] >= 128` in Python.
 */
export function splitOf(problemId: string): Split {
  const firstByte = createHash('sha256').update(problemId, 'utf8').digest()[0];
  return firstByte >= 128 ? 'heldout' : 'tuned';
}
