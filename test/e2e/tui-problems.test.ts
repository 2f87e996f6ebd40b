// `:open` completion and the problem picker in a real terminal (tmux): complete a dataset and an id, list, filter, open.

import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { humanEvalPath } from '../helpers/engine-harness.js';
import { MAIN, TERMINAL_ENV, useTerminal, writeOfflineConfig } from '../helpers/terminal.js';

const terminal = useTerminal();

describe('finding a problem', () => {
  it(':open completes dataset paths and problem ids; :problems lists, fuzzy-filters, previews and opens one', async () => {
    const cwd = await terminal.tempDir('slotbench-problems-');
    await mkdir(join(cwd, 'data'));
    await copyFile(humanEvalPath(), join(cwd, 'data', 'HumanEval.jsonl.gz'));
    await writeOfflineConfig(cwd, { datasets: { humaneval: humanEvalPath() } });
    const tmux = await terminal.start({ cwd, env: TERMINAL_ENV, argv: ['node', MAIN] });
    await tmux.waitFor('No problem is open');

    // A path completes folder by folder; the ids complete once the dataset has been read (the first Tab reads it).
    await tmux.keys(':');
    await tmux.type('open da');
    await tmux.keys('Tab');
    await tmux.waitFor(':open data/');
    await tmux.keys('Tab');
    await tmux.waitFor(':open data/HumanEval.jsonl.gz');
    await tmux.type('HumanEval/16');
    await tmux.keys('Tab');
    await tmux.waitFor('data/HumanEval.jsonl.gz: 164 problems read: Tab completes their ids');
    await tmux.keys('Tab');
    let screen = await tmux.waitFor(/HumanEval\/16 +HumanEval\/160 +HumanEval\/161/);
    await tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes(':open data/'));

    await tmux.command('problems humaneval');
    screen = await tmux.waitFor('humaneval · 164 problems');
    expect(screen).toMatch(/▶ HumanEval\/0 +has_close_elements +Check if in given list of numbers/);
    expect(screen).toContain('── prompt of HumanEval/0');
    expect(screen).toContain('def has_close_elements(numbers: List[float], threshold: float) -> bool:');
    await tmux.keys('/');
    await tmux.type('sortthird');
    screen = await tmux.waitFor(/\d+ of 164 match "sortthird"/);
    expect(screen).toMatch(/▶ HumanEval\/33 +sort_third/);
    await tmux.keys('Enter', 'Enter');
    screen = await tmux.waitFor('paused before implement (entry)');
    expect(screen).toContain('HumanEval/33 · implement');
    await tmux.keys('q');
    await tmux.waitFor('leave the live run of HumanEval/33?');
    await tmux.keys('y');
    await tmux.waitFor('No problem is open');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  }, 60_000);
});
