// `:probe` in the workbench, in a real terminal (tmux): the distribution, each sample's tokens/diff/test, the probe's own session.

import { readdir, readFile, writeFile } from 'node:fs/promises';
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

    await tmux.command('probe 0');
    await tmux.waitFor(':probe needs N, an integer ≥ 1, got "0"');

    await tmux.command('probe 6 0.8');
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
    const solutions = await tmux.waitFor((s) => s.includes('probe implement: distinct solutions') && s.includes('ordered = sorted(numbers)'));
    expect(solutions).toMatch(/#1 {2}×3 {2}pass/);
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

  /** The workbench on HumanEval/0 with the mixed probe script slowed to `tokenDelayMs` a token, recording `session`. */
  async function slowWorkbench(dir: string, session: string, tokenDelayMs: number): Promise<TmuxSession> {
    const script = JSON.parse(await readFile(scriptPath('humaneval-0-probe-mixed'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'slow.json'), JSON.stringify({ ...script, tokenDelayMs }));
    return terminal.start({
      cwd: dir,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', join(dir, 'slow.json'), '--session', session],
      env: { NCURSES_NO_UTF8_ACS: '1', LANG: 'C.UTF-8' },
    });
  }

  it('shows samples live as they finish, with both temperatures; x cancels the probe and keeps what it sampled', async () => {
    dir = await terminal.tempDir('slotbench-probe-live-');
    const session = join(dir, 'run.jsonl');
    // Slow answers (about 8 s a sample), so the probe is still running when x is pressed.
    tmux = await slowWorkbench(dir, session, 100);
    await tmux.waitFor('paused before implement (entry)');
    await tmux.keys(':');
    await tmux.type('probe 10 0.2,0.8');
    await tmux.waitFor("probes the next implement call, the flow's main slot");
    await tmux.keys('Enter');
    // Short samples finish first: the panel shows them while the long ones still stream, per temperature.
    const live = await tmux.waitFor(/probe implement · [1-9]\d*\/20 done · x cancels/, 30_000);
    expect(live).toMatch(/T=0\.2 · passed \d+\/\d+ +│ T=0\.8 · passed \d+\/\d+/);
    await tmux.keys('x');
    const cancelled = await tmux.waitFor(/probe implement cancelled: \d+\/20 samples finished and kept in /);
    expect(cancelled).toMatch(/probe implement · cancelled after \d+\/20/);
    await tmux.keys('Escape');
    await tmux.waitFor('paused before implement (entry)');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);

    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl') && f !== 'run.jsonl');
    expect(files).toHaveLength(1);
    const probe = await events(join(dir, files[0]));
    const ends = probe.filter((e) => e.type === 'flow_finished') as { verdict: string; reason: string }[];
    // Every sample has its end recorded: the ones that ran, the ones cut short, the ones never started.
    expect(ends).toHaveLength(20);
    expect(ends.some((e) => e.verdict === 'aborted' && /cancelled with x/.test(e.reason))).toBe(true);
    expect(ends.some((e) => e.verdict !== 'aborted')).toBe(true);
  });

  it('asks before quitting during a probe, then aborts its samples and exits at once, keeping what was recorded', async () => {
    dir = await terminal.tempDir('slotbench-probe-quit-');
    const session = join(dir, 'run.jsonl');
    // About 80 s for the 20 samples: a quit that waited for them would time the test out.
    tmux = await slowWorkbench(dir, session, 200);
    await tmux.waitFor('paused before implement (entry)');
    await tmux.command('probe 20');
    await tmux.waitFor(/probe implement · \d+\/20 done · x cancels/);
    await tmux.keys('Escape');
    // Each key after Esc waits for its effect: Esc and a key read together are one Alt-key.
    await tmux.waitFor((screen) => !/probe implement · \d+\/20 done/.test(screen));
    await tmux.keys('q');
    const ask = await tmux.waitFor('Quit?');
    expect(ask).toMatch(/still running: probe implement \(\d+\/20 samples done\)/);
    await tmux.keys('n');
    await tmux.waitFor((s) => !s.includes('Quit?'));
    await tmux.keys('q');
    await tmux.waitFor('Quit?');
    await tmux.keys('y');
    expect(await tmux.exitCode(5_000)).toBe(0);

    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl') && f !== 'run.jsonl');
    const probe = await events(join(dir, files[0]));
    const ends = probe.filter((e) => e.type === 'flow_finished') as { verdict: string; reason: string }[];
    expect(ends).toHaveLength(20);
    expect(ends.filter((e) => /not run: the workbench was closed/.test(e.reason)).length).toBeGreaterThan(0);
  });

  it("probes the flow's main slot after a finished run, not the repair that ran last, and says so while it is typed", async () => {
    dir = await terminal.tempDir('slotbench-probe-main-');
    tmux = await terminal.start({
      cwd: dir,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-indent-broken'), '--session', join(dir, 'run.jsonl')],
      env: { NCURSES_NO_UTF8_ACS: '1', LANG: 'C.UTF-8' },
    });
    await tmux.waitFor('paused before implement (entry)');
    await tmux.keys('c');
    await tmux.waitFor(/finished: /);
    expect(await tmux.capture()).toMatch(/s2 reindent/);
    await tmux.keys(':');
    await tmux.type('probe 2');
    await tmux.waitFor("probes s1 implement, the flow's main slot (pick another in the plan)");
    await tmux.keys('Enter');
    await tmux.waitFor(/probe implement done: session /, 30_000);
    await tmux.keys('Escape');
    await tmux.waitFor((screen) => !screen.includes('distinct solutions'));
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });
});
