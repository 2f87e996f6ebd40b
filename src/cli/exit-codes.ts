// The exit code of a command that ran flows: each code means one thing (see RUN_EXIT_CODES).

import type { ResultRow } from '../runner/result-row.js';
import { INTERRUPTED_EXIT, isInterruptReason } from './interrupts.js';

/** Exit code when nothing was judged because the model, the server or the harness failed. */
export const NOT_JUDGED_EXIT = 3;

/** 130 if a person interrupted any run, else 3 if any run was not judged, else 0 (every run judged, whatever its verdict). */
export function runExitCode(rows: readonly ResultRow[]): number {
  if (rows.some((row) => row.verdict === 'aborted' && isInterruptReason(row.reason))) return INTERRUPTED_EXIT;
  if (rows.length === 0 || rows.some((row) => !row.judged)) return NOT_JUDGED_EXIT;
  return 0;
}
