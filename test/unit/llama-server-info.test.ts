// LlamaServerModel info() and tokenize(): health states, /props facts, the identity fingerprint.

import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LlamaServerModel } from '../../src/model/llama-server.js';
import { loadCapture, startFixtureServer, type FixtureServer, type Route } from '../helpers/fixture-server.js';

let server: FixtureServer | undefined;
let model: LlamaServerModel | undefined;

afterEach(async () => {
  await model?.close();
  await server?.close();
  model = server = undefined;
});

async function setUp(routes: Record<string, Route>) {
  server = await startFixtureServer({ routes });
  model = new LlamaServerModel({ name: 'local', url: server.url, infoTimeoutMs: 300 });
  return model;
}

describe('LlamaServerModel info', () => {
  it('reads health and the /props facts, and fills the fingerprint', async () => {
    const model = await setUp({ 'GET /health': 'health', 'GET /props': 'props' });
    expect(model.identity.fingerprint).toBeUndefined();
    expect(await model.info()).toEqual({
      healthy: true,
      status: 'ok',
      modelFile: '/opt/models/ggufs/stories260K.gguf',
      alias: '/opt/models/ggufs/stories260K.gguf',
      nCtx: 512,
      totalSlots: 2,
      hasChatTemplate: true,
      build: 'b9928-81ff7abe5',
    });
    expect(model.identity).toEqual({
      name: 'local',
      kind: 'llama-server',
      location: server?.url,
      fingerprint: '/opt/models/ggufs/stories260K.gguf@b9928-81ff7abe5',
    });
  });

  it('takes the slot count of a balancer in front of several servers from its aggregated /health (Paddler)', async () => {
    // Paddler answers /health itself with every server's slots; /props is proxied to one server (2 slots).
    const aggregated = { ...loadCapture('health'), body: Buffer.from('{"slots_idle":5,"slots_processing":3}') };
    const model = await setUp({ 'GET /health': { capture: aggregated }, 'GET /props': 'props' });
    expect(await model.info()).toMatchObject({ healthy: true, totalSlots: 8, build: 'b9928-81ff7abe5' });
  });

  it('is healthy without /props when the server has none', async () => {
    const model = await setUp({ 'GET /health': 'health' });
    expect(await model.info()).toEqual({ healthy: true, status: 'ok' });
  });

  it('reports a server that is still loading', async () => {
    const model = await setUp({ 'GET /health': 'health-loading' });
    expect(await model.info()).toEqual({ healthy: false, loading: true, status: `llama-server at ${server?.url} is loading the model` });
  });

  it('reports a server that does not answer in time', async () => {
    const model = await setUp({ 'GET /health': { capture: 'health', behaviour: 'stall', afterEvents: 0 } });
    expect(await model.info()).toEqual({ healthy: false, status: `llama-server at ${server?.url} gave no answer within 0.3s` });
  });

  it('never throws when nothing listens, and says how to start a server', async () => {
    const probe = createServer();
    await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
    const { port } = probe.address() as { port: number };
    await new Promise((closed) => probe.close(closed));
    model = new LlamaServerModel({ name: 'local', url: `http://127.0.0.1:${port}` });
    expect(await model.info()).toEqual({
      healthy: false,
      status: `no llama-server at http://127.0.0.1:${port}: start one with \`llama-server -m MODEL.gguf --port ${port}\` or set the model's url in slotbench.config.json`,
    });
  });
});

describe('LlamaServerModel tokenize', () => {
  it('posts the text and returns the token ids', async () => {
    const model = await setUp({ 'POST /tokenize': 'tokenize' });
    expect(await model.tokenize('Once upon a time, there was a little cat.')).toEqual([
      403, 407, 261, 378, 432, 383, 286, 261, 376, 280, 294, 426,
    ]);
    expect(server?.stats.requests[0].json).toEqual({ content: 'Once upon a time, there was a little cat.' });
  });

  it('takes the ids out of token pieces too', async () => {
    const model = await setUp({ 'POST /tokenize': 'tokenize-with-pieces' });
    expect(await model.tokenize('Once upon a time')).toEqual([403, 407, 261, 378]);
  });

  it('throws the server error', async () => {
    const model = await setUp({ 'POST /tokenize': 'error-missing-prompt' });
    await expect(model.tokenize('x')).rejects.toMatchObject({ code: 'invalid_request_error' });
  });
});
