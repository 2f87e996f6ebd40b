import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import type { Feed } from '../../src/ui/common/contracts.js';
import { liveRunGoing, ViewStack } from '../../src/ui/view-stack.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { readEvents } from '../helpers/terminal.js';

const PASS = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-pass.jsonl');

/** A feed whose events the test sends by hand. */
function handFeed(kind: Feed['kind']): Feed & { send(event: SlotbenchEvent): void; listeners: number } {
  const listeners = new Set<(event?: SlotbenchEvent) => void>();
  return {
    kind,
    controls: {},
    get listeners() {
      return listeners.size;
    },
    send: (event) => listeners.forEach((l) => l(event)),
    subscribe: (listener) => (listeners.add(listener), () => void listeners.delete(listener)),
    start: () => undefined,
    close: async () => undefined,
  };
}

describe('view stack', () => {
  it('keeps reducing a live run below the top, redraws only for the top, and pops back to it as it is now', async () => {
    const events = await readEvents(PASS);
    let redraws = 0;
    const stack = new ViewStack(() => redraws++);
    const welcome = handFeed('none');
    stack.push(welcome);
    const live = handFeed('engine');
    const liveView = stack.push(live, { focus: 'plan' } as never);
    live.send(events[0]);
    expect(liveRunGoing(liveView)).toBe(true);
    expect(redraws).toBe(1);

    const replay = handFeed('replay');
    stack.push(replay);
    for (const event of events.slice(1)) live.send(event);
    // The live run moved on underneath without drawing over the replay.
    expect(redraws).toBe(1);
    expect(liveView.run.eventCount).toBe(events.length);
    expect(liveRunGoing(liveView)).toBe(false);
    expect(stack.depth).toBe(3);

    expect(stack.pop()?.feed).toBe(replay);
    expect(replay.listeners).toBe(0);
    expect(stack.top).toBe(liveView);
    expect(stack.pop()?.feed).toBe(live);
    // The first view is never popped: back there quits instead.
    expect(stack.pop()).toBeUndefined();
    expect(stack.clear().map((v) => v.feed)).toEqual([welcome]);
    expect(welcome.listeners).toBe(0);
  });

  it('keeps the screen state of the view left, for going back', () => {
    const stack = new ViewStack(() => undefined);
    const first = stack.push(handFeed('engine'));
    stack.push(handFeed('replay'), { focus: 'test' } as never);
    expect(first.ui).toEqual({ focus: 'test' });
  });
});
