// The workbench's view stack in a real terminal (tmux): a replay opened from a live run or the welcome screen goes back with q/Esc.

import { copyFile, cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';
import { MAIN, TERMINAL_ENV, readEvents, useTerminal } from '../helpers/terminal.js';
import type { TmuxSession } from '../helpers/tmux.js';

const terminal = useTerminal();
let tmux: TmuxSession;

/** A working folder whose sessions/ holds the shipped example session and its index row (the welcome list reads the index). */
async function folder(): Promise<string> {
  const dir = await terminal.tempDir('slotbench-views-');
  await mkdir(join(dir, 'sessions'));
  await copyFile(join(PROJECT_ROOT, 'sessions', 'example-humaneval-0-scripted.jsonl'), join(dir, 'sessions', 'example-humaneval-0-scripted.jsonl'));
  await cp(join(PROJECT_ROOT, 'sessions', 'index'), join(dir, 'sessions', 'index'), { recursive: true });
  return dir;
}

describe('view stack', () => {
  it('q in a replay opened from the welcome screen goes back to the welcome screen; q there quits', async () => {
    const cwd = await folder();
    tmux = await terminal.start({ cwd, argv: ['node', MAIN], env: TERMINAL_ENV });
    await tmux.waitFor(/▶ pass +HumanEval\/0 +scripted/);
    await tmux.keys('Enter');
    const screen = await tmux.waitFor(/replay 0\/\d+ paused/);
    expect(screen).toMatch(/q back/);
    await tmux.keys('q');
    await tmux.waitFor('No problem is open');
    // Esc goes back too, once nothing else is open to close.
    await tmux.keys('Enter');
    await tmux.waitFor(/replay 0\/\d+ paused/);
    await tmux.keys('Escape');
    const welcome = await tmux.waitFor('No problem is open');
    expect(welcome).toMatch(/q quit/);
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });

  it('a replay opened from a live run returns to it, still going; leaving a live run asks first', async () => {
    const cwd = await folder();
    const live = join(cwd, 'sessions', 'live.jsonl');
    tmux = await terminal.start({
      cwd,
      env: TERMINAL_ENV,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-wrong-then-right'), '--session', live, '--attempts', '2'],
    });
    await tmux.waitFor('paused before implement (entry)');
    await tmux.keys('s');
    await tmux.waitFor(/paused before \w+ \(step\)/);
    await tmux.keys('o');
    await tmux.waitFor('2 sessions · sort: date');
    await tmux.keys('j', 'Enter');
    await tmux.waitFor(/replay 0\/\d+ paused/);
    await tmux.keys('q');
    // The live run is where it was left: after the first slot, paused, and it can go on.
    let screen = await tmux.waitFor(/paused before \w+ \(step\)/);
    expect(screen).toMatch(/implement s1 \d+ tok/);
    expect(screen).toMatch(/q quit/);

    // Opened from the welcome screen (:open), the live run sits over it: leaving it asks, n stays.
    await tmux.command('open HumanEval/2');
    await tmux.waitFor('opened HumanEval/2: paused before the first slot (s steps, q goes back)');
    await tmux.keys('q');
    await tmux.waitFor('leave the live run of HumanEval/2? it ends as aborted');
    await tmux.keys('n');
    await tmux.waitFor('still on HumanEval/2');
    await tmux.keys('q');
    await tmux.waitFor('leave the live run of HumanEval/2?');
    await tmux.keys('y');
    screen = await tmux.waitFor(/HumanEval\/0 · implement/);
    expect(screen).toMatch(/implement s1 \d+ tok/);
    await tmux.keys('c');
    await tmux.waitFor('finished: PASS');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
    const recorded = await readEvents(live);
    expect(recorded.filter((e) => e.type === 'flow_finished')).toMatchObject([{ verdict: 'pass' }]);
  });
});
