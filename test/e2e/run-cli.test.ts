// `slotbench run` as a user types it: the built binary, real gate, scripted model or a replayed llama-server.

import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSummaries } from '../../src/session/index-store.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');

function slotbench(args: string[], cwd: string) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1' } });
}

function runArgs(script: string, extra: string[] = []): string[] {
  return ['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath(script), '--json', ...extra];
}

function events(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
}

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('slotbench run (scripted model)', () => {
  it.each([
    ['humaneval-0-canonical', 'pass', ['implement']],
    ['humaneval-0-indent-broken', 'pass', ['implement', 'reindent']],
    ['humaneval-0-wrong', 'fail', ['implement']],
  ])('%s → %s', async (script, verdict, slots) => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-run-'));
    const result = await slotbench(runArgs(script), cwd);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.verdict).toBe(verdict);
    expect(out.slots.map((s: { name: string }) => s.name)).toEqual(slots);
    expect(out.label).toMatch(/test double/);
    expect(result.stderr).toContain(`verdict: ${verdict}`);
    const recorded = events(out.session);
    expect(recorded[0]).toMatchObject({ type: 'session_started', label: out.label });
    expect(recorded.at(-1)).toMatchObject({ type: 'flow_finished', verdict });
    expect(await readSummaries(join(cwd, 'sessions'))).toEqual([expect.objectContaining({ id: recorded[0].sessionId, verdict })]);
  });

  it('reports prose as a parse error at once: no re-indent slot is spent on it, and the output says why', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-run-'));
    const result = await slotbench(runArgs('humaneval-0-prose'), cwd);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ verdict: 'parse_error', judged: true, parseFailures: 1, indentationErrors: 0 });
    expect(out.slots.map((s: { name: string }) => s.name)).toEqual(['implement']);
    expect(result.stderr).toMatch(/parse failed at line \d+: not an indentation error \(line \d+: .*\), so no re-indent was asked/);
  });

  it('reports a timeout for `while True: pass` within the timeout plus a second', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-run-'));
    const started = Date.now();
    const result = await slotbench(runArgs('humaneval-0-timeout', ['--timeout-ms', '2000']), cwd);
    const out = JSON.parse(result.stdout);
    expect(out.verdict).toBe('timeout');
    expect(out.gates[0].durationMs).toBeLessThan(3000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('slotbench run against llama-server (captured wire, replayed locally)', () => {
  it('streams tokens and records the server timings in the session', async () => {
    server = await startFixtureServer({
      routes: { 'GET /health': 'health', 'GET /props': 'props', 'POST /completion': 'completion-stream' },
    });
    const cwd = mkdtempSync(join(tmpdir(), 'sb-run-'));
    writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models: { tiny: { url: server.url } } }));
    const session = join(cwd, 'out.jsonl');
    const result = await slotbench(
      ['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--session', session, '--json'],
      cwd,
    );
    expect(result.stderr).toBe(result.stderr.replace(/at .*\.js:\d+/, ''));
    expect(result.exitCode).toBe(0);
    const recorded = events(session);
    const tokens = recorded.filter((e) => e.type === 'token');
    expect(tokens.length).toBeGreaterThan(5);
    const output = recorded.find((e) => e.type === 'slot_output') as { timings: Record<string, number>; generationSettings: unknown; stopType: string };
    expect(output.timings.predicted_per_second).toBeGreaterThan(0);
    expect(output.generationSettings).toBeTruthy();
    const sent = server.stats.requests.find((r) => r.path === '/completion')!.json as Record<string, unknown>;
    expect(sent).toMatchObject({ temperature: 0, cache_prompt: true, stream: true });
    // A story model cannot code: the run completes and the gate, not the model, says so.
    expect(JSON.parse(result.stdout).verdict).not.toBe('pass');
  });
});

describe('slotbench run against a llama-server still loading its model', () => {
  it('waits with bounded backoff, says so, and then runs', async () => {
    server = await startFixtureServer({
      routes: {
        'GET /health': ['health-loading', 'health'],
        'GET /props': 'props',
        'POST /completion': ['health-loading', 'health-loading', 'completion-stream'],
      },
    });
    const cwd = mkdtempSync(join(tmpdir(), 'sb-run-'));
    writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models: { tiny: { url: server.url } } }));
    const result = await slotbench(['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--session', join(cwd, 's.jsonl')], cwd);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/is loading the model; retrying in \d+ms/);
    expect(result.stdout).toMatch(/implement: \d+ tokens/);
  });
});

describe('slotbench run: bad input is one line and a non-zero exit', () => {
  const cases: Array<[string, (cwd: string) => string[], RegExp]> = [
    ['unknown problem id', () => runArgs('humaneval-0-canonical').map((a) => (a === 'HumanEval/0' ? 'HumanEval/999' : a)), /no problem "HumanEval\/999"/],
    ['unreadable dataset', () => ['run', '--dataset', 'nope.jsonl', '--problem', 'X', '--model-script', scriptPath('humaneval-0-canonical')], /cannot read dataset/],
    ['bad config', (cwd) => {
      writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models: { a: { url: 'ftp://x' } } }));
      return ['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0'];
    }, /models\.a\.url/],
    ['no server', (cwd) => {
      writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models: { a: { url: 'http://127.0.0.1:9' } } }));
      return ['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0'];
    }, /no llama-server at http:\/\/127\.0\.0\.1:9.*llama-server -m/],
    ['bad temperature', () => runArgs('humaneval-0-canonical', ['--temperature=-1']), /--temperature must be a number from 0 to 10, got "-1"/],
    ['negative value as the next word', () => runArgs('humaneval-0-canonical', ['--temperature', '-1']), /--temperature must be a number from 0 to 10, got "-1"/],
    ['unknown flow', () => runArgs('humaneval-0-canonical', ['--flow', 'nope']), /unknown flow "nope"/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-run-'));
    const result = await slotbench(args(cwd), cwd);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('slotbench run on the embedded engine (real inference, tiny model)', () => {
  it('produces a complete session with the model fingerprint and a gate-free verdict from a story model', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-run-'));
    const session = join(cwd, 'emb.jsonl');
    const model = join(PROJECT_ROOT, '..', 'shared', 'models', 'stories260K.gguf');
    const result = await slotbench(
      ['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/2', '--model-file', model, '--session', session, '--json'],
      cwd,
    );
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.verdict).not.toBe('pass');
    const recorded = events(session);
    expect(recorded[0]).toMatchObject({ type: 'session_started', model: { kind: 'embedded', fingerprint: expect.stringMatching(/sha256:270cba1bd510/) } });
    expect(recorded.filter((e) => e.type === 'token').length).toBeGreaterThan(10);
    const output = recorded.find((e) => e.type === 'slot_output') as { timings: { predicted_per_second: number; prompt_n: number } };
    expect(output.timings.predicted_per_second).toBeGreaterThan(0);
    expect(output.timings.prompt_n).toBeGreaterThan(0);
    expect(recorded.at(-1)).toMatchObject({ type: 'flow_finished' });
  });
});

describe('slotbench run --repeat', () => {
  it('runs twice into numbered sessions and reports whether temperature-0 answers repeated', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-run-'));
    const result = await slotbench(runArgs('humaneval-0-canonical', ['--repeat', '2', '--session', join(cwd, 'r.jsonl')]), cwd);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.runs.map((r: { session: string }) => r.session)).toEqual([join(cwd, 'r-1.jsonl'), join(cwd, 'r-2.jsonl')]);
    expect(out.determinism).toMatchObject({ deterministic: true, compared: 1, changes: [] });
    expect(result.stderr).toMatch(/determinism: 2 runs/);
  });
});

describe('slotbench run interrupted', () => {
  it('Ctrl-C mid-stream ends the session with an aborted verdict and exit 130', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sb-run-'));
    const script = join(cwd, 'slow.json');
    writeFileSync(script, JSON.stringify({ tokenDelayMs: 50, answers: [{ slot: 'implement', text: 'x = 1\n'.repeat(200) }] }));
    const session = join(cwd, 's.jsonl');
    const child = execa('node', [BIN, 'run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', script, '--session', session], { cwd, reject: false });
    for (let i = 0; i < 200 && !(existsSync(session) && readFileSync(session, 'utf8').includes('"token"')); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    const recorded = events(session);
    expect(recorded.at(-1)).toMatchObject({ type: 'flow_finished', verdict: 'aborted', reason: 'interrupted by Ctrl-C' });
  });
});
