// Datasets and their problems for the workbench (`:open` completion, the problem picker): read once, cached.

import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { readSummaries } from '../session/index-store.js';
import { loadTasks } from '../tools/datasets.js';
import type { ProblemEntry, ProblemSource } from '../ui/common/contracts.js';
import { datasetPath } from './wiring.js';

const DATASET_FILE = /\.(jsonl|jsonl\.gz|json)$/;

/** The line of a statement that says what to do: the first of its docstring, else its first non-code line. */
export function summaryOf(statement: string): string {
  const lines = statement.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const prose = lines.find((l) => !/^(from |import |def |class |@|#)/.test(l));
  return (prose ?? lines[0] ?? '').replace(/^("""|''')/, '').trim();
}

export function problemSource(config: Config, cwd: string, sessionsDir: string): ProblemSource {
  const cache = new Map<string, ProblemEntry[]>();
  const key = (dataset: string) => datasetPath(dataset, config, cwd);
  return {
    datasets(prefix) {
      const names = Object.keys(config.datasets).filter((n) => n.startsWith(prefix));
      const folder = prefix.endsWith('/') ? prefix : dirname(prefix);
      const base = folder === '.' && !prefix.startsWith('./') ? '' : folder.endsWith('/') ? folder : `${folder}/`;
      let files: string[] = [];
      try {
        files = readdirSync(resolve(cwd, folder))
          .filter((f) => !f.startsWith('.'))
          .flatMap((f) => {
            const dir = statSync(join(resolve(cwd, folder), f), { throwIfNoEntry: false })?.isDirectory();
            return dir ? [`${base}${f}/`] : DATASET_FILE.test(f) ? [`${base}${f}`] : [];
          })
          .filter((p) => p.startsWith(prefix));
      } catch {
        // A folder that cannot be listed offers nothing to complete.
      }
      return [...names, ...files];
    },
    cached: (dataset) => cache.get(key(dataset)),
    async load(dataset) {
      const path = key(dataset);
      const known = cache.get(path);
      if (known) return known;
      const [tasks, rows] = await Promise.all([loadTasks(path), readSummaries(sessionsDir).catch(() => [])]);
      const newest = new Map<string, string>();
      for (const row of [...rows].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) if (row.verdict) newest.set(row.problem, row.verdict);
      const entries = tasks.map((task): ProblemEntry => ({
        id: task.ref.id,
        entryPoint: task.targets[0]?.symbol ?? '',
        summary: summaryOf(task.statement),
        // The file the model completes (signature and docstring), as the prompt shows it.
        statement: task.files[0]?.text ?? task.statement,
        ...(newest.has(task.ref.id) ? { lastVerdict: newest.get(task.ref.id)! } : {}),
      }));
      cache.set(path, entries);
      return entries;
    },
  };
}
