// createRegistry: lazy, cached models per name; GGUF entries through the embedded factory; clear errors otherwise.

import { describe, expect, it } from 'vitest';
import type { Config, ModelConfig } from '../../src/config/config.js';
import { UserError } from '../../src/core/errors.js';
import type { ModelPort } from '../../src/core/ports.js';
import { LlamaServerModel } from '../../src/model/llama-server.js';
import { createRegistry } from '../../src/model/registry.js';
import { ServerPool } from '../../src/model/server-pool.js';

const config: Config = {
  models: {
    local: { url: 'http://127.0.0.1:8080', api: 'completion', sampling: {} },
    qwen: { url: 'http://127.0.0.1:8081', api: 'chat', maxParallel: 4, sampling: {} },
    tiny: { path: '/models/tiny.gguf', api: 'completion', sampling: {}, threads: 2 },
    pool: { urls: ['http://127.0.0.1:9001', 'http://127.0.0.1:9002'], api: 'chat', sampling: {} },
  },
  defaultModel: 'local',
  datasets: {},
  gate: {},
};

function fakeEmbedded(name: string, entry: ModelConfig): ModelPort {
  return {
    identity: { name, kind: 'embedded', location: entry.path },
    api: 'completion',
    maxParallel: 1,
    generate: () => Promise.reject(new Error('not used')),
    info: () => Promise.resolve({ healthy: true, status: 'ok' }),
  };
}

describe('createRegistry', () => {
  it('lists the configured names in order', () => {
    expect(createRegistry(config).names()).toEqual(['local', 'qwen', 'tiny', 'pool']);
  });

  it('builds a "urls" entry into one pool of llama-server clients, one slot each until their /props say more', async () => {
    const registry = createRegistry(config);
    const pool = registry.get('pool');
    expect(pool).toBeInstanceOf(ServerPool);
    expect(pool.api).toBe('chat');
    expect(pool.maxParallel).toBe(2);
    expect(pool.identity).toEqual({ name: 'pool', kind: 'llama-server', location: 'http://127.0.0.1:9001 http://127.0.0.1:9002' });
    expect((await (pool as ServerPool).memberInfo()).map((m) => m.url)).toEqual(['http://127.0.0.1:9001', 'http://127.0.0.1:9002']);
    await registry.close();
  });

  it('creates a llama-server client per url entry once, with its api and parallelism', async () => {
    const registry = createRegistry(config);
    const qwen = registry.get('qwen');
    expect(qwen).toBeInstanceOf(LlamaServerModel);
    expect(qwen.api).toBe('chat');
    expect(qwen.maxParallel).toBe(4);
    expect(qwen.identity).toEqual({ name: 'qwen', kind: 'llama-server', location: 'http://127.0.0.1:8081' });
    expect(registry.get('qwen')).toBe(qwen);
    expect(registry.get('local').maxParallel).toBe(1);
    await registry.close();
  });

  it('builds GGUF entries through the embedded factory', () => {
    const calls: string[] = [];
    const registry = createRegistry(config, {
      embedded: (name, entry) => {
        calls.push(name);
        return fakeEmbedded(name, entry);
      },
    });
    expect(registry.get('tiny').identity).toEqual({ name: 'tiny', kind: 'embedded', location: '/models/tiny.gguf' });
    registry.get('tiny');
    expect(calls).toEqual(['tiny']);
  });

  it('says the embedded engine is unavailable when there is no factory', () => {
    expect(() => createRegistry(config).get('tiny')).toThrow(
      new UserError(
        'model "tiny" is a GGUF file (/models/tiny.gguf) but the embedded engine is unavailable: run `llama-server -m /models/tiny.gguf` and give the model a "url" instead',
        'embedded_unavailable',
      ),
    );
  });

  it('lists the configured names for an unknown one', () => {
    let error: unknown;
    try {
      createRegistry(config).get('qwne');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('unknown_model');
    expect((error as UserError).message).toBe('unknown model "qwne": configured models are local, qwen, tiny, pool');
  });
});
