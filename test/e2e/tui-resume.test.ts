// Resuming in a real terminal (tmux): a replay of a session killed mid-stream, R, the pause where it stopped, the live end.

import { readdir, readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scriptPath } from '../helpers/engine-harness.js';
import { cutSession } from '../helpers/cut-session.js';
import { MAIN, TERMINAL_ENV, useTerminal, writeOfflineConfig } from '../helpers/terminal.js';

const terminal = useTerminal();

/** `fixture` as a SIGKILL leaves it after `lines` lines, in the folder's sessions/. */
async function copyCut(cwd: string, fixture: string, lines: number): Promise<void> {
  await writeFile(join(cwd, 'sessions', `${fixture}.jsonl`), cutSession(fixture, lines));
}

describe('resume in the workbench', () => {
  it('R on the replay of a killed session: its answer replays, it pauses where the recording stops, c ends it live', async () => {
    const cwd = await terminal.tempDir('slotbench-resume-');
    await mkdir(join(cwd, 'sessions'));
    await copyCut(cwd, 'humaneval-0-retry', 40);
    await copyCut(cwd, 'humaneval-0-pass', 1000);
    await writeOfflineConfig(cwd);
    const tmux = await terminal.start({ cwd, env: { ...TERMINAL_ENV, TERM: 'tmux-256color' }, argv: ['node', MAIN, 'tui', '--model-script', scriptPath('humaneval-0-canonical')] });
    await tmux.waitFor('No problem is open');

    await tmux.keys('o');
    await tmux.waitFor('2 sessions · sort: date');
    // Newest first: the killed retry (03:18:39) above the pass (03:18:30).
    await tmux.keys('Enter');
    await tmux.waitFor(/replay 0\/\d+ paused/);
    await tmux.keys('R');
    let screen = await tmux.waitFor('paused before implement (where the recording ends)');
    // The recorded wrong answer replayed and failed its test; the call it never finished waits.
    expect(screen).toMatch(/● implement s1 7 tok +failed/);
    expect(screen).toMatch(/▶ ○ implement next \(resume\) +pending/);

    await tmux.keys('c');
    screen = await tmux.waitFor('finished: PASS');
    expect(screen).toMatch(/● implement s2 77 tok +passed/);
    const files = (await readdir(join(cwd, 'sessions'))).filter((f) => f.endsWith('.jsonl')).sort();
    expect(files).toHaveLength(3);
    const resumed = files.find((f) => !f.startsWith('humaneval-0-'))!;
    const header = JSON.parse((await readFile(join(cwd, 'sessions', resumed), 'utf8')).split('\n')[0]);
    expect(header.derivedFrom).toBe('20261124-031839-humaneval-0-1a3d');

    // q goes back to the replay it was resumed from; a judged session is refused in the status line.
    await tmux.keys('q');
    await tmux.waitFor(/replay \d+\/\d+/);
    await tmux.command('resume 20261124-031830');
    await tmux.waitFor(/nothing to resume: branch 0 of \S+humaneval-0-pass\.jsonl finished/);
    await tmux.keys('q');
    await tmux.waitFor('No problem is open');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
    // Ten screens and two gate runs: seconds here, many more on a loaded CI machine.
  }, 60_000);
});
