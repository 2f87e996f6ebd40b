// `slotbench eval` and `compare` as a user runs them: planted pass sets, resume after Ctrl-C, errors apart from fails.

import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { splitOf } from '../../src/eval/stats/split.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath } from '../helpers/engine-harness.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const dirs: string[] = [];
let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-eval-'));
  dirs.push(dir);
  return dir;
}

const humanEval: Array<{ task_id: string; canonical_solution: string }> = gunzipSync(readFileSync(humanEvalPath()))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

/** A scripted model answering each listed task with its canonical body (planted to pass) or a wrong one. */
function plantedScript(dir: string, passing: (id: string, index: number) => boolean, extra: Record<string, unknown> = {}): { file: string; pass: Set<string> } {
  const tasks: Record<string, Array<{ slot: string; text: string }>> = {};
  const pass = new Set<string>();
  humanEval.forEach((row, i) => {
    const good = passing(row.task_id, i);
    if (good) pass.add(row.task_id);
    tasks[row.task_id] = [{ slot: 'implement', text: good ? `${row.canonical_solution}\n\`\`\`\n` : '    return None\n```\n' }];
  });
  const file = join(dir, `script-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify({ label: 'scripted model (test double): planted eval', answers: [], tasks, ...extra }));
  return { file, pass };
}

function evalCli(args: string[], cwd: string) {
  return execa('node', [BIN, 'eval', '--dataset', humanEvalPath(), ...args], { cwd, reject: false, env: { NO_COLOR: '1' } });
}

function rows(runDir: string): Array<{ problem: string; verdict: string; judged: boolean; split: string; repeat: number; retries: unknown[] }> {
  return readFileSync(join(runDir, 'results.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
}

const passSet = (runDir: string) => new Set(rows(runDir).filter((r) => r.verdict === 'pass').map((r) => r.problem));

describe('slotbench eval', () => {
  it('over the held-out split reports exactly the planted pass set, with a manifest fingerprint', async () => {
    const cwd = workDir();
    const { file, pass } = plantedScript(cwd, (_id, i) => i % 3 !== 0);
    const out = join(cwd, 'run');
    const result = await evalCli(['--split', 'heldout', '--model-script', file, '--out', out, '--json'], cwd);
    expect(result.exitCode).toBe(0);
    const heldout = humanEval.map((r) => r.task_id).filter((id) => splitOf(id) === 'heldout');
    expect(rows(out).map((r) => r.problem).sort()).toEqual([...heldout].sort());
    expect(rows(out).every((r) => r.split === 'heldout' && r.judged)).toBe(true);
    expect(passSet(out)).toEqual(new Set(heldout.filter((id) => pass.has(id))));
    const summary = JSON.parse(result.stdout);
    expect(summary.splits.heldout).toMatchObject({ problems: heldout.length, judged: heldout.length, errorAttempts: 0 });
    expect(summary.splits.heldout.passAt1).toBeCloseTo(passSet(out).size / heldout.length, 10);
    expect(summary.splits.tuned.problems).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.fingerprint).toMatchObject({ flow: 'implement', 'flow.repair': 'on', 'model.kind': 'scripted', 'sampling.temperature': '0' });
    expect(manifest.selection).toMatchObject({ split: 'heldout', problems: heldout.length });
  }, 120_000);

  it('after Ctrl-C keeps what finished, and --resume ends with the same results as a clean run', async () => {
    const cwd = workDir();
    const { file, pass } = plantedScript(cwd, (_id, i) => i % 2 === 0, { tokenDelayMs: 15 });
    const out = join(cwd, 'run');
    const child = execa('node', [BIN, 'eval', '--dataset', humanEvalPath(), '--limit', '12', '--model-script', file, '--out', out], { cwd, reject: false });
    const resultsFile = join(out, 'results.jsonl');
    for (let i = 0; i < 600 && !(existsSync(resultsFile) && readFileSync(resultsFile, 'utf8').split('\n').length > 3); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const interrupted = await child;
    expect(interrupted.exitCode).toBe(130);
    expect(interrupted.stdout).toMatch(/continue with slotbench eval --resume /);
    const partial = rows(out).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(12);

    const changed = await execa('node', [BIN, 'eval', '--resume', out, '--model-script', file, '--temperature', '0.5'], { cwd, reject: false });
    expect(changed.exitCode).toBe(2);
    expect(changed.stderr).toMatch(/--resume takes its settings from the run's manifest: drop --temperature/);

    const resumed = await execa('node', [BIN, 'eval', '--resume', out, '--model-script', file], { cwd, reject: false });
    expect(resumed.exitCode).toBe(0);
    expect(resumed.stdout).toContain(`resuming: ${partial} of 12 runs already have a result`);
    const first12 = humanEval.slice(0, 12).map((r) => r.task_id);
    expect(rows(out).map((r) => r.problem).sort()).toEqual([...first12].sort());
    expect(passSet(out)).toEqual(new Set(first12.filter((id) => pass.has(id))));
  }, 120_000);

  it('retries a run the server cut off and never counts the error as a fail', async () => {
    const cwd = workDir();
    server = await startFixtureServer({
      routes: {
        'GET /health': 'health',
        'GET /props': 'props',
        'POST /completion': [{ capture: 'completion-stream', behaviour: 'cutoff', afterEvents: 3 }, 'completion-stream'],
      },
    });
    writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models: { srv: { url: server.url } } }));
    writeFileSync(join(cwd, 'ids.txt'), '# one problem\nHumanEval/0\n');
    const out = join(cwd, 'run');
    const result = await evalCli(['--ids', 'ids.txt', '--out', out, '--json'], cwd);
    expect(result.exitCode).toBe(0);
    const [row] = rows(out);
    expect(row.retries).toEqual([expect.objectContaining({ code: 'cut_off' })]);
    // The captured server writes a story, so the retried run is judged (it does not parse): a fail, not an error.
    expect(row).toMatchObject({ problem: 'HumanEval/0', judged: true, verdict: 'parse_error' });
    expect(JSON.parse(result.stdout).splits[splitOf('HumanEval/0')]).toMatchObject({ errorAttempts: 0, retries: 1 });
  }, 60_000);

  it('refuses a dataset-less command line, a bad split and an out dir that holds an eval, in one line', async () => {
    const cwd = workDir();
    const noDataset = await execa('node', [BIN, 'eval'], { cwd, reject: false });
    expect(noDataset.exitCode).toBe(2);
    expect(noDataset.stderr.trim()).toBe('slotbench: eval needs --dataset (or --resume DIR to continue an eval)');
    const { file } = plantedScript(cwd, () => true);
    const badSplit = await evalCli(['--split', 'half', '--model-script', file], cwd);
    expect(badSplit.stderr.trim()).toBe('slotbench: --split must be tuned, heldout or all, got "half"');
    writeFileSync(join(cwd, 'manifest.json'), '{}');
    const taken = await evalCli(['--limit', '1', '--model-script', file, '--out', cwd], cwd);
    expect(taken.exitCode).toBe(2);
    expect(taken.stderr).toMatch(/already holds an eval: continue it with --resume/);
  }, 60_000);
});

describe('slotbench compare', () => {
  it('reports exactly the planted flips both ways and what differs in the fingerprints', async () => {
    const cwd = workDir();
    const a = plantedScript(cwd, (_id, i) => i < 10 && i !== 3);
    const b = plantedScript(cwd, (_id, i) => i < 10 && i !== 7);
    const [runA, runB] = [join(cwd, 'a'), join(cwd, 'b')];
    expect((await evalCli(['--limit', '10', '--model-script', a.file, '--out', runA], cwd)).exitCode).toBe(0);
    expect((await evalCli(['--limit', '10', '--model-script', b.file, '--out', runB, '--flow-opt', 'repair=off'], cwd)).exitCode).toBe(0);
    const result = await execa('node', [BIN, 'compare', runA, runB, '--json'], { cwd, reject: false });
    expect(result.exitCode).toBe(0);
    const { differences, comparison } = JSON.parse(result.stdout);
    // Two scripts are two "models" (the script is the scripted double's model file), so two settings differ: flagged.
    expect(differences).toEqual([
      { key: 'flow.repair', a: 'on', b: 'off' },
      { key: 'model.file', a: a.file, b: b.file },
    ]);
    expect(comparison.flags).toContainEqual({ kind: 'fingerprints_differ', settings: ['flow.repair', 'model.file'] });
    const gained = [...comparison.splits.tuned.paired.bOnlyIds, ...comparison.splits.heldout.paired.bOnlyIds];
    const lost = [...comparison.splits.tuned.paired.aOnlyIds, ...comparison.splits.heldout.paired.aOnlyIds];
    expect(gained).toEqual(['HumanEval/3']);
    expect(lost).toEqual(['HumanEval/7']);
    const text = await execa('node', [BIN, 'compare', runA, runB], { cwd, reject: false });
    expect(text.stdout).toMatch(/^what differs between A and B:\n {2}flow\.repair: on → off\n {2}model\.file: /);
    expect(text.stdout).toMatch(/! A and B differ in 2 settings \(flow\.repair, model\.file\)/);
    expect(text.stdout).toMatch(/verdict \(held-out, what a claim rests on\): no change \(within noise\)/);
  }, 120_000);
});
