// Folds a sessions/index.json written by earlier versions (one lowdb document) into row files, then removes it.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { rowProblem, writeRow, type SessionSummary } from './index-row.js';

/** The single-file index of earlier versions. */
export const LEGACY_INDEX_FILE = 'index.json';

/** What an import leaves to the reader: rows it could not write out (a read-only folder), and what was wrong. */
export interface LegacyImport {
  rows: SessionSummary[];
  damage: string[];
}

/**
 * Import `<dir>/index.json` if there is one: its good rows become row files (never over a row written since), and
 * the file goes; a damaged one too, since the session files rebuild what it held. Where the folder cannot be
 * written the file stays and its rows come back for listing. Safe in several processes at once (no-clobber links).
 */
export async function importLegacyIndex(dir: string): Promise<LegacyImport> {
  const path = join(dir, LEGACY_INDEX_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { rows: [], damage: [] };
    return { rows: [], damage: [`${path}: unreadable (${code ?? String(error)})`] };
  }
  const damage: string[] = [];
  const rows = legacyRows(text, path, damage);
  const skipped = rows.filter((row) => rowProblem(row, dir) !== undefined);
  if (skipped.length > 0) damage.push(`${path}: ${skipped.length} of ${rows.length} rows unusable (${rowProblem(skipped[0], dir)})`);
  const good = rows.filter((r) => !skipped.includes(r)) as SessionSummary[];
  try {
    for (const row of good) await writeRow(dir, row, 'keep');
    await rm(path, { force: true });
    return { rows: [], damage };
  } catch {
    return { rows: good, damage };
  }
}

function legacyRows(text: string, path: string, damage: string[]): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    damage.push(`${path}: not JSON (${(error as Error).message.split('\n')[0]})`);
    return [];
  }
  const sessions = (value as { sessions?: unknown } | null)?.sessions;
  if (typeof value !== 'object' || value === null || !Array.isArray(sessions)) {
    damage.push(`${path}: not an index (no "sessions" list)`);
    return [];
  }
  return sessions;
}
