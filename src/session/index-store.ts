// The small session index (sessions/index.json, lowdb): one summary row per session for browsing.

import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { join } from 'node:path';
import type { Verdict } from '../core/events.js';

/** One row of the index. */
export interface SessionSummary {
  id: string;
  /** Path relative to the sessions dir (or absolute, for sessions written elsewhere). */
  file: string;
  startedAt: string;
  flow: string;
  problem: string;
  model: string;
  mode: 'run' | 'probe';
  label?: string;
  verdict?: Verdict;
  durationMs?: number;
  tokens?: number;
}

interface IndexData {
  sessions: SessionSummary[];
}

// Not JSONFilePreset: it silently swaps in an in-memory adapter when NODE_ENV=test.
async function openIndex(dir: string): Promise<Low<IndexData>> {
  const db = new Low<IndexData>(new JSONFile(join(dir, 'index.json')), { sessions: [] });
  await db.read();
  return db;
}

/** Insert or update a row (matched by id). Index trouble never costs a session: callers log and go on. */
export async function upsertSummary(dir: string, summary: SessionSummary): Promise<void> {
  const db = await openIndex(dir);
  await db.update(({ sessions }) => {
    const i = sessions.findIndex((s) => s.id === summary.id);
    if (i >= 0) sessions[i] = { ...sessions[i], ...summary };
    else sessions.push(summary);
  });
}

export async function readSummaries(dir: string): Promise<SessionSummary[]> {
  const db = await openIndex(dir);
  return db.data.sessions;
}

export async function removeSummary(dir: string, id: string): Promise<void> {
  const db = await openIndex(dir);
  await db.update((data) => {
    data.sessions = data.sessions.filter((s) => s.id !== id);
  });
}
