// `slotbench doctor` as a user types it: only the model a run would use is required; other models' servers warn.

import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { scratchDir } from '../helpers/scratch.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
let server: FixtureServer;
let cwd: string;

beforeAll(async () => {
  server = await startFixtureServer({ routes: { 'GET /health': 'health', 'GET /props': 'props' } });
  cwd = scratchDir('sb-doctor-');
  // `idle` points at port 9 (discard), where nothing listens.
  const models = { main: { url: server.url }, idle: { url: 'http://127.0.0.1:9' } };
  writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models, defaultModel: 'main' }));
});
afterAll(() => server.close());

function doctor(args: string[] = []) {
  return execa('node', [BIN, 'doctor', ...args], { cwd, reject: false, env: { NO_COLOR: '1' }, timeout: 120_000 });
}

describe('slotbench doctor', () => {
  it('exits 0 when only a configured model the run does not use is down, and says it is needed only with --model', { timeout: 150_000 }, async () => {
    const result = await doctor();
    expect(result.stdout).toMatch(/^ok\s+server main\s+http:\/\/127\.0\.0\.1:\d+: /m);
    expect(result.stdout).toMatch(/^missing \(optional\) server idle\s+http:\/\/127\.0\.0\.1:9: .*\(needed only with --model idle: start llama-server there/m);
    expect(result.stdout).toMatch(/everything a run needs is here$/);
    expect(result.exitCode).toBe(0);
  });

  it('exits 1 when the model given with --model is the one down', { timeout: 150_000 }, async () => {
    const result = await doctor(['--model', 'idle']);
    expect(result.stdout).toMatch(/^missing\s+server idle\s+http:\/\/127\.0\.0\.1:9: /m);
    expect(result.stdout).toMatch(/^ok\s+server main /m);
    expect(result.stdout).toMatch(/1 required check failed$/);
    expect(result.exitCode).toBe(1);
  });

  it('refuses an unknown --model in one line', { timeout: 150_000 }, async () => {
    const result = await doctor(['--model', 'nope']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('slotbench: unknown model "nope": configured models are main, idle');
  });
});
