// A pool of llama-servers (local fixture servers replaying real captures): slots summed, a dead server set aside.

import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { ModelIdentity } from '../../src/core/events.js';
import type { Completion, GenerateOptions, ModelInfo, ModelPort } from '../../src/core/ports.js';
import type { ModelRequest } from '../../src/core/sampling.js';
import { LlamaServerModel } from '../../src/model/llama-server.js';
import { ServerPool } from '../../src/model/server-pool.js';
import { loadCapture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

const servers: FixtureServer[] = [];
const pools: ServerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
  await Promise.all(servers.splice(0).map((s) => s.close().catch(() => undefined)));
});

async function server(delayMs = 2): Promise<FixtureServer> {
  const started = await startFixtureServer({
    routes: { 'GET /health': 'health', 'GET /props': 'props', 'POST /completion': 'completion-stream' },
    delayMs,
  });
  servers.push(started);
  return started;
}

function pool(...members: FixtureServer[]): ServerPool {
  const made = new ServerPool(
    'pool',
    members.map((s, i) => new LlamaServerModel({ name: `s${i}`, url: s.url, maxParallel: 1, stallTimeoutMs: 2000 })),
  );
  pools.push(made);
  return made;
}

const request = { prompt: 'Once upon a time', sampling: { temperature: 0, n_predict: 16, cache_prompt: true } };

describe('ServerPool', () => {
  it('sums the slots its servers report and never sends a server more than its slots', async () => {
    const a = await server();
    const b = await server();
    const p = pool(a, b);
    const info = await p.info();
    expect(info).toMatchObject({ healthy: true, totalSlots: 4, modelFile: '/opt/models/ggufs/stories260K.gguf', build: 'b9928-81ff7abe5' });
    expect(p.maxParallel).toBe(4);
    const answers = await Promise.all(Array.from({ length: 12 }, () => p.generate(request, { onToken: () => {} })));
    expect(new Set(answers.map((c) => c.server))).toEqual(new Set([a.url, b.url]));
    expect(a.stats.maxConcurrent).toBeLessThanOrEqual(2);
    expect(b.stats.maxConcurrent).toBeLessThanOrEqual(2);
    expect(a.stats.requests.filter((r) => r.path === '/completion').length + b.stats.requests.filter((r) => r.path === '/completion').length).toBe(12);
  });

  it('sets aside a server that went away and sends requests it refused to the other', async () => {
    const a = await server();
    const b = await server();
    const p = pool(a, b);
    await p.info();
    await a.close();
    const notices: string[] = [];
    const answers = await Promise.all(Array.from({ length: 6 }, () => p.generate(request, { onToken: () => {}, onNotice: (n) => notices.push(n) })));
    expect(answers.map((c) => c.server)).toEqual(Array(6).fill(b.url));
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]).toMatch(new RegExp(`^${a.url} failed before answering \\(.+\\); sending the request to another server$`));
    const later = await p.generate(request, { onToken: () => {} });
    expect(later.server).toBe(b.url);
    expect(p.maxParallel).toBe(2);
    const members = await p.memberInfo();
    expect(members.map((m) => m.healthy)).toEqual([false, true]);
    expect((await p.info()).status).toBe('1 of 2 servers up (1 down)');
  });

  it('ends a request cut off mid-stream as an error (no second answer on top of the streamed tokens), then uses the other server', async () => {
    const a = await startFixtureServer({
      routes: { 'GET /health': 'health', 'GET /props': 'props', 'POST /completion': { capture: 'completion-stream', behaviour: 'cutoff', afterEvents: 3 } },
    });
    servers.push(a);
    const b = await server();
    const p = pool(a, b);
    await p.info();
    // Both slots of a are the least busy at first, so the first request goes to a.
    const tokens: string[] = [];
    await expect(p.generate(request, { onToken: (t) => tokens.push(t.text) })).rejects.toMatchObject({ code: 'cut_off' });
    expect(tokens.length).toBe(3);
    expect((await p.generate(request, { onToken: () => {} })).server).toBe(b.url);
    expect(b.stats.requests.filter((r) => r.path === '/completion').length).toBe(1);
  });

  it('moves a request that got a 5xx before any token to another server', async () => {
    const failing = { ...loadCapture('health'), status: 500, statusMessage: 'Internal Server Error', body: Buffer.from('{"error":{"code":500,"message":"out of memory","type":"server_error"}}') };
    const a = await startFixtureServer({ routes: { 'GET /health': 'health', 'GET /props': 'props', 'POST /completion': { capture: failing } } });
    servers.push(a);
    const b = await server();
    const p = pool(a, b);
    await p.info();
    const first = await p.generate(request, { onToken: () => {} });
    const second = await p.generate(request, { onToken: () => {} });
    expect([first.server, second.server]).toEqual([b.url, b.url]);
    expect(a.stats.requests.filter((r) => r.path === '/completion').length).toBe(1);
  });

  it('says every server is down in one line when none answers', async () => {
    const a = await server();
    const p = pool(a);
    await a.close();
    const info = await p.info();
    expect(info.healthy).toBe(false);
    expect(info.status).toMatch(/^every server of pool pool is down: /);
    await expect(p.generate(request, { onToken: () => {} })).rejects.toMatchObject({ code: 'connection', message: expect.stringMatching(/^every server of pool pool is down/) });
  });

  it('lets a waiting request go when its caller aborts', async () => {
    const a = await server(40);
    const p = pool(a);
    await p.info();
    const slow = Array.from({ length: 2 }, () => p.generate(request, { onToken: () => {} }));
    const controller = new AbortController();
    const waiting = p.generate(request, { onToken: () => {}, signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted' });
    await Promise.all(slow);
  });
});

/** A test double of one server: up or down at the test's word, with the model file and build it claims. */
class FakeServer implements ModelPort {
  readonly identity: ModelIdentity;
  readonly api = 'completion' as const;
  readonly maxParallel = 1;
  up = true;
  loading = false;
  build = 'b1';
  probes = 0;

  constructor(url: string) {
    this.identity = { name: 'pool', kind: 'llama-server', location: url };
  }

  async generate(_request: ModelRequest, options: GenerateOptions): Promise<Completion> {
    if (!this.up) throw new UserError(`no llama-server at ${this.identity.location}`, 'unreachable');
    options.onToken({ text: 'x' });
    return { text: 'x', tokenCount: 1, stopType: 'eos' };
  }

  async info(): Promise<ModelInfo> {
    this.probes++;
    if (this.loading) return { healthy: false, loading: true, status: `llama-server at ${this.identity.location} is loading the model` };
    return this.up ? { healthy: true, status: 'ok', totalSlots: 1, modelFile: 'm.gguf', build: this.build } : { healthy: false, status: 'no answer' };
  }
}

describe('ServerPool back-off', () => {
  it('probes a server set aside only after its back-off, doubling while it stays down, and takes it back once it answers', async () => {
    let clock = 0;
    const [a, b] = [new FakeServer('http://a'), new FakeServer('http://b')];
    const p = new ServerPool('pool', [a, b], { now: () => clock, downMs: 1000, maxDownMs: 4000 });
    await p.info();
    a.up = false;
    const ask = () => p.generate(request, { onToken: () => {} });
    expect((await ask()).server).toBe('http://b');
    const probesAfterFailure = a.probes;
    clock = 999;
    expect((await ask()).server).toBe('http://b');
    expect(a.probes).toBe(probesAfterFailure);
    clock = 1000;
    expect((await ask()).server).toBe('http://b');
    await Promise.resolve();
    expect(a.probes).toBe(probesAfterFailure + 1);
    // Still down at that probe: the next one waits twice as long (2 s), then 4 s, the cap.
    clock = 2999;
    await ask();
    expect(a.probes).toBe(probesAfterFailure + 1);
    clock = 3000;
    await ask();
    expect(a.probes).toBe(probesAfterFailure + 2);
    a.up = true;
    clock = 7000;
    await ask();
    await new Promise((tick) => setImmediate(tick));
    const servers = new Set((await Promise.all([ask(), ask()])).map((c) => c.server));
    expect(servers).toEqual(new Set(['http://a', 'http://b']));
    expect((await p.memberInfo()).map((m) => m.healthy)).toEqual([true, true]);
  });

  it('lets a request wait while every server is still loading its model, and sends it once one is up', async () => {
    const [a, b] = [new FakeServer('http://a'), new FakeServer('http://b')];
    a.loading = b.loading = true;
    const p = new ServerPool('pool', [a, b], { downMs: 10 });
    expect(await p.info()).toMatchObject({ healthy: false, loading: true });
    setTimeout(() => (b.loading = false), 50);
    expect((await p.generate(request, { onToken: () => {} })).server).toBe('http://b');
    expect(a.probes).toBeGreaterThan(2);
  });

  it('gives up on servers that keep loading after the load wait, in one line', async () => {
    const a = new FakeServer('http://a');
    a.loading = true;
    const p = new ServerPool('pool', [a], { downMs: 10, loadWaitMs: 60 });
    await p.info();
    await expect(p.generate(request, { onToken: () => {} })).rejects.toMatchObject({
      code: 'connection',
      message: 'every server of pool pool is down (http://a: llama-server at http://a is loading the model)',
    });
  });

  it('keeps out a server that comes back serving another build than the pool', async () => {
    let clock = 0;
    const [a, b] = [new FakeServer('http://a'), new FakeServer('http://b')];
    const p = new ServerPool('pool', [a, b], { now: () => clock, downMs: 1000 });
    await p.info();
    a.up = false;
    await p.generate(request, { onToken: () => {} });
    a.up = true;
    a.build = 'b2';
    clock = 5000;
    const members = await p.memberInfo();
    expect(members[0]).toMatchObject({ healthy: false, status: "serves m.gguf (build b2), not the pool's m.gguf (build b1)" });
    expect(p.maxParallel).toBe(1);
    expect((await p.generate(request, { onToken: () => {} })).server).toBe('http://b');
  });
});
