// A recorded fixture session as a crash leaves it: its first lines only, its dataset where this checkout has it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath } from './engine-harness.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions');

/** The text of `fixture`'s first `lines` lines, its header's dataset set to `dataset` (the fixtures name where they were recorded). */
export function cutSession(fixture: string, lines: number, dataset = humanEvalPath()): string {
  const kept = readFileSync(join(FIXTURES, `${fixture}.jsonl`), 'utf8').trimEnd().split('\n').slice(0, lines);
  const header = JSON.parse(kept[0]);
  // Format 1 (these fixtures) names the problem; format 2 the task.
  (header.task ?? header.problem).dataset = dataset;
  return [JSON.stringify(header), ...kept.slice(1)].join('\n') + '\n';
}
