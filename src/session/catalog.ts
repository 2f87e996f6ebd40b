// The session browser's data: rows from the index plus unindexed files, sorting, filtering, deleting.

import { existsSync } from 'node:fs';
import { readdir, realpath, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Verdict } from '../core/events.js';
import { indexFolder, isInside, writeRow } from './index-row.js';
import { readIndex, removeDamagedRow, removeSummary, summaryOfSession, type IndexContents, type SessionSummary } from './index-store.js';
import type { SessionSortKey } from '../state/ui-state.js';
import { readSession, readSessionHeader } from './reader.js';

/** One listed session. */
export interface SessionRow extends SessionSummary {
  /** Absolute path of the session file. */
  path: string;
  /** The index lists it but the file is gone. */
  missing?: boolean;
  /** The file is not in the index; its row was read from the file itself. */
  unindexed?: boolean;
}


/** Best first when sorting by verdict; unfinished sessions last. */
const VERDICT_RANK: Record<Verdict, number> = { pass: 0, fail: 1, timeout: 2, crash: 3, parse_error: 4, error: 5, aborted: 6 };

/**
 * Every session of `dir`: the index rows (files checked) and rows read from .jsonl files the index lacks. A damaged
 * index is rebuilt from the session files (their rows written out, the bad rows removed), said in one warning.
 */
export async function listSessions(dir: string): Promise<{ rows: SessionRow[]; warnings: string[] }> {
  const warnings: string[] = [];
  if (!existsSync(dir)) return { rows: [], warnings };
  let index: IndexContents;
  try {
    index = await readIndex(dir);
  } catch (error) {
    index = { rows: [], damage: [`${indexFolder(dir)}: unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`], damagedFiles: [] };
  }
  const rows: SessionRow[] = index.rows.map((summary) => {
    const path = resolve(dir, summary.file);
    return { ...summary, path, ...(existsSync(path) ? {} : { missing: true }) };
  });
  const known = new Set(rows.map((r) => r.path));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).map((f) => resolve(dir, f));
  const unindexed: SessionRow[] = [];
  for (const path of files.filter((f) => !known.has(f)).sort()) {
    try {
      unindexed.push({ ...(await summarizeSession(path, dir)), path, unindexed: true });
    } catch (error) {
      warnings.push(`${path}: not listed: ${(error as Error).message}`);
    }
  }
  if (index.damage.length > 0) warnings.unshift(await rebuild(dir, index, unindexed));
  return { rows: [...rows, ...unindexed], warnings };
}

/** Write the rows read from the files into the index and drop the damaged ones; the one line that says so. */
async function rebuild(dir: string, index: IndexContents, unindexed: SessionRow[]): Promise<string> {
  const [first, ...more] = index.damage;
  const what = `the session index is damaged (${first}${more.length > 0 ? `, and ${more.length} more` : ''})`;
  try {
    // Never over a row written meanwhile: a recorder that just finished knows its session better than this snapshot.
    for (const row of unindexed) {
      await writeRow(dir, summaryOf(row), 'keep');
      delete row.unindexed;
    }
    for (const file of index.damagedFiles) await removeDamagedRow(dir, file);
    return `${what}: rebuilt from the session files`;
  } catch (error) {
    return `${what}: listing from the session files (cannot rewrite the index: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

/** The index row inside a listed row (without the listing's own fields). */
function summaryOf(row: SessionRow): SessionSummary {
  const summary: SessionSummary & Partial<SessionRow> = { ...row };
  delete summary.path;
  delete summary.missing;
  delete summary.unindexed;
  return summary;
}

/** An index row for a session file, read from the file (the same figures the recorder writes). */
export async function summarizeSession(path: string, indexDir: string): Promise<SessionSummary> {
  const { header, events } = await readSession(path);
  return summaryOfSession(header, events, path, indexDir);
}

/** Sorted copy: date newest first; verdict best first; duration and tokens largest first; problem in natural order. */
export function sortSessions(rows: readonly SessionRow[], key: SessionSortKey = 'date'): SessionRow[] {
  const byDate = (a: SessionRow, b: SessionRow) => b.startedAt.localeCompare(a.startedAt);
  const compare: Record<SessionSortKey, (a: SessionRow, b: SessionRow) => number> = {
    date: byDate,
    verdict: (a, b) => rank(a) - rank(b) || byDate(a, b),
    duration: (a, b) => (b.durationMs ?? -1) - (a.durationMs ?? -1) || byDate(a, b),
    tokens: (a, b) => (b.tokens ?? -1) - (a.tokens ?? -1) || byDate(a, b),
    problem: (a, b) => a.problem.localeCompare(b.problem, 'en', { numeric: true }) || byDate(a, b),
  };
  return [...rows].sort(compare[key]);
}

function rank(row: SessionRow): number {
  return row.verdict ? VERDICT_RANK[row.verdict] : Object.keys(VERDICT_RANK).length;
}

/** The session's result, and for a branched one which branch gave it of how many: `pass b1/2`. */
export function verdictText(row: SessionSummary): string {
  const verdict = row.verdict ?? 'unfinished';
  return row.branches && row.verdict ? `${verdict} b${row.decidedBy ?? '?'}/${row.branches.length}` : verdict;
}

/** Rows matching every word of `text` (case-insensitive): see `matches` and FILTER_FIELDS. */
export function filterSessions(rows: readonly SessionRow[], text: string): SessionRow[] {
  const terms = text.toLowerCase().split(/\s+/).filter((t) => t !== '');
  return rows.filter((r) => terms.every((term) => matches(r, term)));
}

/** The fields a filter term can name: `verdict:fail model:qwen dataset:mbpp`. */
export const FILTER_FIELDS = ['verdict', 'model', 'dataset', 'problem', 'flow', 'mode', 'label'] as const;

/**
 * A `field:value` term matches that field (verdict exactly, the rest as a substring), `tag:NAME` a session carrying
 * exactly that tag; a bare word any field, a tag, or the note's text.
 */
function matches(r: SessionRow, term: string): boolean {
  if (term.startsWith('tag:')) return (r.tags ?? []).includes(term.slice(4));
  const fields: Record<(typeof FILTER_FIELDS)[number], string> = {
    verdict: r.verdict ?? 'unfinished',
    model: r.model,
    dataset: r.dataset ?? '',
    problem: r.problem,
    flow: r.flow,
    mode: r.mode,
    label: r.label ?? '',
  };
  const colon = term.indexOf(':');
  const field = colon > 0 ? (term.slice(0, colon) as (typeof FILTER_FIELDS)[number]) : undefined;
  if (field && FILTER_FIELDS.includes(field)) {
    const value = term.slice(colon + 1);
    return field === 'verdict' ? fields.verdict === value : fields[field].toLowerCase().includes(value);
  }
  return [r.id, r.file, ...Object.values(fields), ...(r.tags ?? []), r.note ?? ''].some((f) => f.toLowerCase().includes(term));
}

/** The row with this id (or an unambiguous id prefix). */
export function findSession(rows: readonly SessionRow[], id: string): SessionRow {
  const exact = rows.find((r) => r.id === id);
  if (exact) return exact;
  const matches = rows.filter((r) => r.id.startsWith(id));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UserError(`session id "${id}" is ambiguous: ${matches.map((r) => r.id).join(', ')}`, 'ambiguous');
  throw new UserError(`no session "${id}" in the list: run \`slotbench sessions\` to see the ids`, 'no_session');
}

/**
 * Delete a session's file and its index row. The file must lie inside `dir` (symbolic links resolved) and still read
 * as a session header, so a damaged or hand-edited index can never make this remove something else.
 */
export async function deleteSession(dir: string, row: SessionRow): Promise<void> {
  if (!row.missing) {
    await requireInside(dir, row.path);
    await readSessionHeader(row.path);
    try {
      await unlink(row.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new UserError(`cannot delete ${row.path}: ${(error as NodeJS.ErrnoException).code}`, 'delete_failed');
      }
    }
  }
  if (!row.unindexed) await removeSummary(dir, row.id);
}

async function requireInside(dir: string, path: string): Promise<void> {
  const outside = new UserError(`refusing to delete ${path}: it is not inside the sessions folder ${dir}`, 'outside_sessions');
  if (!isInside(dir, path)) throw outside;
  let realDir: string;
  let realParent: string;
  try {
    [realDir, realParent] = await Promise.all([realpath(dir), realpath(dirname(path))]);
  } catch {
    throw outside;
  }
  if (!isInside(realDir, realParent)) throw outside;
}
