// One index row on disk: its file name, its shape check, and its atomic write (unique temp file, then rename).

import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Verdict } from '../core/events.js';

/** One row of the index. */
export interface SessionSummary {
  id: string;
  /** Path of the session file relative to the folder the index is in (always inside it). */
  file: string;
  startedAt: string;
  flow: string;
  problem: string;
  /** Where the task came from: the dataset file's name (`HumanEval.jsonl.gz`), or the repository of a commit task. */
  dataset?: string;
  model: string;
  mode: 'run' | 'probe';
  label?: string;
  /** The session's result: the verdict of the branch that finished last (`decidingBranch` in state/selectors). */
  verdict?: Verdict;
  durationMs?: number;
  tokens?: number;
  /** Every branch of a branched session, in the order they started (absent while there is only branch 0). */
  branches?: BranchVerdict[];
  /** With `branches`: the branch whose verdict is `verdict` (the one that finished last). */
  decidedBy?: number;
  /** A person's tags on the session (its last `annotated` event); absent = none. */
  tags?: string[];
  /** A person's note on the session, whole (listings show its first line); absent = none. */
  note?: string;
  /** When the tags and note last changed (ISO 8601, the `annotated` event's `at`); absent = never. */
  annotatedAt?: string;
}

/** One branch of a session and its verdict (absent = it never finished). */
export interface BranchVerdict {
  id: number;
  verdict?: Verdict;
}

/** Folder of the row files, inside a sessions folder. */
export const INDEX_FOLDER = 'index';

const VERDICTS: readonly Verdict[] = ['pass', 'fail', 'timeout', 'crash', 'parse_error', 'error', 'aborted'];
const TEXT_FIELDS = ['id', 'file', 'startedAt', 'flow', 'problem', 'model'] as const;

export function indexFolder(dir: string): string {
  return join(dir, INDEX_FOLDER);
}

/** The row file of a session id: the id itself when it is a safe file name, else a hash of it. */
export function rowFile(dir: string, id: string): string {
  const safe = /^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$/.test(id) ? id : `~${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
  return join(indexFolder(dir), `${safe}.json`);
}

/** True when `path` is `dir` itself or inside it (no `..` step leaves it). */
export function isInside(dir: string, path: string): boolean {
  const inside = relative(resolve(dir), resolve(path));
  return !inside.startsWith('..') && !isAbsolute(inside);
}

/** Why `value` is not a row of the index in `dir` (wrong shape, or a file outside `dir`); undefined when it is one. */
export function rowProblem(value: unknown, dir: string): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const row = value as Record<string, unknown>;
  for (const field of TEXT_FIELDS) {
    if (typeof row[field] !== 'string' || row[field] === '') return `no "${field}" text`;
  }
  if (row.mode !== 'run' && row.mode !== 'probe') return '"mode" is neither "run" nor "probe"';
  if (row.label !== undefined && typeof row.label !== 'string') return '"label" is not text';
  if (row.dataset !== undefined && typeof row.dataset !== 'string') return '"dataset" is not text';
  if (row.verdict !== undefined && !VERDICTS.includes(row.verdict as Verdict)) return '"verdict" is not a verdict';
  if (row.branches !== undefined && !validBranches(row.branches)) return '"branches" is not a list of {id, verdict}';
  if (row.decidedBy !== undefined && !Number.isInteger(row.decidedBy)) return '"decidedBy" is not a branch id';
  if (row.tags !== undefined && !(Array.isArray(row.tags) && row.tags.every((t) => typeof t === 'string'))) return '"tags" is not a list of text';
  if (row.note !== undefined && typeof row.note !== 'string') return '"note" is not text';
  if (row.annotatedAt !== undefined && typeof row.annotatedAt !== 'string') return '"annotatedAt" is not text';
  for (const field of ['durationMs', 'tokens']) {
    if (row[field] !== undefined && !(typeof row[field] === 'number' && Number.isFinite(row[field]))) return `"${field}" is not a number`;
  }
  if (!isInside(dir, resolve(dir, row.file as string))) return '"file" points outside the sessions folder';
  return undefined;
}

function validBranches(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every((b) => typeof b === 'object' && b !== null && Number.isInteger(b.id) && (b.verdict === undefined || VERDICTS.includes(b.verdict)))
  );
}

/**
 * Write a row through a temp file of its own (unique per process and call), then rename it into place, so a reader
 * sees the old row or the new one. `keep` leaves an existing row alone (true when written). No temp file outlives
 * the call, whatever fails.
 */
export async function writeRow(dir: string, summary: SessionSummary, mode: 'replace' | 'keep'): Promise<boolean> {
  const final = rowFile(dir, summary.id);
  await mkdir(dirname(final), { recursive: true });
  const temp = join(dirname(final), `.${basename(final)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(JSON.stringify(summary) + '\n');
      // On disk before the rename, so a power cut leaves the old row or the new one, never an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (mode === 'replace') {
      await rename(temp, final);
      return true;
    }
    try {
      await link(temp, final);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  } finally {
    await rm(temp, { force: true });
  }
}
