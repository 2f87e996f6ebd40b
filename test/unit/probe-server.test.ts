import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';
import { implementFlow } from '../../src/flows/implement.js';
import { createRegistry } from '../../src/model/registry.js';
import { splitTokens } from '../../src/model/scripted.js';
import { probeParallelism, type ProbePlan } from '../../src/probe/plan.js';
import { probeResults } from '../../src/probe/result.js';
import { ProbeRunner } from '../../src/probe/runner.js';
import { initialRunState, reduce } from '../../src/state/run-state.js';
import { loadHumanEval, realTools } from '../helpers/engine-harness.js';
import { loadCapture, sseEvents, startFixtureServer, toSse, type Capture, type FixtureServer, type Route } from '../helpers/fixture-server.js';

const BODY = [
  '    for idx, elem in enumerate(numbers):',
  '        for idx2, elem2 in enumerate(numbers):',
  '            if idx != idx2:',
  '                distance = abs(elem - elem2)',
  '                if distance < threshold:',
  '                    return True',
  '    return False',
].join('\n');
const SORTED = ['    ordered = sorted(numbers)', '    for i in range(len(ordered) - 1):', '        if ordered[i + 1] - ordered[i] < threshold:', '            return True', '    return False'].join('\n');

/** A real /completion stream capture with its tokens replaced by `text`, each with made-up top alternatives. */
function codeCapture(text: string, top?: (piece: string, i: number) => Array<{ token: string; logprob: number }>): Capture {
  const captured = loadCapture('completion-stream');
  const events = sseEvents(captured.body) as Array<Record<string, unknown>>;
  const [template, final] = [events[0], events[events.length - 1]];
  const chunks = splitTokens(text).map((content, i) => ({
    ...template,
    content,
    tokens: [i + 1],
    tokens_predicted: i + 1,
    ...(top ? { completion_probabilities: [{ id: i + 1, token: content, logprob: top(content, i)[0].logprob, top_logprobs: top(content, i) }] } : {}),
  }));
  return { ...captured, body: toSse([...chunks, { ...final, stop_type: 'word', stopping_word: '\n```' }]) };
}

const dirs: string[] = [];
const servers: FixtureServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** A fixture llama-server (2 slots per its /props) and a registry from a real config file pointing at it. */
async function setUp(completion: Route, modelEntry: Record<string, unknown> = {}, delayMs = 1) {
  const server = await startFixtureServer({ routes: { 'GET /health': 'health', 'GET /props': 'props', 'POST /completion': completion }, delayMs, maxChunk: 200 });
  servers.push(server);
  const dir = mkdtempSync(join(tmpdir(), 'slotbench-probe-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'slotbench.config.json'), JSON.stringify({ models: { fx: { url: server.url, ...modelEntry } } }));
  const config = await loadConfig(dir);
  const models = createRegistry(config);
  const model = models.get('fx');
  const parallel = probeParallelism(model, await model.info(), config.models.fx.maxParallel);
  return { server, models, parallel };
}

async function run(setup: Awaited<ReturnType<typeof setUp>>, change: Partial<ProbePlan> = {}) {
  const { gate, parser } = await realTools();
  const plan: ProbePlan = {
    sessionId: 'probe-server-test',
    slotbenchVersion: '0.0.0-test',
    flow: implementFlow,
    task: await loadHumanEval(),
    slot: 'implement',
    model: 'fx',
    sampling: { ...DEFAULT_SAMPLING },
    temperatures: [0.8],
    n: 6,
    seedBase: 7,
    parallel: setup.parallel,
    gateTimeoutMs: 5000,
    ...change,
  };
  const runner = new ProbeRunner({ models: setup.models, gate, parser }, plan);
  const state = initialRunState();
  runner.on((e) => reduce(state, e));
  return { runner, state, parser };
}

describe('probe against a llama-server replay', () => {
  it('runs at most maxParallel (2, the server has 2 slots) samples at once and sends each its seed', async () => {
    const setup = await setUp({ capture: codeCapture(BODY) }, { maxParallel: 2 });
    expect(setup.parallel).toBe(2);
    const { runner, state, parser } = await run(setup);
    await runner.run();
    const [result] = probeResults(state, parser);
    expect(result.counts.pass).toBe(6);
    expect(setup.server.stats.maxConcurrent).toBe(2);
    const sent = setup.server.stats.requests.filter((r) => r.path === '/completion').map((r) => r.json as { seed: number; temperature: number });
    expect(sent.map((r) => r.seed).sort((a, b) => a - b)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(sent.every((r) => r.temperature === 0.8)).toBe(true);
  });

  it('takes the slot count from /props when the config does not say, and never exceeds it', async () => {
    expect((await setUp({ capture: codeCapture(BODY) })).parallel).toBe(2);
    expect((await setUp({ capture: codeCapture(BODY) }, { maxParallel: 8 })).parallel).toBe(2);
    expect((await setUp({ capture: codeCapture(BODY) }, { maxParallel: 1 })).parallel).toBe(1);
  });

  it('keeps finished samples and marks the rest not run when the server dies mid-probe', async () => {
    const setup = await setUp({ capture: codeCapture(BODY) }, { maxParallel: 2 }, 4);
    const { runner, state, parser } = await run(setup, { n: 8 });
    let finished = 0;
    runner.on((e) => {
      if (e.type === 'flow_finished' && ++finished === 2) void setup.server.close();
    });
    await runner.run();
    const [result] = probeResults(state, parser);
    expect(runner.stopReason).toMatch(/^model fx stopped answering: no llama-server at http:\/\/127\.0\.0\.1:\d+/);
    expect(result.counts.pass).toBeGreaterThanOrEqual(2);
    expect(result.counts.not_run).toBeGreaterThanOrEqual(1);
    expect(result.counts.pass + result.counts.error + result.counts.not_run).toBe(8);
    expect(result.samples.filter((s) => s.outcome === 'not_run').every((s) => s.reason.startsWith('not run: model fx stopped answering'))).toBe(true);
    expect(result.passAtK[0].estimate).toBeCloseTo(result.counts.pass / result.judged, 12);
  });

  it('shows where samples diverge and the alternatives the model weighed there (n_probs)', async () => {
    // Both answers share `    ` then part ways: "for" in the first, "ordered" in the second.
    const top = (chosen: string) => (piece: string) =>
      piece === 'for' || piece === 'ordered'
        ? [
            { token: chosen, logprob: Math.log(chosen === 'for' ? 0.6 : 0.3) },
            { token: chosen === 'for' ? 'ordered' : 'for', logprob: Math.log(chosen === 'for' ? 0.3 : 0.6) },
            { token: 'return', logprob: Math.log(0.1) },
          ]
        : [{ token: piece, logprob: Math.log(0.99) }];
    const setup = await setUp([{ capture: codeCapture(BODY, top('for')) }, { capture: codeCapture(SORTED, top('ordered')) }], { maxParallel: 1 });
    const { runner, state, parser } = await run(setup, { n: 3, sampling: { ...DEFAULT_SAMPLING, n_probs: 3 } });
    await runner.run();
    const [result] = probeResults(state, parser);
    expect(result.counts.pass).toBe(3);
    expect(result.groups).toHaveLength(2);
    expect(result.divergence).toMatchObject({ position: 1, prefix: '    ' });
    expect(result.divergence!.chosen).toEqual([
      { token: 'ordered', count: 2 },
      { token: 'for', count: 1 },
    ]);
    expect(result.divergence!.alternatives.map((a) => a.token)).toEqual(['for', 'ordered', 'return']);
    expect(result.divergence!.alternatives[0].probability).toBeCloseTo(0.6, 9);
    const sent = setup.server.stats.requests.filter((r) => r.path === '/completion').map((r) => r.json as { n_probs: number });
    expect(sent.every((r) => r.n_probs === 3)).toBe(true);
  });
});
