// `:probe` in the workbench, in a real terminal (tmux): the distribution, each sample's tokens/diff/test, the probe's own session.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';
import { MAIN, useTerminal, readEvents as events } from '../helpers/terminal.js';
import type { TmuxSession } from '../helpers/tmux.js';


const terminal = useTerminal();
let tmux: TmuxSession;
let dir: string;


describe('slotbench tui :probe', () => {
  it('probes the slot the engine waits before, shows the outcome distribution, and records the probe as its own session', async () => {
    dir = await terminal.tempDir('slotbench-probe-tui-');
    const session = join(dir, 'run.jsonl');
    tmux = await terminal.start({
      cwd: dir,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-probe-mixed'), '--session', session],
      env: { NCURSES_NO_UTF8_ACS: '1', LANG: 'C.UTF-8' },
    });
    await tmux.waitFor('paused before implement (entry)');

    await tmux.keys(':');
    await tmux.type('probe 0');
    await tmux.keys('Enter');
    await tmux.waitFor(':probe needs N, an integer ≥ 1, got "0"');

    await tmux.keys(':');
    await tmux.type('probe 6 0.8');
    await tmux.keys('Enter');
    const screen = await tmux.waitFor('passed 4/6', 30_000);
    expect(screen).toContain('probe implement · HumanEval/0 · model scripted · T=0.8');
    expect(screen).toContain('judged 6 · repaired 1 · distinct solutions 4 (2 passing)');
    expect(screen).toMatch(/@1 +0\.667 +0\.300–0\.903/);
    expect(screen).toMatch(/pass {8}4 █+/);
    expect(screen).toMatch(/parse error 1 █+/);
    await tmux.waitFor(/probe implement done: session /);

    // The samples, the first picked: its own tokens, diff and test run beside the list.
    expect(screen).toMatch(/▶ +1 1 +pass +#1 +77 │/);
    expect(screen).toContain('│ sample 1 · seed 1 · T=0.8 · pass · group #1');
    expect(screen).toMatch(/ +4 4 +fail +#3 +7 │/);
    expect(screen).toContain('── tokens · p1.s1 implement · 77 tok');
    expect(screen).toContain('        for idx2, elem2 in enumerate(numbers):');
    await tmux.keys('j', 'j', 'j');
    let sample = await tmux.waitFor('sample 4 · seed 4 · T=0.8 · fail · group #3');
    expect(sample).toContain('── tokens · p4.s1 implement · 7 tok');
    expect(sample).toContain('+    return False');
    expect(sample).toContain('── test p4.g1 failed');
    await tmux.keys('PageDown');
    sample = await tmux.waitFor('AssertionError');
    expect(sample).not.toContain('── tokens · p4.s1');

    // Every distinct solution with its code, and back.
    await tmux.keys('a');
    const solutions = await tmux.waitFor('probe implement: distinct solutions');
    expect(solutions).toMatch(/#1 {2}×3 {2}pass/);
    expect(solutions).toContain('ordered = sorted(numbers)');
    await tmux.keys('a');
    await tmux.waitFor('sample 4 · seed 4');

    // The panel closes; the run itself is untouched, still paused where it was.
    await tmux.keys('Escape');
    const back = await tmux.waitFor((s) => !s.includes('passed 4/6'));
    expect(back).toContain('paused before implement (entry)');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);

    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl') && f !== 'run.jsonl');
    expect(files).toHaveLength(1);
    const probe = await events(join(dir, files[0]));
    const run = await events(session);
    expect(probe[0]).toMatchObject({ type: 'session_started', mode: 'probe', derivedFrom: (run[0] as { sessionId: string }).sessionId });
    expect(probe.filter((e) => e.type === 'branch')).toHaveLength(6);
    expect(probe.filter((e) => e.type === 'test_run').map((e) => (e as { verdict: string }).verdict).sort()).toEqual(['fail', 'pass', 'pass', 'pass', 'pass']);
    // The run's own session has no probe samples in it.
    expect(run.filter((e) => e.type === 'slot_started')).toHaveLength(0);
  });
});
