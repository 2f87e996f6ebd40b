// Bench: generation and prompt speed of the embedded engine on the tiny model, against llama-server's.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ModelPort } from '../core/ports.js';
import type { ModelRequest } from '../core/sampling.js';
import { createEmbeddedModel } from '../model/embedded/index.js';
import { LlamaServerModel } from '../model/llama-server.js';
import { median, type BenchResult } from './types.js';

const MODEL_FILE = fileURLToPath(new URL('../../../shared/models/stories260K.gguf', import.meta.url));
/** Median over 128-token runs on this machine kind, from shared/fixtures/llama-server/README.md. */
const RECORDED_SERVER_TOKENS_PER_SECOND = 2450;
const TOKENS = 128;
const RUNS = 15;
const CONTEXT = 512;
const LONG_PROMPT = 'Once upon a time there was a little girl named Lily. '.repeat(30);

function generation(prompt: string, nPredict: number): ModelRequest {
  return { prompt, sampling: { temperature: 0, n_predict: nPredict, cache_prompt: false } };
}

/** Medians of the model's own timings (as llama-server reports them) and of end-to-end tokens/s through generate(). */
async function measure(
  model: ModelPort,
  runs: number,
  tokens: number,
  promptRuns = 5,
): Promise<{ generation: number; endToEnd: number; prompt: number; promptTokens: number }> {
  await model.generate(generation('Once upon a time', 16), { onToken: () => {} }); // warm-up
  const rates: number[] = [];
  const endToEnd: number[] = [];
  for (let i = 0; i < runs; i++) {
    let count = 0;
    const started = performance.now();
    const completion = await model.generate(generation('Once upon a time', tokens), { onToken: () => count++ });
    endToEnd.push((count / (performance.now() - started)) * 1000);
    rates.push(completion.timings?.predicted_per_second ?? 0);
  }
  const prompt: number[] = [];
  let promptTokens = 0;
  for (let i = 0; i < promptRuns; i++) {
    const completion = await model.generate(generation(LONG_PROMPT, 1), { onToken: () => {} });
    prompt.push(completion.timings?.prompt_per_second ?? 0);
    promptTokens = completion.timings?.prompt_n ?? 0;
  }
  return { generation: median(rates), endToEnd: median(endToEnd), prompt: median(prompt), promptTokens };
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The same measurement against a llama-server on PATH (same model, same single thread, one slot), if there is one. */
async function serverRate(): Promise<number | undefined> {
  if (spawnSync('llama-server', ['--version']).error) return undefined;
  const port = await freePort();
  const child = spawn('llama-server', ['-m', MODEL_FILE, '--host', '127.0.0.1', '--port', String(port), '-t', '1', '-np', '1', '-c', String(CONTEXT)], {
    stdio: 'ignore',
  });
  const model = new LlamaServerModel({ name: 'bench-server', url: `http://127.0.0.1:${port}` });
  try {
    for (let i = 0; i < 100 && !(await model.info()).healthy; i++) await new Promise((r) => setTimeout(r, 100));
    return (await measure(model, RUNS, TOKENS)).generation;
  } finally {
    await model.close();
    child.kill();
  }
}

export async function benchEmbeddedSpeed(): Promise<BenchResult> {
  if (!existsSync(MODEL_FILE)) throw new Error(`bench: tiny model missing at ${MODEL_FILE}`);
  const model = createEmbeddedModel('bench', { path: MODEL_FILE, contextSize: CONTEXT });
  const loadStarted = performance.now();
  await model.info();
  const loadMs = performance.now() - loadStarted;
  const embedded = await measure(model, RUNS, TOKENS);
  await model.close?.();

  // The default is one thread; two are measured to show why (few, short runs: they are slow here).
  // The binding is loaded by now, so this load is the model and context alone.
  const twoThreads = createEmbeddedModel('bench-2t', { path: MODEL_FILE, contextSize: CONTEXT, threads: 2 });
  const warmStarted = performance.now();
  await twoThreads.info();
  const warmLoadMs = performance.now() - warmStarted;
  const slow = await measure(twoThreads, 3, 16, 2);
  await twoThreads.close?.();

  const server = await serverRate();
  const reference = server ?? RECORDED_SERVER_TOKENS_PER_SECOND;
  const ratio = embedded.generation / reference;
  return {
    name: 'embedded-speed',
    figures: {
      tokensPerSecond: Math.round(embedded.generation),
      endToEndTokensPerSecond: Math.round(embedded.endToEnd),
      promptTokensPerSecond: Math.round(embedded.prompt),
      loadMs: Math.round(loadMs),
      modelLoadMs: Math.round(warmLoadMs),
      tokensPerSecondTwoThreads: Math.round(slow.generation),
      promptTokensPerSecondTwoThreads: Math.round(slow.prompt),
      llamaServer: server === undefined ? `llama-server not found; recorded ${RECORDED_SERVER_TOKENS_PER_SECOND} tokens/s` : Math.round(server),
      ratioToServer: Number(ratio.toFixed(2)),
      // The machine is shared: each token needs four cross-thread wake-ups, which load slows far more than compute.
      loadAverage: Number(loadavg()[0].toFixed(1)),
      mode: `stories260K, ${TOKENS}-token runs at temperature 0, median of ${RUNS}, 1 thread; prompt rate over ${embedded.promptTokens} tokens; loadMs includes node-llama-cpp's binary self-test`,
    },
    target: `≥ 90 % of llama-server's tokens/s (${Math.round(0.9 * reference).toLocaleString('en-US')})`,
    ok: ratio >= 0.9,
  };
}
