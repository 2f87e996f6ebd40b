// Which problems of a dataset an eval runs: a split, an --ids file, a --limit, in dataset order.

import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import { stripControl } from '../text/sanitize.js';
import type { Selection } from './manifest.js';
import { splitOf } from './stats/split.js';

export interface SelectionRequest {
  split: 'tuned' | 'heldout' | 'all';
  limit?: number;
  /** A file of problem ids, one per line (`#` comments and blank lines ignored). */
  idsFile?: string;
}

/** The chosen tasks, and the selection as the manifest records it. */
export function selectTasks(tasks: readonly Task[], request: SelectionRequest): { tasks: Task[]; selection: Selection } {
  let chosen = tasks.filter((t) => request.split === 'all' || splitOf(t.ref.id) === request.split);
  if (request.idsFile !== undefined) {
    const wanted = readIds(request.idsFile);
    const known = new Set(tasks.map((t) => t.ref.id));
    const unknown = wanted.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new UserError(`${request.idsFile}: ${unknown.length} ids are not in the dataset (first: "${stripControl(unknown[0]).slice(0, 80)}")`, 'eval_ids');
    }
    const set = new Set(wanted);
    chosen = chosen.filter((t) => set.has(t.ref.id));
  }
  if (request.limit !== undefined) chosen = chosen.slice(0, request.limit);
  if (chosen.length === 0) throw new UserError('the selection holds no problems: check --split, --ids and --limit', 'eval_empty');
  return {
    tasks: chosen,
    selection: {
      split: request.split,
      limit: request.limit ?? null,
      idsFile: request.idsFile ?? null,
      problems: chosen.length,
      problemIds: chosen.map((t) => t.ref.id),
    },
  };
}

function readIds(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read --ids file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'eval_ids');
  }
  return text
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
}
