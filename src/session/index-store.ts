// The session index: one small JSON row per session in `<dir>/index/`, each replaced by an atomic rename, so any
// number of processes can record at once with no lock, a reader never sees half a row, and a crash loses none.

import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { SessionStartedEvent, SlotbenchEvent } from '../core/events.js';
import type { TaskRef } from '../core/task.js';
import { indexFolder, rowFile, rowProblem, writeRow, type SessionSummary } from './index-row.js';
import { importLegacyIndex } from './legacy-index.js';

export type { SessionSummary } from './index-row.js';

/** The index as read: its good rows, and one line per thing found wrong with it (each such row is left out). */
export interface IndexContents {
  rows: SessionSummary[];
  damage: string[];
  /** Row files found damaged (to remove once their sessions are re-indexed). */
  damagedFiles: string[];
}

/** A writer killed mid-write leaves its temp file; one this old belongs to no live writer. */
const STALE_TEMP_MS = 10 * 60 * 1000;

/** Insert or replace a session's row. Index trouble never costs a session: callers report it and go on. */
export async function upsertSummary(dir: string, summary: SessionSummary): Promise<void> {
  await writeRow(dir, summary, 'replace');
}

/** The good rows of the index (see `readIndex` for what is wrong with it). */
export async function readSummaries(dir: string): Promise<SessionSummary[]> {
  return (await readIndex(dir)).rows;
}

/**
 * Every row of the index, each checked: wrong-shaped or unreadable rows, and rows pointing outside `dir`, are left
 * out and named in `damage`. A sessions/index.json of earlier versions is folded in (and removed) first.
 */
export async function readIndex(dir: string): Promise<IndexContents> {
  const legacy = await importLegacyIndex(dir);
  const contents: IndexContents = { rows: [], damage: legacy.damage, damagedFiles: [] };
  const folder = indexFolder(dir);
  let names: string[] = [];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const name of names.sort()) {
    const path = join(folder, name);
    if (name.startsWith('.')) await removeIfStale(path);
    else if (name.endsWith('.json')) await readRow(dir, path, contents);
  }
  const ids = new Set(contents.rows.map((r) => r.id));
  contents.rows.push(...legacy.rows.filter((r) => !ids.has(r.id)));
  return contents;
}

/** Read one row file into `contents.rows`, or record why it is not a row. */
async function readRow(dir: string, path: string, contents: IndexContents): Promise<void> {
  let value: unknown;
  let problem: string | undefined;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
    problem = rowProblem(value, dir);
    if (!problem && rowFile(dir, (value as SessionSummary).id) !== path) problem = 'is named for another session id';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Removed between the listing and the read: not damage.
    if (code === 'ENOENT') return;
    problem = code ? `unreadable (${code})` : 'not JSON';
  }
  if (problem === undefined) {
    contents.rows.push(value as SessionSummary);
    return;
  }
  contents.damage.push(`${path}: ${problem}`);
  contents.damagedFiles.push(path);
}

async function removeIfStale(path: string): Promise<void> {
  try {
    if (Date.now() - (await stat(path)).mtimeMs > STALE_TEMP_MS) await rm(path, { force: true });
  } catch {
    // Renamed or removed by its writer meanwhile.
  }
}

/** Remove the row of a session id. */
export async function removeSummary(dir: string, id: string): Promise<void> {
  await rm(rowFile(dir, id), { force: true });
}

/**
 * Remove a row file `readIndex` reported as damaged: only a file of this index's folder, and only while it is still
 * damaged (a recorder may have replaced it with a good row since).
 */
export async function removeDamagedRow(dir: string, path: string): Promise<void> {
  if (dirname(resolve(path)) !== resolve(indexFolder(dir))) return;
  const check: IndexContents = { rows: [], damage: [], damagedFiles: [] };
  await readRow(dir, path, check);
  if (check.damagedFiles.length > 0) await rm(path, { force: true });
}

/** An index row's start, from the session header; `file` is relative to the index dir (the file is inside it). */
export function summaryFromHeader(header: SessionStartedEvent, path: string, indexDir: string): SessionSummary {
  return {
    id: header.sessionId,
    file: relative(resolve(indexDir), resolve(path)),
    startedAt: header.startedAt,
    flow: header.flow,
    problem: header.task.id,
    ...datasetOf(header.task),
    model: header.model.name,
    mode: header.mode ?? 'run',
    ...(header.label ? { label: header.label } : {}),
    tokens: 0,
  };
}

/** The whole index row of a recorded session: its header, then every event folded in. */
export function summaryOfSession(header: SessionStartedEvent, events: readonly SlotbenchEvent[], path: string, indexDir: string): SessionSummary {
  const summary = summaryFromHeader(header, path, indexDir);
  for (const event of events) addToSummary(summary, event);
  return summary;
}

/**
 * Fold one event into a row: tokens as the model reports them, each branch's verdict, at each flow end the
 * session's verdict and duration, and a person's latest tags and note. The flow that ended last sets the verdict, so the row's result is the
 * `decidingBranch` one, as everywhere else. True when the row changed in a way worth writing out.
 */
export function addToSummary(summary: SessionSummary, event: SlotbenchEvent): boolean {
  if (event.type === 'annotated') {
    setAnnotation(summary, event);
    return true;
  }
  if (event.type === 'slot_output' || event.type === 'slot_error') summary.tokens = (summary.tokens ?? 0) + event.tokenCount;
  if (event.type === 'branch') {
    if (!summary.branches) {
      summary.branches = [{ id: 0, ...(summary.verdict ? { verdict: summary.verdict } : {}) }];
      if (summary.verdict) summary.decidedBy = 0;
    }
    summary.branches.push({ id: event.branchId });
    return true;
  }
  if (event.type !== 'flow_finished') return false;
  summary.verdict = event.verdict;
  summary.durationMs = Math.round(event.t);
  const branch = summary.branches?.find((b) => b.id === event.branchId);
  if (branch) {
    branch.verdict = event.verdict;
    summary.decidedBy = branch.id;
  }
  return true;
}

/** The row's tags and note as an annotation leaves them (fields absent when empty, as in a row never annotated). */
export function setAnnotation(summary: SessionSummary, annotation: { note: string; tags: string[]; at?: string }): void {
  if (annotation.tags.length > 0) summary.tags = [...annotation.tags];
  else delete summary.tags;
  if (annotation.note !== '') summary.note = annotation.note;
  else delete summary.note;
  if (annotation.at !== undefined) summary.annotatedAt = annotation.at;
}

/**
 * `row` with the tags and note of the row on disk when those are newer: a person may annotate a session from another
 * process (`slotbench tag`) while a workbench still has it open, and that workbench's next row must not drop them.
 */
export async function keepNewerAnnotation(dir: string, row: SessionSummary): Promise<SessionSummary> {
  let onDisk: unknown;
  try {
    onDisk = JSON.parse(await readFile(rowFile(dir, row.id), 'utf8'));
  } catch {
    return row;
  }
  if (rowProblem(onDisk, dir) !== undefined) return row;
  const disk = onDisk as SessionSummary;
  if (disk.annotatedAt === undefined || (row.annotatedAt !== undefined && row.annotatedAt >= disk.annotatedAt)) return row;
  const kept = { ...row };
  setAnnotation(kept, { note: disk.note ?? '', tags: disk.tags ?? [], at: disk.annotatedAt });
  return kept;
}

/** The row's dataset: a dataset file's name, or a commit task's repository; free intents have none. */
function datasetOf(task: TaskRef): { dataset?: string } {
  if (task.kind === 'dataset') return { dataset: basename(task.dataset) };
  if (task.kind === 'commit') return { dataset: task.repo };
  return {};
}
