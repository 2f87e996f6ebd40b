// The exit code of a command that ran flows: each code means one thing (see RUN_EXIT_CODES).

import type { ResultRow } from '../runner/result-row.js';
import { INTERRUPTED_EXIT, isInterruptReason } from './interrupts.js';

/** Exit code when nothing was judged because the model, the server or the harness failed. */
export const NOT_JUDGED_EXIT = 3;

/** Exit code when every run was judged but a session could not be written whole (sysexits' EX_IOERR). */
export const NOT_RECORDED_EXIT = 74;

/**
 * 130 if a person interrupted any run, else 3 if any run was not judged, else 74 if a session could not be written
 * whole (the verdict was printed all the same), else 0 (every run judged and recorded, whatever its verdict).
 */
export function runExitCode(rows: readonly ResultRow[]): number {
  if (rows.some((row) => row.verdict === 'aborted' && isInterruptReason(row.reason))) return INTERRUPTED_EXIT;
  if (rows.length === 0 || rows.some((row) => !row.judged)) return NOT_JUDGED_EXIT;
  if (rows.some((row) => row.unrecorded)) return NOT_RECORDED_EXIT;
  return 0;
}
