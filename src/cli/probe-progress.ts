// Headless probe progress: a live bar on a terminal, one line per finished sample when piped.

import type { SlotbenchEvent } from '../core/events.js';
import { reduce, type RunState } from '../state/run-state.js';
import { OUTCOME_LABEL, bar } from '../ui/panes/probe-text.js';
import { sampleView } from '../probe/samples.js';
import { OUTCOMES, type SampleOutcome } from '../probe/types.js';

const BAR_WIDTH = 24;

/**
 * Subscribe this to a probe; it reduces into `state` (the caller summarises from it at the end) and reports each
 * sample as it ends. `total` is every planned sample across temperatures.
 */
export function probeProgress(
  out: NodeJS.WritableStream & { isTTY?: boolean },
  state: RunState,
  total: number,
  ascii: boolean,
): { listener: (event: SlotbenchEvent) => void; done: () => void } {
  const counts = new Map<SampleOutcome, number>();
  let finished = 0;
  let live = false;
  const tally = () =>
    OUTCOMES.filter((o) => counts.get(o))
      .map((o) => `${OUTCOME_LABEL[o]} ${counts.get(o)}`)
      .join(' · ');
  return {
    listener: (event) => {
      reduce(state, event);
      if (event.type !== 'flow_finished' || event.branchId === 0) return;
      const branch = state.branches.get(event.branchId)!;
      const slots = state.slotOrder.map((id) => state.slots.get(id)!).filter((s) => s.branchId === event.branchId);
      const gates = state.gateOrder.map((id) => state.gates.get(id)!).filter((g) => g.branchId === event.branchId);
      const { sample } = sampleView(state, branch, slots, gates, 0);
      counts.set(sample.outcome, (counts.get(sample.outcome) ?? 0) + 1);
      finished++;
      if (out.isTTY) {
        const filled = bar(finished, total, BAR_WIDTH, ascii);
        const empty = (ascii ? '.' : '░').repeat(Math.max(0, BAR_WIDTH - [...filled].length));
        out.write(`\r\x1b[K[${filled}${empty}] ${finished}/${total}  ${tally()}`);
        live = true;
        return;
      }
      const seed = sample.seed !== undefined ? `, seed ${sample.seed}` : '';
      out.write(`sample ${finished}/${total} (T=${sample.temperature}${seed}): ${OUTCOME_LABEL[sample.outcome]}${sample.repaired ? ' (repaired)' : ''}\n`);
    },
    done: () => {
      if (live) out.write('\n');
      live = false;
    },
  };
}
