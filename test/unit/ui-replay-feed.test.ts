// The replay feed's keys: one play key at the transport's speed, reasons at the end, Enter jumps to the slot picked.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSession, type LoadedSession } from '../../src/session/reader.js';
import { KEYMAP } from '../../src/ui/controllers/keymap.js';
import { replayFeed } from '../../src/ui/replay-feed.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { harness } from '../helpers/engine-harness.js';
import { fakeWorkbench } from '../helpers/fake-workbench.js';

const RETRY = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-retry.jsonl');
const feeds: ReturnType<typeof replayFeed>[] = [];
afterEach(() => feeds.splice(0).forEach((f) => f.player.dispose()));

async function replay(session: LoadedSession | string = RETRY) {
  const feed = replayFeed(typeof session === 'string' ? await readSession(session) : session);
  feeds.push(feed);
  const w = await fakeWorkbench({ feed, run: feed.player.state });
  return { feed, player: feed.player, w };
}

describe('replay feed keys', () => {
  it('has one play key: c plays at the speed > and < chose', async () => {
    const { feed, player, w } = await replay();
    expect([...feed.keys!, ...KEYMAP].filter((k) => k.keys.includes('c')).map((k) => k.id)).toEqual(['continue']);
    await w.press('>', '>');
    expect(w.flashes.at(-1)?.text).toBe('replay speed ×4');
    await w.press('c');
    expect(player.playing).toBe(true);
    expect(player.speed).toBe(4);
    await w.press('<');
    expect(player.speed).toBe(2);
    await w.press('space');
    expect(player.playing).toBe(false);
  });

  it('says the replay is at its end when c or s can do nothing more', async () => {
    const { player, w } = await replay();
    await w.press('$');
    expect(player.position).toBe(player.length);
    await w.press('c');
    expect(w.flashes.at(-1)).toEqual({ text: 'the replay is at its end: 0 goes back to the start', level: 'error' });
    await w.press('s');
    expect(w.flashes.at(-1)?.text).toBe('the replay is at its end: 0 goes back to the start');
    expect(player.playing).toBe(false);
    await w.press('0', 'c');
    expect(player.playing).toBe(true);
  });

  it("] in the middle of a slot's answer goes to that slot's end, not the next one's", async () => {
    const { player, w } = await replay();
    const s1Output = player.events.findIndex((e) => e.type === 'slot_output' && e.slotId === 's1');
    const s1Token = player.events.findIndex((e) => e.type === 'token' && e.slotId === 's1');
    player.seek(s1Token + 1);
    expect(player.state.streamingSlot).toBe('s1');
    await w.press(']');
    expect(player.position).toBe(s1Output + 1);
    await w.press(']');
    const s2Output = player.events.findIndex((e) => e.type === 'slot_output' && e.slotId === 's2');
    expect(player.position).toBe(s2Output + 1);
  });

  it('jumps to the slot picked in the plan with Enter, and says how to pick one', async () => {
    const { player, w } = await replay();
    await w.press('enter');
    expect(w.flashes.at(-1)).toEqual({ text: 'pick a slot in the plan first (Tab to the plan, then j/k)', level: 'error' });
    await w.press('$', 'S-tab', 'k');
    expect(w.api.ui.focus).toBe('plan');
    expect(w.api.ui.selectedSlot).toBe('s1');
    await w.press('enter');
    const s1Output = player.events.findIndex((e) => e.type === 'slot_output' && e.slotId === 's1');
    expect(player.position).toBe(s1Output + 1);
    expect(player.state.slotOrder).toEqual(['s1']);
    expect(w.api.ui.selectedSlot).toBeUndefined();
    expect(w.flashes.at(-1)?.text).toBe(`at s1: event ${s1Output + 1}/${player.length}`);
  });

  it("jumps to the original slot when the slot picked is a branch's own view of it", async () => {
    const h = await harness('humaneval-0-indent-broken');
    await h.engine.start();
    h.engine.rerunSlot('s2');
    await h.engine.idle();
    const { player, w } = await replay({ path: 'mem.jsonl', header: h.events[0] as LoadedSession['header'], events: h.events, warnings: [], formatVersion: 1 });
    player.jumpToEnd();
    expect(player.state.slots.get('s1@b1')?.viewOf).toBe('s1');
    w.api.dispatch({ type: 'select', slotId: 's1@b1' });
    await w.press('enter');
    expect(w.flashes.at(-1)?.text).toMatch(/^at s1: event \d+\//);
    expect(player.state.slotOrder).toEqual(['s1']);
  });
});
