// `slotbench view` in a real terminal over real eval runs: filter, open a session, Esc back, the compare view's flips, live rows.

import { execa } from 'execa';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { humanEvalPath } from '../helpers/engine-harness.js';
import { MAIN, TERMINAL_ENV, useTerminal } from '../helpers/terminal.js';

const terminal = useTerminal();
let root: string;

const ids = gunzipSync(readFileSync(humanEvalPath()))
  .toString('utf8')
  .trim()
  .split('\n')
  .slice(0, 5)
  .map((line) => JSON.parse(line) as { task_id: string; canonical_solution: string });

/** A scripted eval of HumanEval/0…4 where the listed problems get a wrong body (planted fails). */
async function plantedRun(name: string, failing: number[]): Promise<string> {
  const tasks: Record<string, Array<{ slot: string; text: string }>> = {};
  ids.forEach((row, i) => {
    tasks[row.task_id] = [{ slot: 'implement', text: failing.includes(i) ? '    return None\n```\n' : `${row.canonical_solution}\n\`\`\`\n` }];
  });
  const script = join(root, `${name}.json`);
  writeFileSync(script, JSON.stringify({ label: 'scripted model (test double): planted eval', answers: [], tasks }));
  const out = join(root, name);
  const result = await execa('node', [MAIN, 'eval', '--dataset', humanEvalPath(), '--model-script', script, '--out', out, '--limit', '5'], { cwd: root, reject: false });
  if (result.exitCode !== 0) throw new Error(`eval ${name} failed: ${result.stderr}`);
  return out;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sb-evalview-'));
  // A fails HumanEval/1 and /3; B fails /3 and /4: B gains /1 and loses /4.
  await Promise.all([plantedRun('runA', [1, 3]), plantedRun('runB', [3, 4])]);
}, 180_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const view = (...args: string[]) => terminal.start({ cwd: root, env: TERMINAL_ENV, cols: 100, rows: 30, argv: ['node', MAIN, 'view', ...args] });

describe('slotbench view', () => {
  it('filters the fails, opens the picked one in replay, and comes back with Esc to the same filter and row', async () => {
    const tmux = await view('runA');
    let screen = await tmux.waitFor('5 of 5 rows');
    expect(screen).toContain('5 of 5 done');
    await tmux.keys('f');
    screen = await tmux.waitFor('filter: fails');
    expect(screen).toContain('2 of 5 rows');
    expect(screen).toMatch(/HumanEval\/1 .*fail/);
    expect(screen).toMatch(/HumanEval\/3 .*fail/);
    expect(screen).not.toMatch(/HumanEval\/0 /);
    await tmux.keys('j', 'Enter');
    screen = await tmux.waitFor('finished: FAIL');
    expect(screen).toContain('HumanEval/3 · implement');
    expect(screen).toContain('replaying HumanEval/3 from runA');
    await tmux.keys('Escape');
    screen = await tmux.waitFor('filter: fails');
    expect(screen).toMatch(/▶ HumanEval\/3 /);
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  }, 60_000);

  it('searches as typed and keeps the search on Enter', async () => {
    const tmux = await view('runA');
    await tmux.waitFor('5 of 5 rows');
    await tmux.keys('/');
    await tmux.type('eval/2');
    let screen = await tmux.waitFor('1 of 5 rows');
    expect(screen).toMatch(/HumanEval\/2 .*pass/);
    await tmux.keys('Enter');
    screen = await tmux.waitFor('search "eval/2" · 1 of 5 rows');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  }, 60_000);

  it('compares two runs: the paired tables, exactly the planted flips, both sessions side by side, Esc back', async () => {
    const tmux = await view('runA', 'runB');
    let screen = await tmux.waitFor('filter: flipped');
    expect(screen).toMatch(/gained {4}1: HumanEval\/1 /);
    expect(screen).toMatch(/lost {6}1: HumanEval\/4 /);
    expect(screen).toContain('2 of 5 rows');
    expect(screen).toMatch(/HumanEval\/1 .*fail .*pass .*gained/);
    expect(screen).toMatch(/HumanEval\/4 .*pass .*fail .*lost/);
    await tmux.keys('Enter');
    screen = await tmux.waitFor('HumanEval/1: A runA ↔ B runB');
    expect(screen).toMatch(/A fail ·/);
    expect(screen).toMatch(/B pass ·/);
    await tmux.keys('Escape');
    await tmux.waitFor('filter: flipped');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  }, 60_000);

  it('follows a running eval: a row shows once its whole line is written, not before', async () => {
    const live = join(root, 'live');
    cpSync(join(root, 'runA'), live, { recursive: true });
    const lines = readFileSync(join(live, 'results.jsonl'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(live, 'results.jsonl'), lines.slice(0, 3).join('\n') + '\n');
    const tmux = await view('live');
    await tmux.waitFor('3 of 5 done, 2 to go');
    const last = lines[3];
    appendFileSync(join(live, 'results.jsonl'), last.slice(0, 40));
    await new Promise((r) => setTimeout(r, 2500));
    expect(await tmux.capture()).toContain('3 of 5 done, 2 to go');
    appendFileSync(join(live, 'results.jsonl'), `${last.slice(40)}\n`);
    const screen = await tmux.waitFor('4 of 5 done, 1 to go');
    expect(screen).toContain('4 of 4 rows');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  }, 60_000);
});

describe('slotbench view: bad input', () => {
  const cli = (...args: string[]) => execa('node', [MAIN, 'view', ...args], { cwd: root, reject: false });

  it('a missing directory, a folder that is not a run, or a damaged results line is one line and exit 2', async () => {
    const missing = await cli('no-such-run');
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/no run directory .*no-such-run: pass the --out directory of an eval/)]);

    const sessions = await cli('runA/sessions');
    expect(sessions.exitCode).toBe(2);
    expect(sessions.stderr.trim().split('\n')).toEqual([expect.stringMatching(/is not an eval run directory \(no manifest\.json\)/)]);

    const damaged = join(root, 'damaged');
    cpSync(join(root, 'runA'), damaged, { recursive: true });
    const lines = readFileSync(join(damaged, 'results.jsonl'), 'utf8').trimEnd().split('\n');
    lines[1] = lines[1].slice(0, 30);
    writeFileSync(join(damaged, 'results.jsonl'), lines.join('\n') + '\n');
    const bad = await cli('runA', 'damaged');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/damaged\/results\.jsonl line 2 is not a result row/)]);
  }, 30_000);
});
