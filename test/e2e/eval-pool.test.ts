// `slotbench eval` on a pool of two llama-servers (fixture servers replaying captures) where one dies mid-run.

import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath } from '../helpers/engine-harness.js';
import { loadCapture, sseEvents, startFixtureServer, toSse, type Capture, type FixtureServer, type RecordedRequest, type RouteStep } from '../helpers/fixture-server.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const PROBLEMS = 8;
const dirs: string[] = [];
const servers: FixtureServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close().catch(() => undefined)));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const humanEval: Array<{ task_id: string; entry_point: string; canonical_solution: string }> = gunzipSync(readFileSync(humanEvalPath()))
  .toString('utf8')
  .trim()
  .split('\n')
  .slice(0, PROBLEMS)
  .map((line) => JSON.parse(line));

/** The captured stream's frames carrying `text`, stopped at the code block's end as the implement flow asks. */
function streamOf(text: string): Capture {
  const captured = loadCapture('completion-stream');
  const frames = sseEvents(captured.body) as Array<Record<string, unknown>>;
  const pieces = text.match(/[\s\S]{1,6}/g)!;
  const chunks = pieces.map((content, i) => ({ ...frames[0], content, tokens: [i + 1], tokens_predicted: i + 1 }));
  return { ...captured, body: toSse([...chunks, { ...frames.at(-1), content: '', stop_type: 'word', stopping_word: '\n```' }]) };
}

/** A server answering each problem with its canonical body (so every judged run passes), found by the function it asks for. */
function answer(request: RecordedRequest): RouteStep {
  const prompt = (request.json as { prompt: string }).prompt;
  const row = humanEval.find((r) => prompt.includes(`def ${r.entry_point}(`));
  if (!row) throw new Error(`no HumanEval problem in prompt ${prompt.slice(0, 80)}`);
  return { capture: streamOf(row.canonical_solution) };
}

async function start(route: (request: RecordedRequest, index: number) => RouteStep): Promise<FixtureServer> {
  const server = await startFixtureServer({ routes: { 'GET /health': 'health', 'GET /props': 'props', 'POST /completion': route }, maxChunk: 200, delayMs: 2 });
  servers.push(server);
  return server;
}

const completions = (server: FixtureServer) => server.stats.requests.filter((r) => r.path === '/completion').length;

describe('slotbench eval on a pool of two servers', () => {
  it('finishes every problem on the other server when one dies mid-run, none counted as a fail because of it', async () => {
    // The dying server crashes two tokens into its third answer: that stream and any other it is sending are cut,
    // and it accepts nothing after.
    const dying = await start((request, index) => (index === 2 ? { ...answer(request), behaviour: 'crash', afterEvents: 2 } : answer(request)));
    const surviving = await start(answer);
    const cwd = mkdtempSync(join(tmpdir(), 'sb-evalpool-'));
    dirs.push(cwd);
    writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models: { pool: { urls: [dying.url, surviving.url] } } }));
    writeFileSync(join(cwd, 'ids.txt'), humanEval.map((r) => r.task_id).join('\n') + '\n');
    const out = join(cwd, 'run');
    const result = await execa('node', [BIN, 'eval', '--dataset', humanEvalPath(), '--ids', 'ids.txt', '--out', out, '--json'], { cwd, reject: false, env: { NO_COLOR: '1' } });
    expect(result.exitCode, result.stderr).toBe(0);

    const rows: Array<{ problem: string; verdict: string; judged: boolean; server: string; retries: Array<{ code: string }> }> = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((r) => r.problem).sort()).toEqual(humanEval.map((r) => r.task_id).sort());
    expect(rows.every((r) => r.judged && r.verdict === 'pass')).toBe(true);
    // Only answers the dying server finished before it crashed are its; the one or two the crash cut (both slots may
    // be streaming) were answered by the other, and nothing reached the dead server after.
    const fromDying = rows.filter((r) => r.server === dying.url);
    expect(fromDying.length).toBeGreaterThanOrEqual(1);
    const cut = completions(dying) - fromDying.length;
    expect(cut).toBeGreaterThanOrEqual(1);
    expect(cut).toBeLessThanOrEqual(2);
    expect(rows.filter((r) => r.server === surviving.url).length).toBe(PROBLEMS - fromDying.length);
    expect(completions(surviving)).toBe(PROBLEMS - fromDying.length);
    // A cut stream that had sent tokens is an error the eval retries (recorded); one cut before any moved silently.
    const retried = rows.filter((r) => r.retries.length > 0);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    expect(retried.length).toBeLessThanOrEqual(cut);
    for (const row of retried) expect(row).toMatchObject({ server: surviving.url, retries: [expect.objectContaining({ code: 'cut_off' })] });

    const summary = JSON.parse(result.stdout);
    const splits = Object.values(summary.splits) as Array<{ errorAttempts: number; retries: number }>;
    expect(splits.reduce((n, s) => n + s.errorAttempts, 0)).toBe(0);
    expect(splits.reduce((n, s) => n + s.retries, 0)).toBe(retried.length);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.model.servers).toEqual([dying.url, surviving.url].map((url) => ({
      url,
      healthy: true,
      slots: 2,
      status: 'ok',
      modelFile: '/opt/models/ggufs/stories260K.gguf',
      build: 'b9928-81ff7abe5',
    })));
    expect(manifest.fingerprint).toMatchObject({ 'model.slots': '4', 'model.build': 'b9928-81ff7abe5' });
  }, 120_000);
});
