// Exit codes a script can rely on: 0 judged, 3 not judged (model or server failed), 2 bad input, 130 interrupted.

import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { startFixtureServer, type FixtureServer, type Route } from '../helpers/fixture-server.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const dirs: string[] = [];
let server: FixtureServer | undefined;

function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-exit-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function run(args: string[], cwd: string) {
  return execa('node', [BIN, 'run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', ...args], { cwd, reject: false, env: { NO_COLOR: '1' } });
}

/** A config pointing the default model at a fixture server answering /completion with `completion`. */
async function serverAnswering(completion: Route, cwd: string): Promise<void> {
  server = await startFixtureServer({ routes: { 'GET /health': 'health', 'GET /props': 'props', 'POST /completion': completion } });
  writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models: { srv: { url: server.url } } }));
}

describe('judged runs exit 0, whatever the verdict', () => {
  it.each([
    ['humaneval-0-canonical', 'pass'],
    ['humaneval-0-wrong', 'fail'],
  ])('%s → %s, exit 0, and the plain output ends with a whole line', async (script, verdict) => {
    const cwd = workDir();
    const result = await run(['--model-script', scriptPath(script)], cwd);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`verdict: ${verdict}`);
    expect(result.stdout).toMatch(/\nsession: .*\.jsonl$/);
    const raw = await execa('node', [BIN, 'run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath(script)], {
      cwd,
      reject: false,
      stripFinalNewline: false,
    });
    expect(raw.stdout.endsWith('.jsonl\n')).toBe(true);
  });
});

describe('nothing judged exits 3, says which failure, and --json carries it apart from the verdict', () => {
  it.each<[string, Route, RegExp, string]>([
    ['a server that dies mid-stream', { capture: 'completion-stream', behaviour: 'cutoff', afterEvents: 3 }, /cut off|closed/i, 'cut_off'],
    ['a malformed stream', { capture: 'completion-stream', behaviour: 'garbage', afterEvents: 2 }, /malformed|not .*SSE|stream/i, 'bad_stream'],
    ['a context-exceeded error', 'error-prompt-too-long-stream', /exceeds the available context size/, 'exceed_context_size_error'],
  ])('%s', async (_what, completion, message, code) => {
    const cwd = workDir();
    await serverAnswering(completion, cwd);
    const result = await run(['--json', '--session', join(cwd, 's.jsonl')], cwd);
    expect(result.exitCode).toBe(3);
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ verdict: 'error', judged: false, error: { code } });
    expect(out.error.message).toMatch(message);
    expect(result.stderr).toMatch(message);
    const recorded = readFileSync(join(cwd, 's.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(recorded.at(-1)).toMatchObject({ type: 'flow_finished', verdict: 'error' });
  });
});

describe('bad input exits 2 in one line', () => {
  it.each([
    ['an unknown option', ['--model-script', 'x.json', '--temprature', '1'], /Unknown option '--temprature'/],
    ['a missing required option', ['--model-script', 'x.json'], null],
    ['a stray argument', ['extra', '--model-script', 'x.json'], /run takes no arguments, got "extra"/],
  ])('%s', async (_what, args, message) => {
    const cwd = workDir();
    const result =
      message === null
        ? await execa('node', [BIN, 'run', '--dataset', humanEvalPath(), ...args], { cwd, reject: false })
        : await run(args, cwd);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message ?? /run needs --problem/);
  });
});

describe('interrupted runs exit 130 and the session records the abort', () => {
  it.each([
    ['SIGINT', 'interrupted by Ctrl-C'],
    ['SIGTERM', 'terminated by SIGTERM'],
  ] as const)('%s mid-stream', async (signal, reason) => {
    const cwd = workDir();
    const script = join(cwd, 'slow.json');
    writeFileSync(script, JSON.stringify({ tokenDelayMs: 50, answers: [{ slot: 'implement', text: 'x = 1\n'.repeat(200) }] }));
    const session = join(cwd, 's.jsonl');
    const child = execa('node', [BIN, 'run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', script, '--session', session], {
      cwd,
      reject: false,
    });
    for (let i = 0; i < 200 && !(existsSync(session) && readFileSync(session, 'utf8').includes('"token"')); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill(signal);
    const result = await child;
    expect(result.exitCode).toBe(130);
    const recorded = readFileSync(session, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const error = recorded.find((e) => e.type === 'slot_error');
    expect(error).toMatchObject({ code: 'aborted' });
    expect(error.tokenCount).toBeGreaterThan(0);
    expect(recorded.at(-1)).toMatchObject({ type: 'flow_finished', verdict: 'aborted', reason });
  });
});
