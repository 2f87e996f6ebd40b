// `slotbench replay` in a real terminal (tmux): Enter jumps to the slot picked in the plan; c plays at the speed > chose.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { MAIN, TERMINAL_ENV, useTerminal, readEvents as events } from '../helpers/terminal.js';
import type { TmuxSession } from '../helpers/tmux.js';

const RETRY = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-retry.jsonl');

const terminal = useTerminal();
let tmux: TmuxSession;
let dir: string;


describe('replay in the workbench', () => {
  it('jumps to the slot picked in the plan with Enter, and says how to pick one first', async () => {
    dir = await terminal.tempDir('slotbench-replay-');
    const recorded = await events(RETRY);
    const s1Answer = recorded.findIndex((e) => e.type === 'slot_output' && e.slotId === 's1') + 1;
    tmux = await terminal.start({ cwd: dir, env: TERMINAL_ENV, argv: ['node', MAIN, 'replay', RETRY, '--at-end'] });
    let screen = await tmux.waitFor(`replay ${recorded.length}/${recorded.length} paused`);
    expect(screen).toContain('implement s2');
    // The key bar offers what a replay can do, not the live engine's rerun/edit/abort/temp.
    const bar = screen.trimEnd().split('\n').at(-1)!;
    expect(bar).toMatch(/> faster +\. event +Enter jump +\] slot +0 start +\$ end +s step/);
    expect(bar).not.toMatch(/rerun|edit|abort|temp/);
    await tmux.keys('Enter');
    await tmux.waitFor('pick a slot in the plan first (Tab to the plan, then j/k)');

    await tmux.keys('BTab', 'k');
    await tmux.waitFor(/▸ Plan[\s\S]*implement s1 7 tok/);
    await tmux.keys('Enter');
    screen = await tmux.waitFor(`at s1: event ${s1Answer}/${recorded.length}`);
    expect(screen).toContain(`replay ${s1Answer}/${recorded.length} paused`);
    expect(screen).not.toContain('implement s2');
    expect(screen).not.toContain('verdict');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });

  it('plays with c at the speed chosen with > (one play key), and pauses with space', async () => {
    dir = await terminal.tempDir('slotbench-replay-');
    // The fixture stretched eight times, so playback lasts long enough to be seen playing.
    const slow = join(dir, 'slow.jsonl');
    await writeFile(slow, (await events(RETRY)).map((e) => JSON.stringify({ ...e, t: e.t * 8 })).join('\n') + '\n');
    tmux = await terminal.start({ cwd: dir, env: TERMINAL_ENV, argv: ['node', MAIN, 'replay', slow, '--at-end'] });
    await tmux.waitFor('paused');
    await tmux.keys('c');
    await tmux.waitFor('the replay is at its end: 0 goes back to the start');
    await tmux.keys('>', '>');
    await tmux.waitFor('replay speed ×4');
    await tmux.keys('0', 'c');
    await tmux.waitFor(/replay \d+\/103 playing ×4/);
    await tmux.keys('Space');
    await tmux.waitFor(/replay \d+\/103 paused/);
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });
});
