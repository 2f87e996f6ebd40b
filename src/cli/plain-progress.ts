// Headless progress: one line per step as the run goes; on a terminal, a live line for the streaming slot.

import type { SlotbenchEvent } from '../core/events.js';
import { reduce, type RunState } from '../state/run-state.js';
import { tokensPerSecond } from '../state/selectors.js';
import { stripControl } from '../text/sanitize.js';

const LIVE_INTERVAL_MS = 100;

/** Subscribe this to an engine; it keeps its own run state from the same reducer the TUI uses. */
export function plainProgress(out: NodeJS.WritableStream & { isTTY?: boolean }, state: RunState): (event: SlotbenchEvent) => void {
  let lastLive = 0;
  let liveShown = false;
  const line = (text: string) => {
    if (liveShown) out.write('\r\x1b[K');
    liveShown = false;
    out.write(stripControl(text) + '\n');
  };
  return (event) => {
    reduce(state, event);
    switch (event.type) {
      case 'session_started':
        line(`${event.flow} ${event.task.id} on ${event.model.name} (${event.model.kind}) T=${event.sampling.temperature}` +
          `${event.sampling.seed !== undefined ? ` seed=${event.sampling.seed}` : ''}${event.label ? ` [${event.label}]` : ''}`);
        break;
      case 'note':
        line(`${event.level === 'warn' ? 'warning' : 'note'}: ${event.message}`);
        break;
      case 'slot_started':
        line(`▶ ${event.name} (attempt ${event.attempt}${event.branchId ? `, branch ${event.branchId}` : ''}) ${event.slotId}`);
        break;
      case 'token': {
        if (!out.isTTY || event.t - lastLive < LIVE_INTERVAL_MS) break;
        lastLive = event.t;
        const slot = state.slots.get(event.slotId);
        if (!slot) break;
        out.write(`\r\x1b[K  streaming ${slot.tokenCount} tokens, ${tokensPerSecond(slot).toFixed(0)} tok/s`);
        liveShown = true;
        break;
      }
      case 'slot_output': {
        const slot = state.slots.get(event.slotId)!;
        const server = event.timings?.prompt_n ? ` (prompt ${event.timings.prompt_n} tok, cached ${event.timings.cache_n ?? 0})` : '';
        line(`  ${slot.name}: ${event.tokenCount} tokens, ${tokensPerSecond(slot).toFixed(0)} tok/s, stop=${event.stopType}${server}`);
        break;
      }
      case 'slot_error':
        line(`  error: ${event.message}`);
        break;
      case 'parse_failed':
        line(`  parse failed at line ${event.errors[0]?.line}: ${event.noRepair ?? 'asking for a re-indent'}`);
        break;
      case 'repair':
        line(`  re-indent ${event.accepted ? 'accepted' : 'rejected'}: ${event.reason}`);
        break;
      case 'test_run':
        line(`  gate: ${event.verdict} (exit ${event.exitCode ?? event.signal}, ${event.durationMs} ms, sandbox ${event.sandbox})`);
        break;
      case 'flow_finished':
        line(`verdict: ${event.verdict} (${event.reason})`);
        break;
    }
  };
}

/** Loading progress: a live line on a terminal; elsewhere only the first and the last report. */
export function progressPrinter(out: NodeJS.WritableStream & { isTTY?: boolean }): (message: string) => void {
  let shown = false;
  return (message) => {
    const done = /100%$/.test(message);
    if (out.isTTY) out.write(`\r\x1b[K${stripControl(message)}${done ? '\n' : ''}`);
    else if (!shown || done) out.write(`${stripControl(message)}\n`);
    shown = !done;
  };
}
