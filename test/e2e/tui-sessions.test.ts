// The session browser in a real terminal (tmux): from the welcome screen and from a live run; sort, filter, replay, delete.

import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';
import { MAIN, TERMINAL_ENV, useTerminal, writeOfflineConfig } from '../helpers/terminal.js';
import type { TmuxSession } from '../helpers/tmux.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions');

const terminal = useTerminal();
let tmux: TmuxSession;
let dir: string;

/** A working folder whose sessions/ holds copies of recorded fixture sessions. */
async function folder(...names: string[]): Promise<string> {
  dir = await terminal.tempDir('slotbench-browser-');
  await mkdir(join(dir, 'sessions'));
  for (const name of names) await copyFile(join(FIXTURES, `${name}.jsonl`), join(dir, 'sessions', `${name}.jsonl`));
  await writeOfflineConfig(dir);
  return dir;
}

describe('session browser', () => {
  it('from the welcome screen: sorts, filters, replays, refuses to delete the open replay, deletes after y', async () => {
    const cwd = await folder('humaneval-0-pass', 'humaneval-0-retry', 'humaneval-0-parse-error');
    tmux = await terminal.start({ cwd, argv: ['node', MAIN], env: TERMINAL_ENV });
    await tmux.waitFor('No problem is open');
    await tmux.keys('o');
    let screen = await tmux.waitFor('3 sessions · sort: date (newest first)');
    expect(screen).toMatch(/DATE +DATASET +PROBLEM +FLOW +MODEL +VERDICT +DURATION +TOKENS/);
    // Newest first: the parse error (03:18:43), then the retry (03:18:39), then the pass (03:18:30).
    expect(screen).toMatch(/▶\* 2026-11-24 03:18 +HumanEval +HumanEval\/0 +implement +scripted +parse_error[^\n]*\n[^\n]*pass +[\d.]+ s +84 [^\n]*\n[^\n]*pass +[\d.]+ s +77 /);

    await tmux.keys('s');
    screen = await tmux.waitFor('sort: verdict (best first)');
    // Best first; the cursor stays on the session it was on.
    expect(screen).toMatch(/ \* [^\n]*pass +[\d.]+ s +84 [^\n]*\n[^\n]*pass +[\d.]+ s +77 [^\n]*\n[^\n]*▶\*[^\n]*parse_error/);

    await tmux.keys('/');
    await tmux.type('parse');
    await tmux.waitFor('1 of 3 match "parse"');
    await tmux.keys('Enter');
    await tmux.keys('Enter');
    await tmux.waitFor(/replay 0\/97 paused/);
    await tmux.keys('c');
    await tmux.waitFor('finished: PARSE_ERROR');

    // Back in the browser (filter and sort kept): the open replay is marked and cannot be deleted.
    await tmux.keys('o');
    screen = await tmux.waitFor('1 of 3 match "parse"');
    expect(screen).toMatch(/▶○ [^\n]*parse_error/);
    await tmux.keys('d');
    await tmux.waitFor('20261124-031843-humaneval-0-6f8f is open in this replay: open another session first');

    await tmux.keys('/', 'Enter');
    await tmux.waitFor('3 sessions · sort: verdict');
    await tmux.keys('d');
    await tmux.waitFor(/delete session 20261124-031839-humaneval-0-1a3d \(humaneval-0-retry\.jsonl\)\? +y yes · any other key no/);
    await tmux.keys('n');
    await tmux.waitFor('kept 20261124-031839-humaneval-0-1a3d');
    expect(existsSync(join(cwd, 'sessions', 'humaneval-0-retry.jsonl'))).toBe(true);
    await tmux.keys('d');
    await tmux.waitFor('delete session 20261124-031839-humaneval-0-1a3d');
    await tmux.keys('y');
    screen = await tmux.waitFor('deleted 20261124-031839-humaneval-0-1a3d');
    expect(screen).toContain('2 sessions · sort: verdict');
    expect((await readdir(join(cwd, 'sessions'))).sort()).toEqual(['humaneval-0-parse-error.jsonl', 'humaneval-0-pass.jsonl']);

    await tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('sort: verdict'));
    // q leaves the replay for the welcome screen it was opened from, and quits there.
    await tmux.keys('q');
    await tmux.waitFor('No problem is open');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });

  it('from a live run: the session being recorded is marked and kept; Enter on another replays it', async () => {
    const cwd = await folder('humaneval-0-pass');
    const live = join(cwd, 'sessions', 'live.jsonl');
    tmux = await terminal.start({
      cwd,
      env: TERMINAL_ENV,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical'), '--session', live],
    });
    await tmux.waitFor('paused before implement (entry)');
    await tmux.command('sessions');
    const screen = await tmux.waitFor('2 sessions · sort: date');
    // Started just now, so listed first, and marked as being recorded.
    expect(screen).toMatch(/│▶● \d{4}-\d\d-\d\d \d\d:\d\d +HumanEval +HumanEval\/0 +implement +scripted +unfinished/);
    await tmux.keys('d');
    await tmux.waitFor(/humaneval-0-\w+ is being recorded now: delete it once its run is closed/);
    expect(existsSync(live)).toBe(true);

    await tmux.keys('j', 'Enter');
    await tmux.waitFor(/replay 0\/88 paused/);
    await tmux.keys('o');
    // The live run stays open below the replay: still being recorded, and the replayed session is the open one.
    const after = await tmux.waitFor(/│[▶ ]○ \d{4}-/);
    expect(after).toContain('2 sessions');
    expect(after).toMatch(/│[▶ ]● \d{4}-/);
    await tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('2 sessions'));
    await tmux.keys('q');
    await tmux.waitFor('paused before implement (entry)');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
    expect(await tmux.capture()).toContain(`session: ${live}`);
    expect(existsSync(live)).toBe(true);
  });
});
