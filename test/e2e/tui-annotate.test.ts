// Notes and tags in a real terminal (tmux): tag and note a session in the browser, see them in the row, find it by tag.

import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSummaries } from '../../src/session/index-store.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { MAIN, TERMINAL_ENV, useTerminal, writeOfflineConfig } from '../helpers/terminal.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions');
const terminal = useTerminal();

describe('notes and tags in the session browser', () => {
  it('tags and notes the picked session: the row shows the tags, the detail line the note, the filter finds it', async () => {
    const cwd = await terminal.tempDir('slotbench-notes-');
    await mkdir(join(cwd, 'sessions'));
    for (const name of ['humaneval-0-pass', 'humaneval-0-retry']) await copyFile(join(FIXTURES, `${name}.jsonl`), join(cwd, 'sessions', `${name}.jsonl`));
    await writeOfflineConfig(cwd);
    const tmux = await terminal.start({ cwd, argv: ['node', MAIN], env: TERMINAL_ENV });
    await tmux.waitFor('No problem is open');
    await tmux.keys('o');
    await tmux.waitFor('2 sessions · sort: date (newest first)');
    // Newest first: the retry (03:18:39), then the pass (03:18:30); pick the pass.
    await tmux.keys('j');
    await tmux.command('tag Flaky slow');
    await tmux.waitFor('tagged flaky, slow (20261124-031830-humaneval-0-6cf8: #flaky #slow)');
    await tmux.command('note server OOM at token 400');
    let screen = await tmux.waitFor('#flaky #slow · note: server OOM at token 400');
    expect(screen).toMatch(/│▶  2026-11-24 03:18 +HumanEval +HumanEval\/0 +implement +scripted +pass +[\d.]+ s +77 +#flaky #slow/);
    expect(screen).toMatch(/DURATION +TOKENS +TAGS/);

    await tmux.keys('/');
    await tmux.type('tag:slow');
    await tmux.keys('Enter');
    screen = await tmux.waitFor('1 of 2 match "tag:slow"');
    expect(screen).toContain('#flaky #slow');

    const lines = (await readFile(join(cwd, 'sessions', 'humaneval-0-pass.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'annotated', tags: ['flaky', 'slow'], note: 'server OOM at token 400' });
    expect((await readSummaries(join(cwd, 'sessions'))).find((r) => r.id === '20261124-031830-humaneval-0-6cf8')).toMatchObject({ tags: ['flaky', 'slow'] });

    await tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('match "tag:slow"'));
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });
});
