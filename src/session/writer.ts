// Appends a session's events to its JSONL file as they happen, batched so streaming never waits on the disk.

import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { SlotbenchEvent } from '../core/events.js';

const FLUSH_MS = 50;
const FLUSH_BYTES = 64 * 1024;

/** Every open writer, so an exit or crash handler can flush them all synchronously. */
const openWriters = new Set<SessionWriter>();

/** Why a session stopped being written: the system's error code and what the file kept. */
export interface WriteFailure {
  /** ENOSPC, EDQUOT, EFBIG, EIO, EROFS, … */
  code: string;
  /** Whole events left in the file (it is cut back to its last whole line; with none left it is removed). */
  eventsKept: number;
  /** The file was removed because not even its header got written. */
  removed: boolean;
}

export interface WriterOptions {
  /** Called once when a write fails; the writer then drops every further event. */
  onFailure?: (failure: WriteFailure) => void;
}

export class SessionWriter {
  private fd: number | undefined;
  private pending: string[] = [];
  private pendingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Bytes of whole lines on disk. */
  private written = 0;
  private eventsWritten = 0;
  /** Events written so far (including pending). */
  count = 0;
  /** Set once a write failed: nothing more is recorded. */
  failure: WriteFailure | undefined;

  /** Creates the file; refuses to touch an existing one (a recorded session is never overwritten). */
  constructor(
    readonly path: string,
    private readonly options: WriterOptions = {},
  ) {
    try {
      createFolders(dirname(path));
    } catch (error) {
      throw new UserError(`cannot create the session folder ${dirname(path)}: ${why((error as NodeJS.ErrnoException).code)}`, 'session_path');
    }
    try {
      // O_APPEND: a line another process appends meanwhile (`slotbench note`) is never written over.
      this.fd = openSync(path, 'ax');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UserError(`session file ${path} already exists: choose another --session path`, 'session_path');
      throw new UserError(`cannot create session file ${path}: ${why(code)}`, 'session_path');
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

  /**
   * Write everything queued, synchronously (safe in exit handlers; order is kept). Never throws: a failed write
   * (full disk, I/O error) cuts the file back to its last whole line, closes it and reports once through `onFailure`.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.fd === undefined || this.pending.length === 0) return;
    const lines = this.pending;
    const data = Buffer.from(lines.join(''));
    this.pending = [];
    this.pendingBytes = 0;
    let done = 0;
    try {
      // A write may take only part of the buffer (a disk filling up): go on until it all went or one fails.
      while (done < data.length) done += writeSync(this.fd, data, done, data.length - done);
      this.written += data.length;
      this.eventsWritten += lines.length;
    } catch (error) {
      const whole = data.subarray(0, done).lastIndexOf(0x0a) + 1;
      this.fail((error as NodeJS.ErrnoException).code ?? 'EIO', whole, countLines(data.subarray(0, whole)));
    }
  }

  close(): void {
    this.flush();
    const fd = this.fd;
    this.fd = undefined;
    openWriters.delete(this);
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch (error) {
      // A network file system can report a lost write only at close.
      this.report((error as NodeJS.ErrnoException).code ?? 'EIO', false);
    }
  }

  private fail(code: string, wholeBytes: number, wholeEvents: number): void {
    const fd = this.fd!;
    this.fd = undefined;
    openWriters.delete(this);
    this.written += wholeBytes;
    this.eventsWritten += wholeEvents;
    try {
      ftruncateSync(fd, this.written);
    } catch {
      // The partial line stays; the reader reports a last line cut mid-write and keeps the rest.
    }
    try {
      closeSync(fd);
    } catch {
      // Already failing; the failure below is what the person hears about.
    }
    let removed = false;
    if (this.written === 0) {
      try {
        unlinkSync(this.path);
        removed = true;
      } catch {
        // An empty file is listed as "not a session" by the reader; nothing is lost by leaving it.
      }
    }
    this.report(code, removed);
  }

  private report(code: string, removed: boolean): void {
    if (this.failure) return;
    this.failure = { code, eventsKept: removed ? 0 : this.eventsWritten, removed };
    this.options.onFailure?.(this.failure);
  }
}

/**
 * `mkdir -p`, one folder at a time: Node's recursive mkdir reports ENOENT for any failure on the way (a read-only
 * mount included), while a plain mkdir of the first missing folder gives the real cause.
 */
function createFolders(dir: string): void {
  const missing: string[] = [];
  for (let folder = resolve(dir); !existsSync(folder) && dirname(folder) !== folder; folder = dirname(folder)) missing.unshift(folder);
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Another process made it meanwhile.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function countLines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** A file-system error code in words a person acts on. */
export function why(code: string | undefined): string {
  const words: Record<string, string> = {
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is used up',
    EFBIG: 'the file size limit is reached',
    EROFS: 'the file system is read-only',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENAMETOOLONG: 'the name is too long',
    ENOENT: 'a folder on the path does not exist',
    EIO: 'an I/O error',
  };
  return code ? `${words[code] ?? 'error'} (${code})` : 'unknown error';
}

/** Flush every open session (exit, signal, crash): the log stays complete up to the last event. */
export function flushAllSessions(): void {
  for (const writer of openWriters) writer.flush();
}
