// Records an engine's events: the JSONL log (every event) and the index row (at start and at each flow end).

import { existsSync } from 'node:fs';
import type { SlotbenchEvent } from '../core/events.js';
import { addToSummary, keepNewerAnnotation, removeSummary, summaryFromHeader, upsertSummary, type SessionSummary } from './index-store.js';
import { ignoreInVersionControl, indexDirFor, sessionsDir } from './paths.js';
import { SessionWriter, why, type WriteFailure } from './writer.js';

export interface Recorder {
  readonly path: string;
  /** Feed every event here (subscribe it to the engine). */
  onEvent: (event: SlotbenchEvent) => void;
  /** Flush, close, and write the final index row. */
  close(): Promise<void>;
  /** Why the session stopped being recorded (a write failed); the run goes on without it. Undefined while recording. */
  readonly stopped: string | undefined;
  /**
   * Hear each trouble once, as one line: the session stopped being recorded, or its index row could not be
   * written. Troubles from before the call are delivered at once.
   */
  onTrouble(listener: (message: string) => void): void;
}

/**
 * Open a recorder. Sessions inside `<cwd>/sessions` are indexed there; a session written elsewhere (--session)
 * is indexed beside itself, so tests and scripts never touch the user's sessions index. A `<cwd>/sessions` the
 * recorder creates gets a `.gitignore` holding `*`.
 */
export function openRecorder(path: string, cwd: string): Recorder {
  const indexDir = indexDirFor(path, cwd);
  const troubles: string[] = [];
  const listeners: Array<(message: string) => void> = [];
  const tell = (message: string) => {
    troubles.push(message);
    for (const listener of listeners) listener(message);
  };
  let stopped: string | undefined;
  let summary: SessionSummary | undefined;
  let indexing: Promise<void> = Promise.resolve();
  let indexTrouble = false;
  const later = (step: () => Promise<void>) => {
    // A broken index never costs a session: the JSONL log is the record, and the listing reads it.
    indexing = indexing.then(step).catch((error: NodeJS.ErrnoException) => {
      if (indexTrouble || stopped) return;
      indexTrouble = true;
      // A full disk, a quota or a file-size limit is told once, by the session file's own failure (it cannot fit
      // either); the listing reads an unindexed file anyway.
      if (error.code === 'ENOSPC' || error.code === 'EDQUOT' || error.code === 'EFBIG') return;
      tell(`cannot index ${path}: ${why(error.code)}: \`slotbench sessions\` lists it from its file`);
    });
  };
  // Each row write is a synced file and a rename (the largest cost of recording an eval's problem): skip unchanged rows.
  let lastRow: string | undefined;
  const index = () => {
    if (!summary || stopped) return;
    const text = JSON.stringify(summary);
    if (text === lastRow) return;
    lastRow = text;
    const row = { ...summary };
    later(async () => upsertSummary(indexDir, await keepNewerAnnotation(indexDir, row)));
  };
  const onFailure = (failure: WriteFailure) => {
    const what = failure.code === 'ENOSPC' ? `disk full writing ${path}` : `cannot write ${path}: ${why(failure.code)}`;
    const kept = failure.removed ? 'nothing was kept' : `the file keeps its first ${failure.eventsKept} events`;
    stopped = `${what}: the run goes on unrecorded (${kept})`;
    const id = summary?.id;
    if (failure.removed && id !== undefined) later(() => removeSummary(indexDir, id));
    tell(stopped);
  };
  const createsSessionsDir = indexDir === sessionsDir(cwd) && !existsSync(indexDir);
  const writer = new SessionWriter(path, { onFailure });
  if (createsSessionsDir) ignoreInVersionControl(indexDir);
  return {
    path,
    onEvent: (event) => {
      writer.write(event);
      if (event.type === 'session_started') {
        summary = summaryFromHeader(event, path, indexDir);
        index();
      } else if (summary && addToSummary(summary, event)) index();
    },
    async close() {
      writer.close();
      index();
      await indexing;
    },
    get stopped() {
      return stopped;
    },
    onTrouble(listener) {
      listeners.push(listener);
      for (const message of troubles) listener(message);
    },
  };
}
