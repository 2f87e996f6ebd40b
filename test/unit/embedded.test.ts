// The embedded engine on a real tiny GGUF model: loading, streaming, sampling, stops, limits, abort, errors, queueing.

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUserError, type UserError } from '../../src/core/errors.js';
import type { Completion, ModelPort, StreamedToken } from '../../src/core/ports.js';
import { DEFAULT_SAMPLING, type ModelRequest, type Sampling } from '../../src/core/sampling.js';
import { createEmbeddedModel } from '../../src/model/embedded/index.js';
import { modelHealth } from '../../src/ui/model-health.js';
import { scratchDir } from '../helpers/scratch.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MODEL_FILE = resolve(ROOT, '../shared/models/stories260K.gguf');
const PROMPT = 'Once upon a time';

function request(sampling: Partial<Sampling>, prompt = PROMPT): ModelRequest {
  return { prompt, sampling: { ...DEFAULT_SAMPLING, n_predict: 24, ...sampling } };
}

async function run(model: ModelPort, req: ModelRequest, signal?: AbortSignal): Promise<Completion & { tokens: StreamedToken[] }> {
  const tokens: StreamedToken[] = [];
  const completion = await model.generate(req, { signal, onToken: (token) => tokens.push(token) });
  return { ...completion, tokens };
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isUserError(error)) throw new Error(`expected a UserError, got ${String(error)}`);
  return error;
}

describe('embedded engine (stories260K.gguf)', () => {
  let model: ModelPort;
  const progress: string[] = [];

  beforeAll(() => {
    if (!existsSync(MODEL_FILE)) {
      throw new Error(`tiny test model missing: expected ${MODEL_FILE} (shared/models/stories260K.gguf beside the project)`);
    }
    model = createEmbeddedModel('tiny', { path: MODEL_FILE, contextSize: 512, maxParallel: 2, onProgress: (m) => progress.push(m) });
  });

  afterAll(async () => {
    await model.close?.();
  });

  // Loading includes node-llama-cpp's binary self-test and the thread measurement: seconds, more on a loaded machine.
  it('loads lazily, reports progress, info and a fingerprint', { timeout: 120_000 }, async () => {
    expect(model.identity).toEqual({ name: 'tiny', kind: 'embedded', location: MODEL_FILE });
    const info = await model.info();
    expect(info).toMatchObject({ healthy: true, status: 'ready', modelFile: MODEL_FILE, nCtx: 512, totalSlots: 2, hasChatTemplate: false });
    expect(info.build).toMatch(/^node-llama-cpp 3\.21\.1 cpu, [12] threads? \(measured: 1 → [\d.]+(, 2 → [\d.]+)? tokens\/s\)$/);
    expect(info.backend).toBe('cpu');
    expect(model.identity.fingerprint).toBe('stories260K.gguf sha256:270cba1bd510 / node-llama-cpp 3.21.1 cpu');
    expect(await modelHealth(model)).toEqual({ healthy: true, status: 'stories260K.gguf on cpu' });
    expect(progress[0]).toBe('loading stories260K.gguf 0%');
    expect(progress.at(-1)).toBe('loading stories260K.gguf 100%');
  });

  it('is deterministic at temperature 0 and matches llama-server on the same model', async () => {
    const first = await run(model, request({ temperature: 0 }));
    const second = await run(model, request({ temperature: 0 }));
    // Captured from llama-server b9928 (shared/fixtures/llama-server/det-temp0-a.json).
    expect(first.text).toBe(', there was a little girl named Lily. She loved to play outside in the p');
    expect(second.text).toBe(first.text);
    expect(second.tokens.map((t) => t.id)).toEqual(first.tokens.map((t) => t.id));
    expect(first.tokens.map((t) => t.text).join('')).toBe(first.text);
    expect(first).toMatchObject({ tokenCount: 24, stopType: 'limit' });
  });

  it('reproduces a seed at temperature 0.8 and differs across seeds', async () => {
    const a = await run(model, request({ temperature: 0.8, seed: 1 }));
    const b = await run(model, request({ temperature: 0.8, seed: 1 }));
    const c = await run(model, request({ temperature: 0.8, seed: 2 }));
    expect(b.text).toBe(a.text);
    expect(c.text).not.toBe(a.text);
    expect(a.generationSettings).toMatchObject({ seed: 1, temperature: 0.8, top_k: 40, top_p: 0.95, min_p: 0.05 });
  });

  it('stops on a stop string and cuts it from the text, like llama-server', async () => {
    const result = await run(model, request({ temperature: 0, n_predict: 32, stop: ['Lily'] }));
    expect(result).toMatchObject({ text: ', there was a little girl named ', stopType: 'word', stoppingWord: 'Lily', tokenCount: 10 });
    expect(result.tokens.map((t) => t.text).join('')).toBe(result.text);
  });

  it('honours n_predict and fills timings', async () => {
    const result = await run(model, request({ temperature: 0, n_predict: 5, cache_prompt: false }));
    expect(result.tokenCount).toBe(5);
    expect(result.stopType).toBe('limit');
    expect(result.tokensCached).toBe(9);
    const t = result.timings!;
    expect(t).toMatchObject({ prompt_n: 5, predicted_n: 5, cache_n: 0 });
    for (const value of [t.prompt_ms, t.prompt_per_second, t.predicted_ms, t.predicted_per_second]) expect(value).toBeGreaterThan(0);
  });

  it('reuses the cached prompt prefix when cache_prompt is on', async () => {
    await run(model, request({ temperature: 0, n_predict: 4, id_slot: 0 }));
    const again = await run(model, request({ temperature: 0, n_predict: 4, id_slot: 0 }));
    expect(again.idSlot).toBe(0);
    expect(again.timings).toMatchObject({ prompt_n: 1, cache_n: 4 });
  });

  it('stops at the end of the context with a limit stop when n_predict is larger', async () => {
    const result = await run(model, request({ temperature: 0, n_predict: 100_000 }));
    expect(result).toMatchObject({ stopType: 'limit', tokenCount: 512 - 5 });
  });

  it('rejects a prompt longer than the context in llama-server words', async () => {
    const error = await failure(run(model, request({}, 'Once upon a time there was a little girl named Lily. '.repeat(60))));
    expect(error.code).toBe('exceed_context_size_error');
    expect(error.message).toMatch(/^request \(842 tokens\) exceeds the available context size \(512 tokens\)/);
  });

  it('aborts within a few tokens, rejecting with code aborted', async () => {
    const controller = new AbortController();
    let seen = 0;
    const generation = model.generate(request({ temperature: 0, n_predict: 400 }), {
      signal: controller.signal,
      onToken: () => {
        seen++;
        if (seen === 3) controller.abort();
      },
    });
    const error = await failure(generation);
    expect(error.code).toBe('aborted');
    expect(seen).toBeLessThanOrEqual(5);
    // The sequence is free again afterwards.
    expect((await run(model, request({ temperature: 0, n_predict: 2 }))).tokenCount).toBe(2);
  });

  it('returns token probabilities when n_probs is asked (llama-server values at temperature 0)', async () => {
    const result = await run(model, request({ temperature: 0, n_predict: 4, n_probs: 3 }));
    expect(result.text).toBe(', there was a');
    const [first, second] = result.tokens;
    // shared/fixtures/llama-server/completion-nprobs.json; the builds differ in the last digits.
    expect(first.logprob).toBeCloseTo(-0.03178, 2);
    expect(first.top?.map((t) => t.token)).toEqual([',', ' there', ' in']);
    expect(first.top?.[1].logprob).toBeCloseTo(-3.5473, 2);
    expect(second.top?.map((t) => t.token)).toEqual([' there', ' in', ' a']);
  });

  it('constrains output with a GBNF grammar', async () => {
    const result = await run(model, request({ temperature: 0.8, seed: 3, grammar: 'root ::= " yes" | " no"' }));
    expect([' yes', ' no']).toContain(result.text);
    expect(result.stopType).toBe('eos');
    const error = await failure(run(model, request({ grammar: 'root ::= (' })));
    expect(error.code).toBe('bad_grammar');
  });

  it('serves the chat API through a ChatML fallback', async () => {
    const chat = createEmbeddedModel('tiny-chat', { path: MODEL_FILE, contextSize: 512, maxParallel: 2, api: 'chat' });
    const result = await run(chat, { prompt: 'Tell me a story.', sampling: { ...DEFAULT_SAMPLING, n_predict: 8 } });
    expect(result.tokenCount).toBeGreaterThan(0);
    expect(result.timings?.prompt_n).toBeGreaterThan(8);
    await chat.close?.();
  });

  it('queues requests beyond maxParallel and serves them on free sequences', async () => {
    let active = 0;
    let most = 0;
    const tracked = async (): Promise<Completion> => {
      let started = false;
      const completion = await model.generate(request({ temperature: 0, n_predict: 40, cache_prompt: false }), {
        onToken: () => {
          if (!started) {
            started = true;
            active++;
            most = Math.max(most, active);
          }
        },
      });
      active--;
      return completion;
    };
    const results = await Promise.all([tracked(), tracked(), tracked(), tracked()]);
    expect(most).toBe(2);
    expect(new Set(results.map((r) => r.idSlot))).toEqual(new Set([0, 1]));
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
  });

  it('explains a missing file and a file that is not GGUF in one line', async () => {
    const missing = createEmbeddedModel('ghost', { path: '/no/such/model.gguf' });
    const error = await failure(run(missing, request({})));
    expect(error.code).toBe('model_not_found');
    expect(error.message).toBe(
      'model file /no/such/model.gguf not found: pass a GGUF path with --model-file or models.ghost.path in slotbench.config.json',
    );
    expect(await missing.info()).toMatchObject({ healthy: false, status: error.message });

    const junk = join(scratchDir('slotbench-embedded-'), 'junk.gguf');
    await writeFile(junk, 'this is not a model\n'.repeat(10));
    const notGguf = await failure(run(createEmbeddedModel('junk', { path: junk }), request({})));
    expect(notGguf.code).toBe('not_gguf');
    expect(notGguf.message).not.toContain('\n');
    expect(notGguf.message).toContain('is not a GGUF file');
  });
});
