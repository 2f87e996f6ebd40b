// The session browser's data: rows from the index plus unindexed files, sorting, filtering, deleting.

import { existsSync } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Verdict } from '../core/events.js';
import type { SessionSortKey } from '../state/ui-state.js';
import { addToSummary, readSummaries, removeSummary, summaryFromHeader, type SessionSummary } from './index-store.js';
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

/** Every session of `dir`: the index rows (files checked) and rows read from .jsonl files the index lacks. */
export async function listSessions(dir: string): Promise<{ rows: SessionRow[]; warnings: string[] }> {
  const warnings: string[] = [];
  if (!existsSync(dir)) return { rows: [], warnings };
  let indexed: SessionSummary[] = [];
  try {
    indexed = await readSummaries(dir);
  } catch (error) {
    warnings.push(`${join(dir, 'index.json')} is damaged (${(error as Error).message.split('\n')[0]}): listing from the session files`);
  }
  const rows: SessionRow[] = indexed.map((summary) => {
    const path = resolve(dir, summary.file);
    return { ...summary, path, ...(existsSync(path) ? {} : { missing: true }) };
  });
  const known = new Set(rows.map((r) => r.path));
  const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl')).map((f) => resolve(dir, f));
  for (const path of files.filter((f) => !known.has(f)).sort()) {
    try {
      rows.push({ ...(await summarizeSession(path, dir)), path, unindexed: true });
    } catch (error) {
      warnings.push(`${path}: not listed: ${(error as Error).message}`);
    }
  }
  return { rows, warnings };
}

/** An index row for a session file, read from the file (the same figures the recorder writes). */
export async function summarizeSession(path: string, indexDir: string): Promise<SessionSummary> {
  const { header, events } = await readSession(path);
  const summary = summaryFromHeader(header, path, indexDir);
  for (const event of events) addToSummary(summary, event);
  return summary;
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

/** Rows whose id, problem, flow, model, verdict, label or file contain `text` (case-insensitive). */
export function filterSessions(rows: readonly SessionRow[], text: string): SessionRow[] {
  const needle = text.toLowerCase();
  return rows.filter((r) =>
    [r.id, r.problem, r.flow, r.model, r.verdict ?? 'unfinished', r.label ?? '', r.mode, r.file].some((f) => f.toLowerCase().includes(needle)),
  );
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
 * Delete a session's file and its index row. The file must still read as a session header, so a damaged or
 * hand-edited index can never make this remove something else.
 */
export async function deleteSession(dir: string, row: SessionRow): Promise<void> {
  if (!row.missing) {
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
