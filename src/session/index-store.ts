// The small session index (sessions/index.json, lowdb): one summary row per session for browsing.

import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { SessionStartedEvent, SlotbenchEvent, Verdict } from '../core/events.js';

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

/** An index row's start, from the session header; `file` is relative to the index dir when the file is inside it. */
export function summaryFromHeader(header: SessionStartedEvent, path: string, indexDir: string): SessionSummary {
  const inside = relative(resolve(indexDir), resolve(path));
  return {
    id: header.sessionId,
    file: inside.startsWith('..') || isAbsolute(inside) ? resolve(path) : inside,
    startedAt: header.startedAt,
    flow: header.flow,
    problem: header.task.id,
    model: header.model.name,
    mode: header.mode ?? 'run',
    ...(header.label ? { label: header.label } : {}),
    tokens: 0,
  };
}

/**
 * Fold one event into a row: tokens as the model reports them, the verdict and duration at each flow end.
 * True when the row changed in a way worth writing out (a flow ended).
 */
export function addToSummary(summary: SessionSummary, event: SlotbenchEvent): boolean {
  if (event.type === 'slot_output' || event.type === 'slot_error') summary.tokens = (summary.tokens ?? 0) + event.tokenCount;
  if (event.type !== 'flow_finished') return false;
  summary.verdict = event.verdict;
  summary.durationMs = Math.round(event.t);
  return true;
}
