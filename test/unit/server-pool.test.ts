// A pool of llama-servers (local fixture servers replaying real captures): slots summed, a dead server set aside.

import { afterEach, describe, expect, it } from 'vitest';
import { LlamaServerModel } from '../../src/model/llama-server.js';
import { ServerPool } from '../../src/model/server-pool.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

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

  it('sets aside a server that went away: that request fails as an error to retry, the next ones go to the other', async () => {
    const a = await server();
    const b = await server();
    const p = pool(a, b);
    await p.info();
    await a.close();
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => p.generate(request, { onToken: () => {} })));
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed.length).toBeLessThanOrEqual(2);
    for (const f of failed) expect(['connection', 'unreachable']).toContain((f as PromiseRejectedResult).reason.code);
    const later = await p.generate(request, { onToken: () => {} });
    expect(later.server).toBe(b.url);
    expect(p.maxParallel).toBe(2);
    const members = await p.memberInfo();
    expect(members.map((m) => m.healthy)).toEqual([false, true]);
    expect((await p.info()).status).toBe('1 of 2 servers up (1 down)');
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
