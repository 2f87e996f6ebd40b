// Records an engine's events: the JSONL log (every event) and the index row (at start and at each flow end).

import { dirname, resolve } from 'node:path';
import type { SlotbenchEvent } from '../core/events.js';
import { addToSummary, summaryFromHeader, upsertSummary, type SessionSummary } from './index-store.js';
import { sessionsDir } from './paths.js';
import { SessionWriter } from './writer.js';

export interface Recorder {
  readonly path: string;
  /** Feed every event here (subscribe it to the engine). */
  onEvent: (event: SlotbenchEvent) => void;
  /** Flush, close, and write the final index row. */
  close(): Promise<void>;
}

/**
 * Open a recorder. Sessions inside `<cwd>/sessions` are indexed there; a session written elsewhere (--session)
 * is indexed beside itself, so tests and scripts never touch the user's sessions/index.json.
 */
export function openRecorder(path: string, cwd: string): Recorder {
  const writer = new SessionWriter(path);
  const indexDir = resolve(path).startsWith(resolve(sessionsDir(cwd))) ? sessionsDir(cwd) : dirname(resolve(path));
  let summary: SessionSummary | undefined;
  let indexing: Promise<void> = Promise.resolve();
  const index = () => {
    if (!summary) return;
    const row = { ...summary };
    // A broken index never costs a session: the JSONL log is the record.
    indexing = indexing.then(() => upsertSummary(indexDir, row)).catch(() => undefined);
  };
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
  };
}
