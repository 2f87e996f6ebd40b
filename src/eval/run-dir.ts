// An eval's run directory: manifest.json (what was run), results.jsonl (one row per problem and repeat, appended as each
// finishes), sessions/ (every problem's session). Rows are whole lines; a cut last line is reported, never fatal.

import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import type { EvalRow } from './eval-row.js';
import type { Manifest } from './manifest.js';

export const MANIFEST_FILE = 'manifest.json';
export const RESULTS_FILE = 'results.jsonl';
export const SESSIONS_DIR = 'sessions';

export interface RunDir {
  path: string;
  manifest: Manifest;
  rows: EvalRow[];
  /** Things a person should know (a damaged line skipped). */
  warnings: string[];
}

/** Create a fresh run directory (refusing one that already holds results) and write its manifest. */
export function createRunDir(path: string, manifest: Manifest): void {
  if (existsSync(join(path, MANIFEST_FILE)) || existsSync(join(path, RESULTS_FILE))) {
    throw new UserError(`${path} already holds an eval: continue it with --resume ${path}, or choose another --out`, 'run_dir_exists');
  }
  if (existsSync(path) && readdirSync(path).length > 0) {
    throw new UserError(`${path} is not empty: choose an empty or new --out directory`, 'run_dir_exists');
  }
  try {
    mkdirSync(join(path, SESSIONS_DIR), { recursive: true });
    const temp = join(path, `.${MANIFEST_FILE}.tmp`);
    writeFileSync(temp, JSON.stringify(manifest, null, 2) + '\n');
    renameSync(temp, join(path, MANIFEST_FILE));
  } catch (error) {
    throw new UserError(`cannot create the run directory ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'run_dir');
  }
}

/** Append one row as one whole line (O_APPEND), so an interrupt never leaves half a row. */
export function appendRow(path: string, row: EvalRow): void {
  appendFileSync(join(path, RESULTS_FILE), JSON.stringify(row) + '\n');
}

/** Read a run directory back: its manifest and every readable row. */
export function readRunDir(path: string): RunDir {
  const manifestFile = join(path, MANIFEST_FILE);
  if (!existsSync(manifestFile)) throw new UserError(`${path} is not an eval run directory (no ${MANIFEST_FILE}): pass the --out directory of an eval`, 'not_run_dir');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch {
    throw new UserError(`${manifestFile} is not valid JSON: the run directory is damaged`, 'bad_run_dir');
  }
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.fingerprint !== 'object') {
    throw new UserError(`${manifestFile} has no fingerprint: not a slotbench eval manifest`, 'bad_run_dir');
  }
  const warnings: string[] = [];
  const rows: EvalRow[] = [];
  const resultsFile = join(path, RESULTS_FILE);
  const lines = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8').split('\n') : [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const row = JSON.parse(line) as EvalRow;
      if (typeof row.problem !== 'string' || typeof row.repeat !== 'number') throw new Error('not a row');
      rows.push(row);
    } catch {
      warnings.push(`${resultsFile} line ${i + 1} is not a result row (cut by a crash?): skipped; a resume runs it again`);
    }
  });
  return { path, manifest, rows, warnings };
}
