// Bench: the embedded engine against llama-server on a model of realistic shape, each at its best thread count.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelPort } from '../core/ports.js';
import type { ModelRequest } from '../core/sampling.js';
import { implementPrompt } from '../flows/prompts.js';
import { createEmbeddedModel } from '../model/embedded/index.js';
import { threadCandidates } from '../model/embedded/thread-choice.js';
import { findLlamaServer, startServer, type BenchServer } from './bench-server.js';
import { median, type BenchResult } from './types.js';

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const TOKENS = 96;
const CONTEXT = 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 7;
const TARGET = 0.9;

/** One engine at one thread count. */
interface Contender {
  engine: 'embedded' | 'llama-server';
  threads: number;
  model: ModelPort;
  /** Tokens/s as the client sees the stream: tokens after the first ÷ time from first to last. */
  rates: number[];
  promptRates: number[];
  tokenCounts: number[];
}

/** `OUT.gguf`: ~180M parameters, Q8_0, random seeded weights; every token costs what a real model of that shape costs. */
function makeSyntheticModel(dir: string): string {
  const file = join(dir, 'synthetic.gguf');
  const made = spawnSync(process.execPath, [join(SHARED, 'tools', 'make-synthetic-gguf.mjs'), file], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`bench: make-synthetic-gguf.mjs failed: ${made.stderr.trim().split('\n').at(-1)}`);
  return file;
}

/** The implement slot's prompt for HumanEval/0, as the harness sends it (351 tokens with the synthetic tokenizer). */
function humanEvalPrompt(): string {
  const first = readFileSync(join(SHARED, 'datasets', 'HumanEval.jsonl'), 'utf8').split('\n')[0];
  return implementPrompt((JSON.parse(first) as { prompt: string }).prompt);
}

async function runOnce(contender: Contender, request: ModelRequest): Promise<void> {
  const stamps: number[] = [];
  const completion = await contender.model.generate(request, { onToken: () => stamps.push(performance.now()) });
  const span = stamps.length > 1 ? stamps[stamps.length - 1] - stamps[0] : 0;
  contender.rates.push(span > 0 ? ((stamps.length - 1) / span) * 1000 : 0);
  contender.promptRates.push(completion.timings?.prompt_per_second ?? 0);
  contender.tokenCounts.push(completion.tokenCount);
}

function summary(c: Contender): string {
  const sorted = [...c.rates].sort((a, b) => a - b);
  const tokens = [...new Set(c.tokenCounts)].join('/');
  return `${median(c.rates).toFixed(1)} tok/s median (${sorted[0].toFixed(1)}–${sorted.at(-1)!.toFixed(1)}, ${c.rates.length} runs of ${tokens} tokens); prompt ${Math.round(median(c.promptRates))} tok/s`;
}

function best(contenders: Contender[], engine: Contender['engine']): Contender | undefined {
  const own = contenders.filter((c) => c.engine === engine);
  return own.sort((a, b) => median(b.rates) - median(a.rates))[0];
}

export async function benchEmbeddedSpeed(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'slotbench-bench-'));
  const servers: BenchServer[] = [];
  const contenders: Contender[] = [];
  const loadBefore = loadavg()[0];
  try {
    const modelFile = makeSyntheticModel(dir);
    const request: ModelRequest = { prompt: humanEvalPrompt(), sampling: { temperature: 0, n_predict: TOKENS, cache_prompt: false } };
    const candidates = threadCandidates(availableParallelism());

    // What the default (threads: "auto") picks on this model and machine, measured the way every load measures it.
    const auto = createEmbeddedModel('bench-auto', { path: modelFile, contextSize: CONTEXT });
    const autoChoice = (await auto.info()).build ?? '';
    await auto.close?.();

    const serverBinary = await findLlamaServer();
    for (const threads of candidates) {
      const embedded = createEmbeddedModel(`bench-${threads}t`, { path: modelFile, contextSize: CONTEXT, threads });
      contenders.push({ engine: 'embedded', threads, model: embedded, rates: [], promptRates: [], tokenCounts: [] });
      if (serverBinary !== undefined) {
        // Flash attention off on both sides: the embedded engine runs without it (see engine.ts).
        const server = await startServer(serverBinary, modelFile, threads, CONTEXT, ['-fa', 'off']);
        servers.push(server);
        contenders.push({ engine: 'llama-server', threads, model: server.model, rates: [], promptRates: [], tokenCounts: [] });
      }
    }
    const warmUp: ModelRequest = { ...request, sampling: { ...request.sampling, n_predict: 8 } };
    for (const contender of contenders) await contender.model.generate(warmUp, { onToken: () => {} });
    // Interleaved, alternating direction each round, so drift in the machine's load falls on every contender alike.
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? contenders : [...contenders].reverse();
      for (const contender of order) await runOnce(contender, request);
      const latest = contenders.map((c) => `${c.engine} ${c.threads}t ${c.rates.at(-1)!.toFixed(1)}`).join(', ');
      process.stderr.write(`embedded-speed round ${round + 1}/${ROUNDS} (load ${loadavg()[0].toFixed(1)}): ${latest} tok/s\n`);
    }

    const figures: Record<string, string | number> = {};
    for (const c of contenders) figures[`${c.engine} ${c.threads}t`] = summary(c);
    const embedded = best(contenders, 'embedded')!;
    const server = best(contenders, 'llama-server');
    figures['embedded auto'] = autoChoice.replace(/^node-llama-cpp \S+ /, '');
    const ratio = server ? median(embedded.rates) / median(server.rates) : undefined;
    figures.ratio = ratio === undefined
      ? 'not measured: no llama-server (set LLAMA_SERVER=path or put llama-server on PATH)'
      : `${ratio.toFixed(2)} (embedded at ${embedded.threads}t ÷ llama-server at ${server!.threads}t, medians)`;
    figures.loadAverage = `${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (${availableParallelism()} cores)`;
    figures.mode = `synthetic 180M-parameter Q8_0 llama, HumanEval/0 implement prompt, ${TOKENS} tokens at T=0, ${ROUNDS} interleaved rounds, client-side stream rate`;
    return {
      name: 'embedded-speed',
      figures,
      target: `embedded ≥ ${TARGET} × llama-server, each at its best thread count`,
      ok: ratio !== undefined && ratio >= TARGET,
    };
  } finally {
    for (const contender of contenders) if (contender.engine === 'embedded') await contender.model.close?.();
    for (const server of servers) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
