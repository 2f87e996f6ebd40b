// `slotbench probe` as a user types it: the built binary, the real gate, a scripted model whose answers vary by call.

import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { splitTokens } from '../../src/model/scripted.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';
import { loadCapture, sseEvents, startFixtureServer, toSse } from '../helpers/fixture-server.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const ENV = { NO_COLOR: '1', LANG: 'C.UTF-8', LC_ALL: '' };

function probeArgs(script: string, extra: string[]): string[] {
  return ['probe', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', script, ...extra];
}

function slotbench(args: string[], cwd: string) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: ENV });
}

function events(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
}

const MIXED = scriptPath('humaneval-0-probe-mixed');

describe('slotbench probe', () => {
  it('prints k/N, the outcome counts, pass@k with intervals and the distinct solutions, and records one session', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-probe-'));
    const result = await slotbench(probeArgs(MIXED, ['--n', '8', '--temperature', '0.8', '--session', 'probe.jsonl']), cwd);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^probe implement on HumanEval\/0 with scripted \[.*test double.*\]: 8 samples at T=0\.8, 4 at a time$/m);
    expect(out).toMatch(/^sample 8\/8 \(T=0\.8, seed \d\): \w+/m);
    expect(out).toContain('passed 4/8 · judged 8 · repaired 1 · distinct solutions 5 (2 passing)');
    expect(out).toMatch(/^ {2}pass {8}4 [█▏▎▍▌▋▊▉]+$/m);
    expect(out).toMatch(/^ {2}fail {8}3 [█▏▎▍▌▋▊▉]+$/m);
    expect(out).toMatch(/^ {2}parse error 1 [█▏▎▍▌▋▊▉]+$/m);
    expect(out).toMatch(/^ {2}timeout {5}0 $/m);
    expect(out).toMatch(/^@1 {9}0\.500 {2}0\.\d{3}–0\.\d{3}$/m);
    expect(out).toMatch(/^@5 {9}1\.000 {2}0\.\d{3}–1\.000$/m);
    expect(out).not.toMatch(/^@10/m);
    expect(out).toMatch(/^ {2}#1 {2}×3 {2}pass/m);
    expect(out).toContain('ordered = sorted(numbers)');
    expect(out).toContain('intervals: 95% Wilson score interval');
    expect(out).toContain(`session: ${join(cwd, 'probe.jsonl')}`);

    const recorded = events(join(cwd, 'probe.jsonl'));
    expect(recorded[0]).toMatchObject({ type: 'session_started', mode: 'probe', label: expect.stringMatching(/test double/) });
    expect(recorded.filter((e) => e.type === 'branch')).toHaveLength(8);
    expect(recorded.filter((e) => e.type === 'flow_finished')).toHaveLength(8);
    expect(existsSync(join(cwd, 'sessions'))).toBe(false);
  });

  it('--json prints one result object and keeps progress on stderr', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-probe-'));
    const result = await slotbench(probeArgs(MIXED, ['--n', '8', '--json', '--seed-base', '50']), cwd);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ slot: 'implement', problem: 'HumanEval/0', n: 8, seedBase: 50, parallel: 4, stopped: null });
    expect(out.results).toHaveLength(1);
    const [r] = out.results;
    expect(r).toMatchObject({ requested: 8, judged: 8, passed: 4, repaired: 1, distinctPassing: 2 });
    expect(r.counts).toEqual({ pass: 4, fail: 3, parse_error: 1, timeout: 0, crash: 0, error: 0, aborted: 0, not_run: 0 });
    expect(r.passAtK.map((e: { k: number }) => e.k)).toEqual([1, 5]);
    expect(r.groups.map((g: { count: number }) => g.count)).toEqual([3, 2, 1, 1, 1]);
    expect(r.samples.map((s: { seed: number }) => s.seed)).toEqual([50, 51, 52, 53, 54, 55, 56, 57]);
    expect(result.stderr).toMatch(/^sample 1\/8/m);
    // Without --session the probe goes to the working directory's sessions/.
    expect(out.session.startsWith(join(cwd, 'sessions'))).toBe(true);
  });

  it('compares temperatures in one table', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-probe-'));
    const result = await slotbench(probeArgs(MIXED, ['--n', '3', '--temperature', '0.2,0.6,1.0', '--session', 'cmp.jsonl']), cwd);
    expect(result.exitCode).toBe(0);
    const table = result.stdout.split('\n').findIndex((l) => /^ +T +passed +pass@1 +pass@5 +pass@10 +distinct +passing$/.test(l));
    expect(table).toBeGreaterThan(0);
    const rows = result.stdout.split('\n').slice(table + 1, table + 4);
    expect(rows.map((r) => r.trim().split(/\s+/)[0])).toEqual(['0.2', '0.6', '1']);
    expect(rows.every((r) => /\d\/3 +\d\.\d{3} +- +-/.test(r))).toBe(true);
    expect(events(join(cwd, 'cmp.jsonl')).filter((e) => e.type === 'branch')).toHaveLength(9);
  });

  it.each([
    [['--n', '0'], '--n must be an integer from 1 to 10000, got "0"'],
    [['--temperature', '0.5,-1'], '--temperature (each of a list such as 0.2,0.6,1.0) must be a number from 0 to 10, got "-1"'],
    [['--slot', 'summarise'], 'unknown slot "summarise" for flow implement: its slots are implement, reindent'],
    [['--slot', 'reindent'], 'slot "reindent" runs only after earlier slots of flow implement'],
  ])('rejects %j in one line', async (extra, message) => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-probe-'));
    const result = await slotbench(probeArgs(MIXED, extra), cwd);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`slotbench: ${message}`);
    expect(existsSync(join(cwd, 'sessions'))).toBe(false);
  });

  it('rejects an unknown problem in one line', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-probe-'));
    const result = await slotbench(['probe', '--dataset', humanEvalPath(), '--problem', 'HumanEval/9999', '--model-script', MIXED], cwd);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/HumanEval\/9999/);
  });

  it('refuses to start against a dead server, in one line, without writing a session', async () => {
    const server = await startFixtureServer({ routes: {} });
    await server.close();
    const cwd = mkdtempSync(join(tmpdir(), 'sb-probe-'));
    writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models: { local: { url: server.url } } }));
    const result = await slotbench(['probe', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--n', '3'], cwd);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`no llama-server at ${server.url}`);
    expect(existsSync(join(cwd, 'sessions'))).toBe(false);
  });

  it('runs as many samples at once as the llama-server config allows (maxParallel 2, 2 slots), never more', async () => {
    const captured = loadCapture('completion-stream');
    const frames = sseEvents(captured.body) as Array<Record<string, unknown>>;
    const body = '    for i, a in enumerate(numbers):\n        for j, b in enumerate(numbers):\n            if i != j and abs(a - b) < threshold:\n                return True\n    return False';
    const chunks = splitTokens(body).map((content, i) => ({ ...frames[0], content, tokens: [i + 1], tokens_predicted: i + 1 }));
    const capture = { ...captured, body: toSse([...chunks, { ...frames.at(-1), stop_type: 'word', stopping_word: '\n```' }]) };
    const server = await startFixtureServer({ routes: { 'GET /health': 'health', 'GET /props': 'props', 'POST /completion': { capture } }, delayMs: 1, maxChunk: 200 });
    try {
      const cwd = mkdtempSync(join(tmpdir(), 'sb-probe-'));
      writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models: { local: { url: server.url, maxParallel: 2 } } }));
      const result = await slotbench(['probe', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--n', '6', '--json', '--session', 'srv.jsonl'], cwd);
      expect(result.exitCode).toBe(0);
      const out = JSON.parse(result.stdout);
      expect(out).toMatchObject({ model: 'local', parallel: 2, label: null });
      expect(out.results[0].counts.pass).toBe(6);
      expect(server.stats.maxConcurrent).toBe(2);
      expect(server.stats.requests.filter((r) => r.path === '/completion')).toHaveLength(6);
    } finally {
      await server.close();
    }
  });

  it('on Ctrl-C keeps what finished, marks the rest not run, and still records and reports', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-probe-'));
    const slow = join(cwd, 'slow.json');
    const canonical = JSON.parse(readFileSync(scriptPath('humaneval-0-canonical'), 'utf8')).answers[0].text;
    writeFileSync(slow, JSON.stringify({ answers: [{ slot: 'implement', text: '    return False\n```\n' }, { slot: 'implement', text: canonical }], tokenDelayMs: 60 }));
    const child = execa('node', [BIN, ...probeArgs(slow, ['--n', '10', '--session', 'int.jsonl'])], { cwd, reject: false, env: ENV });
    let interrupted = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!interrupted && chunk.toString().includes('sample 1/10')) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    const result = await child;
    expect(interrupted).toBe(true);
    expect(result.exitCode).toBe(130);
    expect(result.stdout).toContain('interrupted by Ctrl-C: stopping the running samples');
    // Sample 1 is short and finishes first; the signal lands while the next ones stream (one more may have started).
    const count = (label: string) => Number(new RegExp(`^ {2}${label} +(\\d+) `, 'm').exec(result.stdout)?.[1]);
    expect(count('fail')).toBe(1);
    expect(count('aborted')).toBeGreaterThanOrEqual(3);
    expect(count('not run')).toBeGreaterThanOrEqual(1);
    expect(count('fail') + count('aborted') + count('not run')).toBe(10);
    expect(result.stdout).toMatch(/passed 0\/10 · judged 1 /);
    expect(result.stdout).toContain('stopped early: interrupted by Ctrl-C');
    const recorded = events(join(cwd, 'int.jsonl'));
    expect(recorded.filter((e) => e.type === 'branch')).toHaveLength(10);
    expect(recorded.filter((e) => e.type === 'flow_finished')).toHaveLength(10);
  });
});
