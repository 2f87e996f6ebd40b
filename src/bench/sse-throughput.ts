// Bench: tokens/s of SSE parsing plus the client's chunk→token dispatch, over a real capture replayed ≥100k tokens.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { CompletionDecoder } from '../model/llama-server/wire.js';
import { LlamaServerModel } from '../model/llama-server.js';
import { SseParser } from '../model/sse.js';

const CAPTURE = new URL('../../../shared/fixtures/llama-server/completion-stream.sse', import.meta.url);
const MIN_TOKENS = 100_000;
const TARGET_TOKENS_PER_SECOND = 200_000;
const MAX_CHUNK = 512;
const RUNS = 5;

/** Byte chunks of 1..MAX_CHUNK (fixed seed), so events and lines straddle chunk boundaries as on a real socket. */
function split(body: Buffer): Buffer[] {
  let state = 12345;
  const chunks: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    const size = 1 + (state % MAX_CHUNK);
    chunks.push(body.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** In memory: the parser and the /completion decoder, one decoder per replayed generation. Returns tokens and ms. */
function parseAndDispatch(chunks: Buffer[], source: string): { tokens: number; textLength: number; ms: number } {
  let tokens = 0;
  let textLength = 0;
  const onToken = (token: { text: string }) => {
    tokens += 1;
    textLength += token.text.length;
  };
  const started = performance.now();
  const parser = new SseParser(source);
  let decoder = new CompletionDecoder(onToken, source, source);
  for (const chunk of chunks) {
    for (const payload of parser.push(chunk)) {
      if (decoder.accept(payload)) {
        if (decoder.result() === undefined) throw new Error('bench: a replay ended without a completion');
        decoder = new CompletionDecoder(onToken, source, source);
      }
    }
  }
  return { tokens, textLength, ms: performance.now() - started };
}

/** Through loopback HTTP at full speed: one long generation (all token events, one final chunk) via generate(). */
async function loopback(capture: Buffer, replays: number): Promise<{ tokens: number; ms: number }> {
  const events = capture.toString('utf8').split('\n\n').filter((event) => event !== '');
  const tokenEvents = Buffer.from(events.slice(0, -1).map((event) => `${event}\n\n`).join('').repeat(replays));
  const final = Buffer.from(`${events[events.length - 1]}\n\n`);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(tokenEvents);
    res.end(final);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const model = new LlamaServerModel({ name: 'bench', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  try {
    let tokens = 0;
    const started = performance.now();
    await model.generate(
      { prompt: 'bench', sampling: { temperature: 0, n_predict: MIN_TOKENS, cache_prompt: true } },
      { onToken: () => (tokens += 1) },
    );
    return { tokens, ms: performance.now() - started };
  } finally {
    await model.close();
    await new Promise((closed) => server.close(closed));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function benchSseThroughput(): Promise<{
  name: string;
  figures: Record<string, number | string>;
  target: string;
  ok: boolean;
}> {
  const capture = await readFile(fileURLToPath(CAPTURE));
  const source = 'http://127.0.0.1:8080/completion';
  const perReplay = parseAndDispatch([capture], source).tokens;
  const replays = Math.ceil(MIN_TOKENS / perReplay);
  const body = Buffer.concat(Array.from({ length: replays }, () => capture));
  const chunks = split(body);
  parseAndDispatch(chunks, source); // warm-up, so the JIT has compiled the hot path
  const runs = Array.from({ length: RUNS }, () => parseAndDispatch(chunks, source));
  const tokens = runs[0].tokens;
  const ms = median(runs.map((run) => run.ms));
  const tokensPerSecond = Math.round(tokens / (ms / 1000));
  const wire = await loopback(capture, replays);
  return {
    name: 'sse-throughput',
    figures: {
      tokens,
      bytes: body.length,
      chunks: chunks.length,
      medianMs: Number(ms.toFixed(1)),
      tokensPerSecond,
      megabytesPerSecond: Number((body.length / 1e6 / (ms / 1000)).toFixed(1)),
      loopbackTokens: wire.tokens,
      loopbackTokensPerSecond: Math.round(wire.tokens / (wire.ms / 1000)),
      mode: `in memory, ${RUNS} runs (median), chunks of 1..${MAX_CHUNK} bytes; loopback = generate() over local HTTP`,
    },
    target: `≥ ${TARGET_TOKENS_PER_SECOND.toLocaleString('en-US')} tokens/s parse+dispatch (in memory)`,
    ok: tokensPerSecond >= TARGET_TOKENS_PER_SECOND,
  };
}
