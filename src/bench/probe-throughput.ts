// Bench: probe samples/min against a server of P slots (P parallel ÷ 1), and harness time per sample without model and gate.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SlotbenchEvent } from '../core/events.js';
import type { CodeParser, ModelPort, ModelRegistry } from '../core/ports.js';
import { DEFAULT_SAMPLING } from '../core/sampling.js';
import { implementFlow } from '../flows/implement.js';
import { LlamaServerModel } from '../model/llama-server.js';
import { ScriptedModel, splitTokens } from '../model/scripted.js';
import type { ProbePlan } from '../probe/plan.js';
import { ProbeRunner } from '../probe/runner.js';
import { openRecorder } from '../session/recorder.js';
import { loadPythonParser } from '../tools/python-parser.js';
import { addTask as task, instantGateForBenchOnly } from './bench-doubles.js';
import { median, type BenchResult } from './types.js';

const CAPTURE = new URL('../../../shared/fixtures/llama-server/completion-stream.sse', import.meta.url);
const SLOTS = [2, 4];
const CHUNK_DELAY_MS = 8;
const ROUNDS = 4;
const OVERHEAD_SAMPLES = 200;
const ANSWER = '    result = a + b\n    return result';


/** The real capture's framing with the answer's tokens, sent one event per chunk with a pause after each. */
function answerEvents(): string[] {
  const captured = readFileSync(CAPTURE, 'utf8').split('\n\n').filter(Boolean).map((e) => JSON.parse(e.slice('data: '.length)));
  const [template, final] = [captured[0], captured[captured.length - 1]];
  const tokens = splitTokens(ANSWER).map((content, i) => ({ ...template, content, tokens: [i + 1], tokens_predicted: i + 1 }));
  return [...tokens, { ...final, stop_type: 'word', stopping_word: '\n```' }].map((e) => `data: ${JSON.stringify(e)}\n\n`);
}

/** A stand-in llama-server with `slots` slots: requests beyond them wait, as on the real server. */
async function slotServer(slots: number): Promise<{ url: string; close: () => Promise<void> }> {
  const events = answerEvents();
  let busy = 0;
  const waiting: Array<() => void> = [];
  const stream = async (res: ServerResponse) => {
    if (busy >= slots) await new Promise<void>((go) => waiting.push(go));
    busy++;
    try {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const event of events) {
        res.write(event);
        await sleep(CHUNK_DELAY_MS);
      }
      res.end();
    } finally {
      busy--;
      waiting.shift()?.();
    }
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/completion') return void stream(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/props' ? { total_slots: slots } : { status: 'ok' }));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(() => done())) };
}

function plan(parallel: number, n: number): ProbePlan {
  return {
    sessionId: 'bench-probe',
    slotbenchVersion: 'bench',
    flow: implementFlow,
    task,
    slot: 'implement',
    model: 'bench',
    sampling: { ...DEFAULT_SAMPLING },
    temperatures: [0.8],
    n,
    seedBase: 1,
    parallel,
    gateTimeoutMs: 1000,
  };
}

/** Run a probe; returns its events. */
async function probe(model: ModelPort, parser: CodeParser, parallel: number, n: number, record?: string): Promise<SlotbenchEvent[]> {
  const models: ModelRegistry = { get: () => model, names: () => ['bench'] };
  const runner = new ProbeRunner({ models, gate: instantGateForBenchOnly, parser }, plan(parallel, n));
  const events: SlotbenchEvent[] = [];
  runner.on((e) => events.push(e));
  const recorder = record ? openRecorder(record, join(record, '..')) : undefined;
  if (recorder) runner.on(recorder.onEvent);
  await runner.run();
  await recorder?.close();
  const passed = events.filter((e) => e.type === 'test_run' && e.verdict === 'pass').length;
  if (passed !== n) throw new Error(`bench probe: ${passed}/${n} samples passed; the stand-ins should always pass`);
  return events;
}

async function samplesPerMinute(slots: number, parallel: number, parser: CodeParser): Promise<number> {
  const server = await slotServer(slots);
  const model = new LlamaServerModel({ name: 'bench', url: server.url, maxParallel: slots });
  try {
    const n = slots * ROUNDS;
    const started = performance.now();
    await probe(model, parser, parallel, n);
    return (n * 60_000) / (performance.now() - started);
  } finally {
    await model.close();
    await server.close();
  }
}

/** Per sample, from its branch event to its end, with a model and a gate that answer at once; recorded to a temp file. */
async function harnessMsPerSample(parser: CodeParser): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'slotbench-bench-'));
  try {
    const model = new ScriptedModel({ answers: [{ slot: 'implement', text: `${ANSWER}\n\`\`\`\n` }] });
    const events = await probe(model, parser, 1, OVERHEAD_SAMPLES, join(dir, 'probe.jsonl'));
    const began = new Map<number, number>();
    const took: number[] = [];
    for (const e of events) {
      if (e.type === 'branch') began.set(e.branchId, e.t);
      else if (e.type === 'flow_finished') took.push(e.t - began.get(e.branchId)!);
    }
    return took;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchProbeThroughput(): Promise<BenchResult> {
  const parser = await loadPythonParser();
  await harnessMsPerSample(parser); // warm-up: JIT and parser
  const ms = median(await harnessMsPerSample(parser));
  const figures: BenchResult['figures'] = {};
  let ok = true;
  for (const slots of SLOTS) {
    const one = await samplesPerMinute(slots, 1, parser);
    const all = await samplesPerMinute(slots, slots, parser);
    const speedup = all / one;
    figures[`P=${slots}: samples/min at 1`] = Math.round(one);
    figures[`P=${slots}: samples/min at ${slots}`] = Math.round(all);
    figures[`P=${slots}: speed-up`] = Number(speedup.toFixed(2));
    ok &&= speedup >= 0.8 * slots;
  }
  figures['harness ms per sample (median)'] = Number(ms.toFixed(3));
  figures['harness samples timed'] = OVERHEAD_SAMPLES;
  return {
    name: 'probe throughput (server of P slots is the bottleneck) and harness time per sample',
    figures,
    target: 'speed-up at P parallel ≥ 0.8·P; harness median < 5 ms per sample (model and gate excluded)',
    ok: ok && ms < 5,
  };
}
