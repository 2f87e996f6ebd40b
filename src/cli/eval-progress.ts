// An eval's progress: a live bar on a terminal (passed, failed, errors, rate, ETA); one line per result when piped.

import { outcomeOf, type EvalRow } from '../eval/eval-row.js';
import { stripControl } from '../text/sanitize.js';

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

export function evalProgress(
  out: NodeJS.WritableStream & { isTTY?: boolean },
  total: number,
  alreadyDone: number,
  now: () => number = () => performance.now(),
): { row: (row: EvalRow) => void; done: () => void } {
  const started = now();
  const counts = { pass: 0, fail: 0, error: 0 };
  let lastDraw = 0;
  const finished = () => counts.pass + counts.fail + counts.error;
  const line = () => {
    const done = alreadyDone + finished();
    const elapsed = (now() - started) / 1000;
    const rate = elapsed > 0 ? finished() / elapsed : 0;
    const eta = rate > 0 ? duration((total - done) / rate) : '–';
    const filled = Math.round((done / Math.max(1, total)) * BAR_WIDTH);
    return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total} · pass ${counts.pass} · fail ${counts.fail} · errors ${counts.error} · ${rate.toFixed(2)}/s · ETA ${eta}`;
  };
  return {
    row(row) {
      counts[outcomeOf(row)]++;
      if (!out.isTTY) {
        const detail = row.judged ? row.verdict : `error: ${row.error?.message ?? row.reason}`;
        const retried = row.retries.length > 0 ? ` after ${row.retries.length} retries` : '';
        out.write(`${stripControl(row.problem)} (${row.split}, repeat ${row.repeat}): ${stripControl(detail)}${retried} · ${alreadyDone + finished()}/${total}\n`);
        return;
      }
      if (now() - lastDraw < REDRAW_MS && finished() + alreadyDone < total) return;
      lastDraw = now();
      out.write(`\r\x1b[K${line()}`);
    },
    done() {
      if (out.isTTY && finished() > 0) out.write(`\r\x1b[K${line()}\n`);
    },
  };
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
