// The token inspector and zoom in a real terminal (tmux), on a replayed session whose tokens carry probabilities.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { MAIN, TERMINAL_ENV, useTerminal, readEvents as events } from '../helpers/terminal.js';
import type { TmuxSession } from '../helpers/tmux.js';

const RETRY = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-retry.jsonl');

const terminal = useTerminal();
let tmux: TmuxSession;

/** The recorded run with n_probs-style data on every token: `distance` unlikely, with two rivals. */
async function withProbabilities(dir: string): Promise<string> {
  const path = join(dir, 'probs.jsonl');
  const lines = (await events(RETRY)).map((e) => {
    if (e.type !== 'token') return e;
    const logprob = e.text === 'distance' ? Math.log(0.3) : Math.log(0.97);
    return { ...e, logprob, top: [{ token: e.text, logprob }, { token: 'diff', logprob: Math.log(0.6) }, { token: 'gap', logprob: Math.log(0.05) }] };
  });
  await writeFile(path, lines.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return path;
}

describe('token inspector and zoom', () => {
  it('i puts a cursor on the first unsure token with its probability and rivals; J/K hop, Esc closes; z zooms a pane and back', async () => {
    const dir = await terminal.tempDir('slotbench-inspect-');
    tmux = await terminal.start({ cwd: dir, env: TERMINAL_ENV, argv: ['node', MAIN, 'replay', await withProbabilities(dir), '--at-end'] });
    await tmux.waitFor(/replay \d+\/\d+ paused/);
    await tmux.keys('i');
    let screen = await tmux.waitFor(/── token \d+\/77 "distance" · p 0\.300/);
    expect(screen).toContain('weighed: "diff" 0.600  "distance" 0.300 ◂  "gap" 0.050');
    expect(screen).toContain('inspecting (Esc closes)');
    expect(screen).toMatch(/l next +h previous +j line +J unsure +Esc close/);
    const first = Number(/── token (\d+)\/77 "distance"/.exec(screen)![1]);
    await tmux.keys('J');
    screen = await tmux.waitFor((s) => new RegExp(`── token (?!${first}/)\\d+/77 "distance"`).test(s));
    await tmux.keys('l');
    await tmux.waitFor(/── token \d+\/77 " " · p 0\.970/);
    await tmux.keys('Escape');
    screen = await tmux.waitFor((s) => !s.includes('── token '));
    expect(screen).not.toContain('inspecting');

    await tmux.keys('z');
    screen = await tmux.waitFor('Stream (zoomed: z restores)');
    expect(screen).not.toContain('Plan');
    await tmux.keys('Tab');
    screen = await tmux.waitFor('Diff (zoomed: z restores)');
    await tmux.keys('z');
    screen = await tmux.waitFor((s) => !s.includes('zoomed'));
    expect(screen).toContain('Plan');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });
});
