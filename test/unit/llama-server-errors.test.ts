// LlamaServerModel failures, each a one-line UserError with a code: unreachable, loading, HTTP errors, bad streams, abort.

import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { ModelRequest } from '../../src/core/sampling.js';
import { LlamaServerModel, type LlamaServerOptions } from '../../src/model/llama-server.js';
import {
  loadCapture,
  sseEvents,
  startFixtureServer,
  toSse,
  type FixtureServer,
  type Route,
} from '../helpers/fixture-server.js';

const REQUEST: ModelRequest = { prompt: 'Once upon a time', sampling: { temperature: 0, n_predict: 16, cache_prompt: true } };

let server: FixtureServer | undefined;
let model: LlamaServerModel | undefined;

afterEach(async () => {
  await model?.close();
  await server?.close();
  model = server = undefined;
});

async function setUp(route: Route, options: Partial<LlamaServerOptions> = {}) {
  server = await startFixtureServer({ routes: { 'POST /completion': route, 'GET /health': 'health' } });
  model = new LlamaServerModel({ name: 'local', url: server.url, ...options });
  return { server, model };
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).message).not.toContain('\n');
  return error as UserError;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((done) => setTimeout(done, 10));
  expect(condition()).toBe(true);
}

/** A port that was just free: nothing listens on it. */
async function deadPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const { port } = probe.address() as { port: number };
  await new Promise((closed) => probe.close(closed));
  return port;
}

describe('LlamaServerModel errors', () => {
  it('says how to start a server when nothing listens', async () => {
    const port = await deadPort();
    model = new LlamaServerModel({ name: 'local', url: `http://127.0.0.1:${port}` });
    const error = await failure(model.generate(REQUEST, { onToken: () => {} }));
    expect(error.code).toBe('unreachable');
    expect(error.message).toBe(
      `no llama-server at http://127.0.0.1:${port}: start one with \`llama-server -m MODEL.gguf --port ${port}\` or set the model's url in slotbench.config.json`,
    );
  });

  it('waits while the model loads (503), telling the person, then streams', async () => {
    const { model } = await setUp(['health-loading', 'health-loading', 'completion-stream']);
    const notices: string[] = [];
    const completion = await model.generate(REQUEST, { onToken: () => {}, onNotice: (n) => notices.push(n) });
    expect(completion.tokenCount).toBe(16);
    expect(notices).toEqual([
      `llama-server at ${server?.url} is loading the model; retrying in 100ms`,
      `llama-server at ${server?.url} is loading the model; retrying in 200ms`,
    ]);
  });

  it('gives up on a model that keeps loading after loadWaitMs', async () => {
    const { model } = await setUp('health-loading', { loadWaitMs: 500 });
    const notices: string[] = [];
    const started = Date.now();
    const error = await failure(model.generate(REQUEST, { onToken: () => {}, onNotice: (n) => notices.push(n) }));
    expect(error.code).toBe('loading');
    expect(error.message).toContain('was still loading the model after 0.5s');
    expect(Date.now() - started).toBeLessThan(1500);
    // Backoff doubles, and the last wait is cut to what is left of loadWaitMs.
    const waits = notices.map((n) => Number(/retrying in (\d+)ms/.exec(n)?.[1]));
    expect(waits.slice(0, 2)).toEqual([100, 200]);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(500);
  });

  it('reports a context overflow with the server message and its type as code', async () => {
    const { model } = await setUp('error-prompt-too-long-stream');
    const error = await failure(model.generate(REQUEST, { onToken: () => {} }));
    expect(error.code).toBe('exceed_context_size_error');
    expect(error.message).toBe(
      `llama-server at ${server?.url}: request (842 tokens) exceeds the available context size (512 tokens), try increasing it`,
    );
  });

  it('reports a 500 server error', async () => {
    const { model } = await setUp('error-invalid-json');
    const error = await failure(model.generate(REQUEST, { onToken: () => {} }));
    expect(error.code).toBe('server_error');
    expect(error.message).toContain('[json.exception.parse_error.101] parse error');
  });

  it('reports a non-JSON error page by its status', async () => {
    const capture = { status: 502, statusMessage: 'Bad Gateway', headers: [], body: Buffer.from('<html>\n<b>bad gateway</b>\n</html>') };
    const { model } = await setUp({ capture });
    const error = await failure(model.generate(REQUEST, { onToken: () => {} }));
    expect(error.code).toBe('http_502');
    expect(error.message).toBe(`llama-server at ${server?.url}: HTTP 502 <html> <b>bad gateway</b> </html>`);
  });

  it('rejects a malformed SSE line and drops the connection', async () => {
    const { model, server } = await setUp({ capture: 'completion-stream', behaviour: 'garbage', afterEvents: 4, delayMs: 2 });
    const error = await failure(model.generate(REQUEST, { onToken: () => {} }));
    expect(error.code).toBe('bad_stream');
    expect(error.message).toBe(
      `llama-server sent a malformed SSE line: "dat {"index":0,"content":"oops","tokens":[1],"stop":false}" (${server.url}/completion)`,
    );
    await until(() => server.stats.clientClosed === 1);
  });

  it('reports an error the server sends inside the stream', async () => {
    const events = sseEvents(loadCapture('completion-stream').body).slice(0, 3);
    const body = Buffer.concat([toSse(events), Buffer.from('error: {"code":500,"message":"slot crashed","type":"server_error"}\n\n')]);
    const { model } = await setUp({ capture: { ...loadCapture('completion-stream'), body } });
    const error = await failure(model.generate(REQUEST, { onToken: () => {} }));
    expect(error.code).toBe('server_error');
    expect(error.message).toBe(`llama-server at ${server?.url}: slot crashed`);
  });

  it('reports a stream whose connection dies before the final chunk', async () => {
    const { model } = await setUp({ capture: 'completion-stream', behaviour: 'cutoff', afterEvents: 5 });
    const tokens: string[] = [];
    const error = await failure(model.generate(REQUEST, { onToken: (t) => tokens.push(t.text) }));
    expect(error.code).toBe('cut_off');
    expect(error.message).toBe(`llama-server stream from ${server?.url}/completion was cut off after 5 tokens`);
    expect(tokens).toHaveLength(5);
  });

  it('reports a stream that ends cleanly without the final chunk', async () => {
    const body = toSse(sseEvents(loadCapture('completion-stream').body).slice(0, 7));
    const { model } = await setUp({ capture: { ...loadCapture('completion-stream'), body } });
    const error = await failure(model.generate(REQUEST, { onToken: () => {} }));
    expect(error.code).toBe('cut_off');
    expect(error.message).toContain('cut off after 7 tokens');
  });

  it('aborts a stream that goes silent and closes its connection', async () => {
    const { model, server } = await setUp({ capture: 'completion-stream', behaviour: 'stall', afterEvents: 3 }, { stallTimeoutMs: 200 });
    const tokens: string[] = [];
    const error = await failure(model.generate(REQUEST, { onToken: (t) => tokens.push(t.text) }));
    expect(error.code).toBe('stalled');
    expect(error.message).toBe(`llama-server at ${server.url} sent nothing for 0.2s; it may be hung or overloaded: check its log`);
    expect(tokens).toHaveLength(3);
    await until(() => server.stats.clientClosed === 1);
  });

  it('aborts a server that never sends the response headers', async () => {
    const { model } = await setUp({ capture: 'completion-stream', behaviour: 'stall', afterEvents: 0 }, { stallTimeoutMs: 150 });
    expect((await failure(model.generate(REQUEST, { onToken: () => {} }))).code).toBe('stalled');
  });

  it('on abort closes the connection (freeing the slot) and serves the next request normally', async () => {
    const { model, server } = await setUp([
      { capture: 'completion-stream', delayMs: 3 },
      { capture: 'completion-stream' },
    ]);
    const controller = new AbortController();
    const tokens: string[] = [];
    const onToken = (token: { text: string }) => {
      tokens.push(token.text);
      if (tokens.length === 3) controller.abort();
    };
    const error = await failure(model.generate(REQUEST, { onToken, signal: controller.signal }));
    expect(error.code).toBe('aborted');
    expect(tokens).toHaveLength(3);
    await until(() => server.stats.clientClosed === 1);
    const next = await model.generate(REQUEST, { onToken: () => {} });
    expect(next.tokenCount).toBe(16);
    expect(server.stats.requests).toHaveLength(2);
  });

  it('stops emitting at once when onToken aborts, even within one network chunk', async () => {
    server = await startFixtureServer({ routes: { 'POST /completion': 'completion-stream' }, maxChunk: 1 << 20 });
    model = new LlamaServerModel({ name: 'local', url: server.url });
    const controller = new AbortController();
    let tokens = 0;
    const onToken = () => {
      tokens += 1;
      if (tokens === 3) controller.abort();
    };
    expect((await failure(model.generate(REQUEST, { onToken, signal: controller.signal }))).code).toBe('aborted');
    expect(tokens).toBe(3);
  });

  it("passes an onToken exception through untouched instead of calling it a cut-off", async () => {
    const { model } = await setUp('completion-stream');
    const bug = new TypeError('consumer bug');
    const onToken = () => {
      throw bug;
    };
    await expect(model.generate(REQUEST, { onToken })).rejects.toBe(bug);
  });

  it('rejects at once when the signal is already aborted, and aborts a load wait', async () => {
    const { model, server } = await setUp('health-loading');
    const error = await failure(model.generate(REQUEST, { onToken: () => {}, signal: AbortSignal.abort() }));
    expect(error.code).toBe('aborted');
    expect(server.stats.requests).toHaveLength(0);
    const controller = new AbortController();
    const waiting = model.generate(REQUEST, { onToken: () => {}, signal: controller.signal, onNotice: () => controller.abort() });
    expect((await failure(waiting)).code).toBe('aborted');
  });
});
