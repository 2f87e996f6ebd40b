// Where a workbench probe starts: the slot a person picked in a run, or the one the paused engine waits before.

import { UserError } from '../core/errors.js';
import type { SlotStoppedEvent } from '../core/events.js';
import type { SessionLike } from '../session/recorded.js';
import type { ProbeOrigin } from './plan.js';

/** A slot execution of the run (re-ask it with the state it ran in), or the engine's current stop. */
export type ProbeTarget = { slotId: string } | { stopped: SlotStoppedEvent };

/**
 * The slot name and origin of a probe into `source` (the run so far, e.g. its session file read back after a flush).
 * Each sample then replays that branch's answers before the slot and asks the slot itself live.
 */
export function probeOrigin(source: SessionLike, target: ProbeTarget): { slot: string; origin: ProbeOrigin } {
  if ('stopped' in target) {
    const { slotName, ordinal, branchId } = target.stopped;
    return { slot: slotName, origin: { source, branchId, ordinal } };
  }
  for (const event of source.events) {
    if (event.type === 'slot_started' && event.slotId === target.slotId) {
      return { slot: event.name, origin: { source, branchId: event.branchId, ordinal: event.ordinal } };
    }
  }
  throw new UserError(`no slot ${target.slotId} in session ${source.header.sessionId}: pick a slot that has started`);
}
