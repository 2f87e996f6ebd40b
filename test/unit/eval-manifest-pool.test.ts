// The run manifest of a pool: every server recorded, and a pool whose answering servers disagree refused in one line.

import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';
import { UserError } from '../../src/core/errors.js';
import { buildManifest, type ManifestInput } from '../../src/eval/manifest.js';
import type { PoolMember } from '../../src/model/server-pool.js';
import { humanEvalPath } from '../helpers/engine-harness.js';

const member = (url: string, extra: Partial<PoolMember> = {}): PoolMember => ({
  url,
  healthy: true,
  slots: 2,
  status: 'ok',
  modelFile: '/models/qwen.gguf',
  build: 'b100-abc',
  ...extra,
});

function input(servers: PoolMember[]): ManifestInput {
  return {
    datasetPath: humanEvalPath(),
    selection: { split: 'all', limit: 1, idsFile: null, problems: 1, problemIds: ['HumanEval/0'] },
    repeat: 1,
    flow: 'implement',
    flowOptions: {},
    attempts: 1,
    model: { name: 'pool', kind: 'llama-server', location: servers.map((s) => s.url).join(' ') },
    info: { healthy: true, status: 'ok', totalSlots: 4, modelFile: '/models/qwen.gguf', build: 'b100-abc' },
    servers,
    sampling: DEFAULT_SAMPLING,
    gate: { timeoutMs: 10_000, sandbox: 'bwrap', python: '3.11.7' },
    parallel: 4,
  };
}

async function refusal(servers: PoolMember[]): Promise<UserError> {
  const error = await buildManifest(input(servers)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('manifest of a server pool', () => {
  it('records every server with its model file, build and slots', async () => {
    const servers = [member('http://a:8080'), member('http://b:8080'), member('http://c:8080', { healthy: false, slots: 1, status: 'connection refused', modelFile: undefined, build: undefined })];
    const manifest = await buildManifest(input(servers));
    expect(manifest.model.servers).toEqual(servers);
    expect(manifest.fingerprint).toMatchObject({ 'model.slots': '4', 'model.file': '/models/qwen.gguf', 'model.build': 'b100-abc' });
  });

  it('refuses servers that disagree on the build, naming each server and its build', async () => {
    const error = await refusal([member('http://a:8080'), member('http://b:8080', { build: 'b200-def' })]);
    expect(error.code).toBe('mixed_pool');
    expect(error.message).toBe(
      'the servers of pool pool disagree on the llama.cpp build (http://a:8080: b100-abc, http://b:8080: b200-def): give every server the same',
    );
  });

  it('refuses servers that disagree on the model file, and one that does not say which it serves', async () => {
    expect((await refusal([member('http://a:8080'), member('http://b:8080', { modelFile: '/models/phi.gguf' })])).message).toMatch(
      /^the servers of pool pool disagree on the model file \(http:\/\/a:8080: \/models\/qwen\.gguf, http:\/\/b:8080: \/models\/phi\.gguf\)/,
    );
    expect((await refusal([member('http://a:8080'), member('http://b:8080', { modelFile: undefined })])).message).toMatch(/http:\/\/b:8080: unknown\)/);
  });
});
