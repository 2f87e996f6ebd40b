// `slotbench replay SESSION` on a real terminal (tmux): the workbench over the player, driven by transport keys.

import { execa } from 'execa';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { scratchDir } from '../helpers/scratch.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const SESSION = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-retry.jsonl');
const EVENTS = readFileSync(SESSION, 'utf8').trimEnd().split('\n').length;
const name = `sb-replay-${process.pid}`;

// A private server, not the user's default one; its socket is removed with it.
const tmux = (...args: string[]) => execa('tmux', ['-L', name, ...args], { reject: false });
const screen = async () => (await tmux('capture-pane', '-p', '-t', name)).stdout;

/** Poll the screen until it contains `text` (the workbench draws asynchronously). */
async function waitFor(text: string, timeoutMs = 10_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const shown = await screen();
    if (shown.includes(text)) return shown;
    if (Date.now() - started > timeoutMs) throw new Error(`screen never showed "${text}":\n${shown}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterEach(async () => {
  const socket = (await tmux('display-message', '-p', '#{socket_path}')).stdout.trim();
  await tmux('kill-server');
  if (socket) rmSync(socket, { force: true });
});

describe('slotbench replay in the workbench', () => {
  it('opens at the end, jumps to the start and slot by slot, and leaves the file untouched', async () => {
    const before = statSync(SESSION).mtimeMs;
    const cwd = scratchDir('sb-tui-');
    const command = `NCURSES_NO_UTF8_ACS=1 node ${BIN} replay ${SESSION} --at-end; echo exited $?; sleep 30`;
    await tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '35', '-c', cwd, command);

    const end = await waitFor(`replay ${EVENTS}/${EVENTS} paused`);
    expect(end).toContain('verdict: pass');
    expect(end).toContain('implement s2');

    await tmux('send-keys', '-t', name, '0');
    await waitFor(`replay 0/${EVENTS} paused`);

    await tmux('send-keys', '-t', name, ']');
    const first = await waitFor('implement s1 7 tok');
    expect(first).not.toContain('implement s2');
    expect(first).not.toContain('verdict');

    await tmux('send-keys', '-t', name, ']');
    const second = await waitFor('implement s2 77 tok');
    expect(second).toContain('test g1');
    expect(second).not.toContain('verdict');

    await tmux('send-keys', '-t', name, ']');
    await waitFor('no later slot in this recording');

    await tmux('send-keys', '-t', name, '$');
    await waitFor('verdict: pass');

    await tmux('send-keys', '-t', name, 'q');
    await waitFor('exited 0');
    expect(statSync(SESSION).mtimeMs).toBe(before);
  });

  it('plays the recording from the start at the chosen speed', async () => {
    const command = `NCURSES_NO_UTF8_ACS=1 node ${BIN} replay ${SESSION} --speed 2; sleep 30`;
    await tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '35', '-c', scratchDir('sb-tui-'), command);
    // The recording lasts about a second; at ×2 it reaches the end by itself.
    const shown = await waitFor(`replay ${EVENTS}/${EVENTS} paused`);
    expect(shown).toContain('verdict: pass');
  });
});
