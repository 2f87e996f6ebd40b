// A person's note and tags written into a recorded session: one appended `annotated` line, then its index row.

import { open, stat, type FileHandle } from 'node:fs/promises';
import { applyChange, NO_ANNOTATION, sameAnnotation, type Annotation, type AnnotationChange } from '../core/annotation.js';
import { UserError } from '../core/errors.js';
import type { AnnotatedEvent, SlotbenchEvent } from '../core/events.js';
import { reduceAll } from '../state/run-state.js';
import { summaryOfSession, upsertSummary } from './index-store.js';
import { indexDirFor } from './paths.js';
import { readSession } from './reader.js';
import { why } from './writer.js';

/**
 * An unfinished session written to this recently may belong to a run still going in another process. A run can be
 * silent for a whole test run (10 s by default) or longer, so the window is wider than that.
 */
export const LIVE_WINDOW_MS = 30_000;

/** What an annotation did. */
export interface AnnotateResult {
  /** The session's id (from its header). */
  sessionId: string;
  before: Annotation;
  after: Annotation;
  /** False when the change left the annotation as it was (nothing was written). */
  changed: boolean;
  /** The index row could not be written (the file holds the annotation; listings read it from there). */
  indexTrouble?: string;
}

/** The session's note and tags as they stand: its last `annotated` event, or none. */
export function currentAnnotation(events: readonly SlotbenchEvent[]): Annotation {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event.type === 'annotated') return { note: event.note, tags: [...event.tags] };
  }
  return NO_ANNOTATION;
}

/** The event that records `annotation`, at session time `t` (the run's clock does not move for it). */
export function annotationEvent(annotation: Annotation, t: number, at = new Date()): AnnotatedEvent {
  return { type: 'annotated', note: annotation.note, tags: [...annotation.tags], at: at.toISOString(), t };
}

/**
 * True when the run of `events` has not finished its current branch and its file was written within the window. A file
 * whose last line is an annotation was last written by a person, who was let in only because the run looked quiet.
 */
export function stillRecording(events: readonly SlotbenchEvent[], modifiedMs: number, nowMs: number): boolean {
  if (events.at(-1)?.type === 'annotated') return false;
  const state = reduceAll(events);
  if (state.branches.get(state.currentBranch)?.finished) return false;
  return nowMs - modifiedMs < LIVE_WINDOW_MS;
}

/** The note and tags of the session file at `path`, and the session's id. */
export async function readAnnotation(path: string): Promise<Annotation & { sessionId: string }> {
  const { header, events } = await readSession(path);
  return { ...currentAnnotation(events), sessionId: header.sessionId };
}

/**
 * Apply `change` to the session at `path`: a change that changes nothing writes nothing; one is refused (one line)
 * while another process still records the session; otherwise one line appended (O_APPEND, one write, after a newline if a crash left the last line cut) and the index row upserted.
 */
export async function annotateSession(path: string, change: AnnotationChange, options: { cwd: string; now?: () => Date }): Promise<AnnotateResult> {
  const session = await readSession(path);
  const now = options.now?.() ?? new Date();
  const sessionId = session.header.sessionId;
  const before = currentAnnotation(session.events);
  const after = applyChange(before, change);
  if (sameAnnotation(before, after)) return { sessionId, before, after, changed: false };
  const modifiedMs = (await stat(path)).mtimeMs;
  if (stillRecording(session.events, modifiedMs, now.getTime())) {
    const ago = Math.max(0, Math.round((now.getTime() - modifiedMs) / 1000));
    // A run killed a moment ago looks the same as one still going: say when it will count as ended.
    throw new UserError(
      `session ${sessionId} is still being recorded (unfinished, written ${ago} s ago); annotate it when the run ends, or in ${Math.ceil(LIVE_WINDOW_MS / 1000) - ago} s if the run was killed`,
      'still_recording',
    );
  }
  const event = annotationEvent(after, session.events[session.events.length - 1].t, now);
  await appendLine(path, JSON.stringify(event));
  const indexDir = indexDirFor(path, options.cwd);
  try {
    await upsertSummary(indexDir, summaryOfSession(session.header, [...session.events, event], path, indexDir));
    return { sessionId, before, after, changed: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { sessionId, before, after, changed: true, indexTrouble: `cannot index ${path}: ${why(code)}: \`slotbench sessions\` lists it from its file` };
  }
}

async function appendLine(path: string, line: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'a+');
    const { size } = await handle.stat();
    const last = Buffer.alloc(1);
    if (size > 0) await handle.read(last, 0, 1, size - 1);
    const text = `${size > 0 && last[0] !== 0x0a ? '\n' : ''}${line}\n`;
    await handle.write(text);
  } catch (error) {
    throw new UserError(`cannot write to session ${path}: ${why((error as NodeJS.ErrnoException).code)}`, 'unwritable');
  } finally {
    await handle?.close();
  }
}
