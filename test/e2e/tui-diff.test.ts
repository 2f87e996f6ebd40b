// `:diff` in a real terminal (tmux): a re-run branch against the original, then the live run against another session.

import { chmod, copyFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';
import { MAIN, TERMINAL_ENV, useTerminal } from '../helpers/terminal.js';
import type { TmuxSession } from '../helpers/tmux.js';


const terminal = useTerminal();
let tmux: TmuxSession;
let dir: string;

describe(':diff side by side', () => {
  it('compares the re-run branch with the original, then the run with another session file', async () => {
    dir = await terminal.tempDir('slotbench-diff-');
    await copyFile(join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-retry.jsonl'), join(dir, 'retry.jsonl'));
    tmux = await terminal.start({
      cwd: dir,
      env: TERMINAL_ENV,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical'), '--session', join(dir, 'run.jsonl')],
    });
    await tmux.waitFor('paused before implement (entry)');
    await tmux.keys('s');
    await tmux.waitFor('finished: PASS');
    await tmux.keys(':');
    await tmux.type('temp 0.9');
    await tmux.keys('Enter', 'r');
    await tmux.waitFor(/s2 b1 T=0\.9 +passed/);

    await tmux.command('diff 0');
    let screen = await tmux.waitFor('diff branch 1 ↔ branch 0');
    expect(screen).toContain('≠ slot implement #0 (attempt 1): sampling temperature differs: b1 0.9 vs b0 0');
    expect(screen).toMatch(/b1 pass · .* branch 1 · implement HumanEval\/0 · scripted \(scripted\)/);
    expect(screen).toMatch(/s2 implement #0 attempt 1 +┃ s1 implement #0 attempt 1/);
    expect(screen).toMatch(/T=0\.9 seed=– n_predict=\d+ +┃ T=0 seed=– n_predict=\d+/);
    expect(screen).toMatch(/temperature: 0\.9 +┃ temperature: 0/);
    await tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('diff branch 1'));

    await tmux.command('diff retry.jsonl');
    screen = await tmux.waitFor('20261124-031839-humaneval-0-1a3d');
    expect(screen).toMatch(/A pass · \S+ branch 1 ·/);
    expect(screen).toMatch(/B pass · 20261124-031839-humaneval-0-1a3d branch 0 ·/);
    expect(screen).toContain('sampling temperature differs: A 0.9 vs B 0');
    // The recorded run has a second call (its retry); this run has none.
    await tmux.keys('G');
    await tmux.waitFor(/\(no call here\) +┃ s2 implement #1 attempt 2/);

    await tmux.command('diff 5');
    await tmux.waitFor(':diff: no branch 5 in this session: its branches are 0, 1');
    // Esc on its own: followed at once by another key, the terminal would send it as Alt+key.
    await tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('≠ slot'));
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });

  it('shows a line diff of the prompts when a branch re-ran a slot with an edited prompt', async () => {
    dir = await terminal.tempDir('slotbench-diff-');
    const editor = join(dir, 'editor.sh');
    await writeFile(editor, '#!/bin/sh\nsed -i "s/Complete the Python function below/Finish this function/" "$1"\n');
    await chmod(editor, 0o755);
    tmux = await terminal.start({
      cwd: dir,
      env: { ...TERMINAL_ENV, EDITOR: editor },
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical'), '--session', join(dir, 'run.jsonl')],
    });
    await tmux.waitFor('paused before implement (entry)');
    await tmux.keys('s');
    await tmux.waitFor('finished: PASS');
    await tmux.keys('e');
    await tmux.waitFor(/s2 b1 T=0 edited +passed/);
    await tmux.command('diff 0');
    const screen = await tmux.waitFor('── prompt of call 1: b1 → b0');
    expect(screen).toContain('-Finish this function so that it is correct');
    expect(screen).toContain('+Complete the Python function below so that it is correct');
    await tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('── prompt of call'));
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });
});
