// Reading an eval's results.jsonl as it grows: whole lines only (a cut last line is not a row yet), rows for the view.

import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { EvalViewRow } from '../state/eval-view.js';
import { outcomeOf, type EvalRow } from './eval-row.js';
import { RESULTS_FILE, SESSIONS_DIR } from './run-dir.js';
import { splitOf } from './stats/split.js';

/** A complete line of results.jsonl that is not a result row: its 1-based line number. */
export interface DamagedLine {
  line: number;
  file: string;
}

/** What one read brought: the new rows, and complete lines that were not rows. */
export interface TailRead {
  rows: EvalRow[];
  damaged: DamagedLine[];
}

/** Follows one run directory's results.jsonl from where the last read stopped. */
export class ResultsTail {
  private offset = 0;
  private lines = 0;
  readonly file: string;

  constructor(readonly runDir: string) {
    this.file = join(runDir, RESULTS_FILE);
  }

  /** New whole lines since the last read; a last line without its newline waits for the next read. */
  read(): TailRead {
    if (!existsSync(this.file)) return { rows: [], damaged: [] };
    const size = statSync(this.file).size;
    if (size < this.offset) throw new UserError(`${this.file} got shorter while being read: it was replaced; open the view again`, 'bad_run_dir');
    if (size === this.offset) return { rows: [], damaged: [] };
    const buffer = Buffer.alloc(size - this.offset);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.offset);
    } finally {
      closeSync(fd);
    }
    const end = buffer.lastIndexOf(0x0a);
    if (end < 0) return { rows: [], damaged: [] };
    this.offset += end + 1;
    const out: TailRead = { rows: [], damaged: [] };
    for (const line of buffer.subarray(0, end).toString('utf8').split('\n')) {
      this.lines++;
      if (line.trim() === '') continue;
      const row = parseRow(line);
      if (row) out.rows.push(row);
      else out.damaged.push({ line: this.lines, file: this.file });
    }
    return out;
  }
}

function parseRow(line: string): EvalRow | undefined {
  try {
    const row = JSON.parse(line) as EvalRow;
    const ok = typeof row === 'object' && row !== null && typeof row.problem === 'string' && typeof row.repeat === 'number' && typeof row.verdict === 'string';
    return ok ? row : undefined;
  } catch {
    return undefined;
  }
}

/** The one-line error for a damaged line when the view opens. */
export function damagedError(damaged: DamagedLine): UserError {
  return new UserError(`${damaged.file} line ${damaged.line} is not a result row (damaged or edited): repair or delete that line, or view a copy without it`, 'bad_run_dir');
}

/** The session file of a row: under the run directory's sessions/ (so a moved run dir still opens), else as recorded. */
function sessionOf(runDir: string, row: EvalRow): string | null {
  if (row.sessionId) {
    const local = join(runDir, SESSIONS_DIR, `${row.sessionId}.jsonl`);
    if (existsSync(local)) return local;
  }
  if (!row.session) return null;
  return isAbsolute(row.session) ? row.session : resolve(runDir, row.session);
}

/** A results.jsonl row as the view shows it (numbers defaulted, so a short row never breaks the table). */
export function viewRow(runDir: string, row: EvalRow): EvalViewRow {
  const num = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : 0);
  return {
    id: row.problem,
    repeat: row.repeat,
    split: row.split === 'heldout' || row.split === 'tuned' ? row.split : splitOf(row.problem),
    class: typeof row.class === 'string' ? row.class : null,
    verdict: row.verdict,
    outcome: outcomeOf(row),
    attempts: num(row.attempts),
    repaired: row.repaired === true,
    tokens: num(row.tokens?.generated),
    timeMs: num(row.durationMs),
    session: sessionOf(runDir, row),
    error: row.error ? `${row.error.code}: ${row.error.message}` : null,
  };
}
