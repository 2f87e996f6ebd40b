// Appends a session's events to its JSONL file as they happen, batched so streaming never waits on the disk.

import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from '../core/errors.js';
import type { SlotbenchEvent } from '../core/events.js';

const FLUSH_MS = 50;
const FLUSH_BYTES = 64 * 1024;

/** Every open writer, so an exit or crash handler can flush them all synchronously. */
const openWriters = new Set<SessionWriter>();

export class SessionWriter {
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Events written so far (including pending). */
  count = 0;

  /** Creates the file; refuses to touch an existing one (a recorded session is never overwritten). */
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.fd = openSync(path, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UserError(`session file ${path} already exists: choose another --session path`);
      throw new UserError(`cannot create session file ${path}: ${code ?? String(error)}`);
    }
    openWriters.add(this);
  }

  /** Queue one event; it reaches the disk within ~50 ms, or at once on flush/close/exit. */
  write = (event: SlotbenchEvent): void => {
    if (this.fd === undefined) return;
    const line = JSON.stringify(event) + '\n';
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.count++;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  };

  /** Write everything queued, synchronously (safe in exit handlers; order is kept). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.fd === undefined || this.pending.length === 0) return;
    const data = this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    writeSync(this.fd, data);
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    openWriters.delete(this);
  }
}

/** Flush every open session (exit, signal, crash): the log stays complete up to the last event. */
export function flushAllSessions(): void {
  for (const writer of openWriters) {
    try {
      writer.flush();
    } catch {
      // Nothing sensible to do while the process is going down; other writers still get their turn.
    }
  }
}
