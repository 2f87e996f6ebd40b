// `slotbench models` against a replayed llama-server and a dead port: table and JSON report, exit 0 either way.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModelsCommand, modelsCommand } from '../../src/cli/commands/models.js';
import type { CliIo } from '../../src/cli/io.js';
import { UserError } from '../../src/core/errors.js';
import { LlamaServerModel } from '../../src/model/llama-server.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

let dir: string;
let server: FixtureServer;
let deadUrl: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slotbench-models-'));
  server = await startFixtureServer({ routes: { 'GET /health': 'health', 'GET /props': 'props' } });
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  deadUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  await new Promise((closed) => probe.close(closed));
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function runModels(argv: string[], command = modelsCommand): Promise<{ code: number; out: string }> {
  let out = '';
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  const io: CliIo = { stdout, stderr: stdout, cwd: dir, env: {} };
  const code = await command(argv, io);
  return { code, out };
}

async function writeConfig(): Promise<void> {
  const models = { local: { url: server.url }, down: { url: deadUrl }, tiny: { path: 'tiny.gguf' } };
  await writeFile(join(dir, 'slotbench.config.json'), JSON.stringify({ models, defaultModel: 'local' }));
}

describe('slotbench models', () => {
  it('prints an aligned table with the server facts, marking the default and the dead server', async () => {
    await writeConfig();
    const { code, out } = await runModels([]);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`config: ${join(dir, 'slotbench.config.json')}`);
    const header = lines[2];
    expect(header).toMatch(/^NAME +URL \/ FILE +MODEL FILE +N_CTX +SLOTS +BUILD +HEALTH$/);
    const local = lines.find((l) => l.startsWith('local *')) ?? '';
    expect(local).toContain(server.url);
    expect(local).toContain('/opt/models/ggufs/stories260K.gguf');
    expect(local).toMatch(/ 512 +2 +b9928-81ff7abe5 +ok$/);
    expect(local.indexOf('512')).toBe(header.indexOf('N_CTX'));
    const down = lines.find((l) => l.startsWith('down')) ?? '';
    expect(down).toContain(deadUrl);
    expect(down).toMatch(/ - +- +- +- +no llama-server at http:\/\/127\.0\.0\.1:\d+: start one with `llama-server/);
    expect(lines.find((l) => l.startsWith('tiny'))).toMatch(/tiny\.gguf .* embedded engine unavailable$/);
  });

  it('prints JSON with --json, from an explicit --config', async () => {
    await writeConfig();
    await rm(join(dir, 'slotbench.config.json'));
    await writeFile(join(dir, 'other.json'), JSON.stringify({ models: { local: { url: server.url } } }));
    const { code, out } = await runModels(['--config', 'other.json', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({
      config: join(dir, 'other.json'),
      models: [
        {
          name: 'local',
          location: server.url,
          isDefault: true,
          healthy: true,
          status: 'ok',
          modelFile: '/opt/models/ggufs/stories260K.gguf',
          alias: '/opt/models/ggufs/stories260K.gguf',
          nCtx: 512,
          totalSlots: 2,
          hasChatTemplate: true,
          build: 'b9928-81ff7abe5',
        },
      ],
    });
  });

  it('shows a pool and each of its servers with its own health, in the table and in JSON', async () => {
    await writeFile(join(dir, 'slotbench.config.json'), JSON.stringify({ models: { pool: { urls: [server.url, deadUrl] } } }));
    const { out } = await runModels([]);
    const lines = out.split('\n');
    expect(lines.find((l) => l.startsWith('pool *'))).toMatch(/^pool \* +pool of 2 servers +\/opt\/models\/ggufs\/stories260K\.gguf +- +2 +b9928-81ff7abe5 +1 of 2 servers up \(1 down\)$/);
    expect(lines.find((l) => l.startsWith('  pool[0]'))).toMatch(new RegExp(`^  pool\\[0\\] +${server.url} +/opt/models/ggufs/stories260K\\.gguf +- +2 +b9928-81ff7abe5 +ok$`));
    expect(lines.find((l) => l.startsWith('  pool[1]'))).toMatch(new RegExp(`^  pool\\[1\\] +${deadUrl} +- +- +- +- +no llama-server at ${deadUrl}: start one`));
    const json = JSON.parse((await runModels(['--json'])).out);
    expect(json.models[0]).toMatchObject({ name: 'pool', location: `${server.url} ${deadUrl}`, healthy: true, totalSlots: 2 });
    expect(json.models[0].members).toEqual([
      { url: server.url, healthy: true, slots: 2, status: 'ok', modelFile: '/opt/models/ggufs/stories260K.gguf', build: 'b9928-81ff7abe5' },
      { url: deadUrl, healthy: false, slots: 1, status: expect.stringMatching(/^no llama-server at /) },
    ]);
  });

  it('reports the default model when there is no config file', async () => {
    // Whatever listens on 8080 here is not ours: the built-in default is reached at a port this test owns.
    const contacted: string[] = [];
    const command = createModelsCommand({
      server: (name, entry) => {
        contacted.push(entry.url);
        return new LlamaServerModel({ name, url: server.url, maxParallel: 1 });
      },
    });
    const { code, out } = await runModels([], command);
    expect(code).toBe(0);
    expect(contacted).toEqual(['http://127.0.0.1:8080']);
    expect(out).toContain('config: none (built-in default)');
    expect(out).toMatch(/\nlocal \* +http:\/\/127\.0\.0\.1:8080 +\/opt\/models\/ggufs\/stories260K\.gguf .* ok\n/);
  });

  it('rejects an unknown option with the usage', async () => {
    await expect(runModels(['--jsn'])).rejects.toThrow(UserError);
    await expect(runModels(['--jsn'])).rejects.toThrow(/Unknown option '--jsn': slotbench models \[options\] \(slotbench models --help lists every option\)/);
  });
});
