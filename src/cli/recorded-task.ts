// The task a recorded session ran, found again: its dataset row (or the file given with --dataset).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { UserError } from '../core/errors.js';
import type { Task } from '../core/task.js';
import type { LoadedSession } from '../session/reader.js';
import { loadTask } from '../tools/datasets.js';
import { datasetPath } from './wiring.js';

/** Load the recorded task; `dataset` (a path or a configured name) stands in for a recorded dataset that moved. */
export async function recordedTask(source: LoadedSession, dataset: string | undefined, config: Config, cwd: string): Promise<Task> {
  const ref = source.header.task;
  if (ref.kind !== 'dataset' && dataset === undefined) {
    throw new UserError(`${source.path}: only dataset tasks can be run again; this session's task is a ${ref.kind}`, 'task_kind');
  }
  const path = dataset !== undefined ? datasetPath(dataset, config, cwd) : resolve(cwd, ref.kind === 'dataset' ? ref.dataset : '');
  if (!existsSync(path)) {
    throw new UserError(`${source.path}: the recorded dataset ${path} is not there: pass --dataset PATH (the file with ${ref.id})`, 'no_dataset');
  }
  return loadTask(path, ref.id);
}
