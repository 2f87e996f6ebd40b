// LlamaServerModel streaming against replayed captures: tokens, probabilities, stop words, chat, request bodies.

import { afterEach, describe, expect, it } from 'vitest';
import type { Completion, StreamedToken } from '../../src/core/ports.js';
import type { ModelRequest, Sampling } from '../../src/core/sampling.js';
import { LlamaServerModel } from '../../src/model/llama-server.js';
import {
  loadCapture,
  sseEvents,
  startFixtureServer,
  toSse,
  type FixtureServer,
  type FixtureServerOptions,
} from '../helpers/fixture-server.js';

type Chunk = Record<string, unknown> & { content: string; tokens: number[] };

let server: FixtureServer | undefined;
let model: LlamaServerModel | undefined;

afterEach(async () => {
  await model?.close();
  await server?.close();
  model = server = undefined;
});

async function setUp(options: FixtureServerOptions, api: 'completion' | 'chat' = 'completion') {
  server = await startFixtureServer(options);
  model = new LlamaServerModel({ name: 'local', url: `${server.url}/`, api, maxParallel: 2 });
  return { server, model };
}

function request(sampling: Partial<Sampling> = {}, prompt = 'Once upon a time'): ModelRequest {
  return { prompt, sampling: { temperature: 0, n_predict: 16, cache_prompt: false, ...sampling } };
}

async function run(target: LlamaServerModel, req: ModelRequest): Promise<{ tokens: StreamedToken[]; completion: Completion }> {
  const tokens: StreamedToken[] = [];
  const completion = await target.generate(req, { onToken: (token) => tokens.push(token) });
  return { tokens, completion };
}

function chunks(name: string): Chunk[] {
  return sseEvents(loadCapture(name).body) as Chunk[];
}

describe('LlamaServerModel /completion', () => {
  it('streams the tokens of the capture and keeps what the final chunk reports', async () => {
    const { model } = await setUp({ routes: { 'POST /completion': 'completion-stream' } });
    const { tokens, completion } = await run(model, request());
    const events = chunks('completion-stream');
    const final = events.at(-1) as Record<string, unknown>;
    const expected = events.filter((e) => e.content !== '');
    expect(tokens).toEqual(expected.map((e) => ({ text: e.content, id: e.tokens[0] })));
    expect(completion.text).toBe(', there was a little girl named Lily. She loved to play');
    expect(completion.tokenCount).toBe(16);
    expect(completion.stopType).toBe('limit');
    expect(completion.stoppingWord).toBeUndefined();
    expect(completion.tokensCached).toBe(20);
    expect(completion.idSlot).toBe(1);
    expect(completion.generationSettings).toEqual(final.generation_settings);
    expect(completion.timings).toEqual({
      cache_n: 0,
      prompt_n: 5,
      prompt_ms: 1.608,
      prompt_per_second: 3109.452736318408,
      predicted_n: 16,
      predicted_ms: 6.506,
      predicted_per_second: 2459.2683676606207,
    });
  });

  it('passes every sampling field through, and omits the unset ones', async () => {
    const { model, server } = await setUp({ routes: { 'POST /completion': 'completion-stream' } });
    const full: Partial<Sampling> = {
      temperature: 0.7,
      top_k: 20,
      top_p: 0.9,
      min_p: 0.1,
      seed: 42,
      n_predict: 16,
      stop: ['\n\n'],
      grammar: 'root ::= "a"',
      json_schema: { type: 'string' },
      n_probs: 2,
      cache_prompt: true,
      id_slot: 1,
    };
    await run(model, request(full));
    // undici frees a connection a moment after the body ends (later on a loaded machine); after that it is reused, not
    // closed. Half a second is ample and well inside the client's 4 s keep-alive.
    await new Promise((done) => setTimeout(done, 500));
    await run(model, request());
    expect(server.stats.connections).toBe(1);
    expect(server.stats.requests.map((r) => r.json)).toEqual([
      { prompt: 'Once upon a time', stream: true, ...full },
      { prompt: 'Once upon a time', stream: true, temperature: 0, n_predict: 16, cache_prompt: false },
    ]);
  });

  it('gives each token its logprob and alternatives when n_probs is asked', async () => {
    const { model } = await setUp({ routes: { 'POST /completion': 'completion-stream-nprobs' } });
    const { tokens } = await run(model, request({ n_probs: 3 }));
    const events = chunks('completion-stream-nprobs').filter((e) => e.content !== '');
    expect(tokens).toHaveLength(16);
    tokens.forEach((token, i) => {
      const probs = (events[i].completion_probabilities as Array<Record<string, unknown>>)[0];
      const top = probs.top_logprobs as Array<{ token: string; logprob: number }>;
      expect(token.logprob).toBe(probs.logprob);
      expect(token.top).toEqual(top.map((t) => ({ token: t.token, logprob: t.logprob })));
      expect(token.top).toHaveLength(3);
    });
  });

  it('turns post-sampling probabilities into logprobs', async () => {
    const { model } = await setUp({ routes: { 'POST /completion': 'completion-stream-nprobs-postsampling' } });
    const { tokens } = await run(model, request({ n_probs: 3 }));
    expect(tokens).toHaveLength(8);
    for (const token of tokens) {
      expect(token.logprob).toBe(0);
      expect(token.top).toEqual([{ token: token.text, logprob: 0 }]);
    }
  });

  it('reports a stop word: the stop token arrives with its text cut, then the final chunk', async () => {
    const { model } = await setUp({ routes: { 'POST /completion': 'completion-stream-stop-word' } });
    const { tokens, completion } = await run(model, request({ stop: ['Lily'], n_predict: 32 }));
    expect(tokens.at(-1)).toEqual({ text: ' ', id: 317 });
    expect(completion.text).toBe(', there was a little girl named ');
    expect(completion.tokenCount).toBe(10);
    expect(completion.stopType).toBe('word');
    expect(completion.stoppingWord).toBe('Lily');
    expect(completion.timings?.predicted_n).toBe(10);
  });

  it('passes on a token whose text the server holds back (stop-word prefix) with empty text, so counts and probabilities stay aligned', async () => {
    const events = chunks('completion-stream-nprobs');
    const heldBack = events[3];
    events[3] = { ...heldBack, content: '' };
    const capture = { ...loadCapture('completion-stream-nprobs'), body: toSse(events) };
    const { model } = await setUp({ routes: { 'POST /completion': { capture } } });
    const { tokens, completion } = await run(model, request({ n_probs: 3 }));
    expect(tokens).toHaveLength(completion.tokenCount);
    expect(tokens[3].text).toBe('');
    expect(tokens[3].id).toBe((heldBack.tokens as number[])[0]);
    expect(tokens[3].top).toHaveLength(3);
  });

  it('assembles the same tokens for every chunk split, multi-byte characters included', async () => {
    const events = chunks('completion-stream');
    const texts = [' é', '日本', '🙂', 'ß', ' ∑'];
    texts.forEach((text, i) => (events[i * 2] = { ...events[i * 2], content: text }));
    const capture = { ...loadCapture('completion-stream'), body: toSse(events) };
    const expected = events.map((e) => e.content).join('');
    for (let seed = 1; seed <= 40; seed++) {
      const { model } = await setUp({ routes: { 'POST /completion': { capture } }, seed, maxChunk: 1 + (seed % 7) });
      const { tokens, completion } = await run(model, request());
      expect(tokens.map((t) => t.text).join('')).toBe(expected);
      expect(completion.text).toBe(expected);
      await model.close();
      await server?.close();
      server = undefined;
    }
    model = undefined;
  });

  it('serves requests in parallel over separate connections', async () => {
    const { model, server } = await setUp({ routes: { 'POST /completion': { capture: 'completion-stream', delayMs: 2 } } });
    const [a, b] = await Promise.all([run(model, request()), run(model, request())]);
    expect(a.completion.text).toBe(b.completion.text);
    expect(server.stats.maxConcurrent).toBe(2);
  });
});

describe('LlamaServerModel /v1/chat/completions', () => {
  it('streams the deltas, maps finish_reason and keeps the timings', async () => {
    const { model, server } = await setUp({ routes: { 'POST /v1/chat/completions': 'chat-completions-stream' } }, 'chat');
    const { tokens, completion } = await run(model, request({}, 'Tell me a story.'));
    const deltas = (sseEvents(loadCapture('chat-completions-stream').body).slice(0, -1) as Array<{
      choices: Array<{ delta: { content?: string | null } }>;
    }>)
      .map((e) => e.choices[0].delta.content)
      .filter((c): c is string => typeof c === 'string' && c !== '');
    expect(tokens.map((t) => t.text)).toEqual(deltas);
    expect(completion.text).toBe(deltas.join(''));
    expect(completion.tokenCount).toBe(16);
    expect(completion.stopType).toBe('limit');
    expect(completion.timings?.predicted_n).toBe(16);
    expect(completion.timings?.cache_n).toBe(0);
    expect(server.stats.requests[0].json).toEqual({
      messages: [{ role: 'user', content: 'Tell me a story.' }],
      stream: true,
      temperature: 0,
      max_tokens: 16,
      cache_prompt: false,
    });
  });

  it('sends explicit messages and takes timings from the usage chunk', async () => {
    const { model, server } = await setUp({ routes: { 'POST /v1/chat/completions': 'chat-completions-stream-usage' } }, 'chat');
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Tell me a story.' },
    ];
    const tokens: StreamedToken[] = [];
    const completion = await model.generate(
      { ...request({ n_predict: 8 }), messages },
      { onToken: (token) => tokens.push(token) },
    );
    expect(tokens).toHaveLength(8);
    expect(completion.stopType).toBe('limit');
    expect(completion.timings?.cache_n).toBe(49);
    expect((server.stats.requests[0].json as { messages: unknown }).messages).toEqual(messages);
  });

  it('asks for logprobs the OpenAI way and reads them from the deltas', async () => {
    const events = sseEvents(loadCapture('chat-completions-stream').body) as Array<Record<string, unknown>>;
    const withProbs = events.map((event) => {
      if (event === ('[DONE]' as unknown)) return event;
      const choice = (event.choices as Array<Record<string, unknown>>)[0];
      const content = (choice.delta as { content?: string | null }).content;
      if (typeof content !== 'string') return event;
      const logprobs = { content: [{ token: content, logprob: -0.5, top_logprobs: [{ token: content, logprob: -0.5 }] }] };
      return { ...event, choices: [{ ...choice, logprobs }] };
    });
    const capture = { ...loadCapture('chat-completions-stream'), body: toSse(withProbs) };
    const { model, server } = await setUp({ routes: { 'POST /v1/chat/completions': { capture } } }, 'chat');
    const { tokens } = await run(model, request({ n_probs: 1, stop: ['\n'] }));
    expect(tokens[0]).toEqual({ text: '"', logprob: -0.5, top: [{ token: '"', logprob: -0.5 }] });
    expect(server.stats.requests[0].json).toMatchObject({ logprobs: true, top_logprobs: 1, stop: ['\n'] });
    expect(server.stats.requests[0].json).not.toHaveProperty('n_probs');
  });

  it("maps finish_reason 'stop' to a stop word when stop strings were sent, else to end of sequence", async () => {
    const events = sseEvents(loadCapture('chat-completions-stream').body) as Array<Record<string, unknown>>;
    const last = events.length - 2;
    const choice = (events[last].choices as Array<Record<string, unknown>>)[0];
    events[last] = { ...events[last], choices: [{ ...choice, finish_reason: 'stop' }] };
    const capture = { ...loadCapture('chat-completions-stream'), body: toSse(events) };
    const { model } = await setUp({ routes: { 'POST /v1/chat/completions': { capture } } }, 'chat');
    expect((await run(model, request({ stop: ['\n'] }))).completion.stopType).toBe('word');
    expect((await run(model, request())).completion.stopType).toBe('eos');
  });
});
