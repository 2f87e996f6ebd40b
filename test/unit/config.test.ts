// loadConfig: defaults without a file, a full valid file, and a one-line error naming the field for each bad input.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { UserError } from '../../src/core/errors.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slotbench-config-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(json: unknown, name = 'slotbench.config.json'): Promise<void> {
  await writeFile(join(dir, name), typeof json === 'string' ? json : JSON.stringify(json));
}

async function problem(json: unknown): Promise<string> {
  await write(json);
  const error = await loadConfig(dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  expect((error as UserError).code).toBe('config');
  return (error as UserError).message;
}

describe('loadConfig', () => {
  it('without a file, gives one model "local" at the default llama-server port', async () => {
    expect(await loadConfig(dir)).toEqual({
      models: { local: { url: 'http://127.0.0.1:8080', api: 'completion', sampling: {} } },
      defaultModel: 'local',
      datasets: {},
      gate: {},
    });
  });

  it('reads a full file, resolving relative paths against its folder', async () => {
    await mkdir(join(dir, 'conf'));
    const json = {
      models: {
        qwen: {
          url: 'http://127.0.0.1:8081/',
          api: 'chat',
          maxParallel: 2,
          sampling: {
            temperature: 0.2,
            top_k: 40,
            top_p: 0.95,
            min_p: 0.05,
            seed: 42,
            n_predict: 256,
            stop: ['\n\n'],
            grammar: 'root ::= "a"',
            json_schema: { type: 'object' },
            n_probs: 3,
            cache_prompt: false,
            id_slot: 0,
          },
        },
        tiny: { path: '../models/tiny.gguf', threads: 2, contextSize: 2048, gpu: false },
        big: { path: '../models/big.gguf', threads: 'auto', gpu: 'cuda' },
      },
      defaultModel: 'tiny',
      theme: 'dark',
      datasets: { humaneval: 'data/HumanEval.jsonl' },
      gate: { timeoutMs: 10000, sandbox: 'none', memoryMb: 512, processes: 32, diskMb: 64, cpuSeconds: 5, maxParallel: 1 },
    };
    await write(json, 'conf/custom.json');
    const config = await loadConfig(dir, 'conf/custom.json');
    expect(config).toEqual({
      file: join(dir, 'conf/custom.json'),
      models: {
        qwen: { url: 'http://127.0.0.1:8081', api: 'chat', maxParallel: 2, sampling: json.models.qwen.sampling },
        tiny: { path: join(dir, 'models/tiny.gguf'), api: 'completion', sampling: {}, threads: 2, contextSize: 2048, gpu: false },
        big: { path: join(dir, 'models/big.gguf'), api: 'completion', sampling: {}, threads: 'auto', gpu: 'cuda' },
      },
      defaultModel: 'tiny',
      theme: 'dark',
      datasets: { humaneval: join(dir, 'conf/data/HumanEval.jsonl') },
      gate: { timeoutMs: 10000, sandbox: 'none', memoryMb: 512, processes: 32, diskMb: 64, cpuSeconds: 5, maxParallel: 1 },
    });
  });

  it('takes the first model as default when none is named', async () => {
    await write({ models: { b: { url: 'https://example.org/llama' }, a: { url: 'http://x:1' } } });
    const config = await loadConfig(dir);
    expect(config.defaultModel).toBe('b');
    expect(config.models.b.url).toBe('https://example.org/llama');
  });

  it('fails when an explicitly named file is missing', async () => {
    await expect(loadConfig(dir, 'nope.json')).rejects.toThrow('config file not found: nope.json');
    await expect(loadConfig(dir, '/no/such/file.json')).rejects.toThrow('config file not found: /no/such/file.json');
  });

  it('names the file and the JSON problem for a syntax error', async () => {
    expect(await problem('{"models": {,}')).toMatch(/^slotbench\.config\.json: not valid JSON \(.+\)$/);
  });

  const bad: Array<[string, unknown, string]> = [
    ['not an object', [1], 'must hold a JSON object, got an array'],
    ['no models', {}, 'models must be an object, got nothing'],
    ['empty models', { models: {} }, 'models must name at least one model'],
    ['unknown top key', { models: { a: { url: 'http://x' } }, modles: 1 }, 'unknown key modles (known: models, defaultModel, theme, datasets, gate)'],
    ['bad model name', { models: { 'a b': { url: 'http://x' } } }, 'model name "a b" may hold only letters, digits, ".", "_" and "-"'],
    ['model not an object', { models: { a: 'http://x' } }, 'models.a must be an object, got "http://x"'],
    ['neither url nor path', { models: { a: {} } }, 'models.a must have exactly one of "url" (a running llama-server) and "path" (a GGUF file)'],
    ['url and path', { models: { a: { url: 'http://x', path: 'm.gguf' } } }, 'models.a must have exactly one of'],
    ['ftp url', { models: { qwen: { url: 'ftp://x' } } }, 'models.qwen.url must be an http(s) URL, got "ftp://x"'],
    ['not a url', { models: { qwen: { url: 'localhost:8080x' } } }, 'models.qwen.url must be an http(s) URL, got "localhost:8080x"'],
    ['url a number', { models: { qwen: { url: 8080 } } }, 'models.qwen.url must be a non-empty string, got 8080'],
    ['empty path', { models: { a: { path: '' } } }, 'models.a.path must be a non-empty string, got ""'],
    ['bad api', { models: { a: { url: 'http://x', api: 'openai' } } }, 'models.a.api must be "completion" or "chat", got "openai"'],
    ['maxParallel 0', { models: { a: { url: 'http://x', maxParallel: 0 } } }, 'models.a.maxParallel must be an integer ≥ 1, got 0'],
    ['maxParallel 1.5', { models: { a: { url: 'http://x', maxParallel: 1.5 } } }, 'models.a.maxParallel must be an integer ≥ 1, got 1.5'],
    ['threads on url', { models: { a: { url: 'http://x', threads: 2 } } }, 'models.a.threads applies only to a GGUF "path" model'],
    ['contextSize on url', { models: { a: { url: 'http://x', contextSize: 512 } } }, 'models.a.contextSize applies only to a GGUF "path" model'],
    ['gpu on url', { models: { a: { url: 'http://x', gpu: 'auto' } } }, 'models.a.gpu applies only to a GGUF "path" model'],
    ['gpu true', { models: { a: { path: 'm.gguf', gpu: true } } }, 'models.a.gpu must be "auto", "cuda", "vulkan", "metal" or false, got true'],
    ['threads word', { models: { a: { path: 'm.gguf', threads: 'all' } } }, 'models.a.threads must be "auto" or an integer ≥ 1, got "all"'],
    ['threads 0', { models: { a: { path: 'm.gguf', threads: 0 } } }, 'models.a.threads must be "auto" or an integer ≥ 1, got 0'],
    ['typo in model', { models: { a: { url: 'http://x', samplng: {} } } }, 'unknown key models.a.samplng (known: url, path, api, maxParallel, sampling, threads, contextSize, gpu)'],
    ['typos in sampling', { models: { a: { url: 'http://x', sampling: { temprature: 1, topk: 2 } } } }, 'unknown keys models.a.sampling.temprature, models.a.sampling.topk (known:'],
    ['sampling not object', { models: { a: { url: 'http://x', sampling: 1 } } }, 'models.a.sampling must be an object, got 1'],
    ['negative temperature', { models: { a: { url: 'http://x', sampling: { temperature: -1 } } } }, 'models.a.sampling.temperature must be a number from 0 to 10, got -1'],
    ['top_p above 1', { models: { a: { url: 'http://x', sampling: { top_p: 2 } } } }, 'models.a.sampling.top_p must be a number from 0 to 1, got 2'],
    ['min_p string', { models: { a: { url: 'http://x', sampling: { min_p: '0.1' } } } }, 'models.a.sampling.min_p must be a number from 0 to 1, got "0.1"'],
    ['top_k fraction', { models: { a: { url: 'http://x', sampling: { top_k: 0.5 } } } }, 'models.a.sampling.top_k must be an integer ≥ 0, got 0.5'],
    ['seed too big', { models: { a: { url: 'http://x', sampling: { seed: 2 ** 33 } } } }, 'models.a.sampling.seed must be an integer from 0 to 4294967295, got 8589934592'],
    ['n_predict 0', { models: { a: { url: 'http://x', sampling: { n_predict: 0 } } } }, 'models.a.sampling.n_predict must be an integer ≥ 1, got 0'],
    ['stop a string', { models: { a: { url: 'http://x', sampling: { stop: '\n' } } } }, 'models.a.sampling.stop must be an array of strings, got "\\n"'],
    ['stop numbers', { models: { a: { url: 'http://x', sampling: { stop: [1] } } } }, 'models.a.sampling.stop must be an array of strings, got an array'],
    ['grammar empty', { models: { a: { url: 'http://x', sampling: { grammar: '' } } } }, 'models.a.sampling.grammar must be a non-empty string, got ""'],
    ['json_schema string', { models: { a: { url: 'http://x', sampling: { json_schema: 'x' } } } }, 'models.a.sampling.json_schema must be an object, got "x"'],
    ['n_probs negative', { models: { a: { url: 'http://x', sampling: { n_probs: -1 } } } }, 'models.a.sampling.n_probs must be an integer from 0 to 100, got -1'],
    ['cache_prompt string', { models: { a: { url: 'http://x', sampling: { cache_prompt: 'yes' } } } }, 'models.a.sampling.cache_prompt must be true or false, got "yes"'],
    ['id_slot negative', { models: { a: { url: 'http://x', sampling: { id_slot: -1 } } } }, 'models.a.sampling.id_slot must be an integer ≥ 0, got -1'],
    ['unknown default', { models: { a: { url: 'http://x' } }, defaultModel: 'b' }, 'defaultModel "b" is not a configured model (configured: a)'],
    ['theme number', { models: { a: { url: 'http://x' } }, theme: 3 }, 'theme must be a non-empty string, got 3'],
    ['datasets array', { models: { a: { url: 'http://x' } }, datasets: ['x'] }, 'datasets must be an object, got an array'],
    ['dataset path', { models: { a: { url: 'http://x' } }, datasets: { he: 1 } }, 'datasets.he must be a non-empty string, got 1'],
    ['gate typo', { models: { a: { url: 'http://x' } }, gate: { timeout: 1 } }, 'unknown key gate.timeout (known: timeoutMs, sandbox, memoryMb, processes, diskMb, cpuSeconds, maxParallel)'],
    ['gate timeout', { models: { a: { url: 'http://x' } }, gate: { timeoutMs: 0 } }, 'gate.timeoutMs must be an integer from 1 to 2147483647 ms, got 0'],
    ['gate timeout past what a timer can wait', { models: { a: { url: 'http://x' } }, gate: { timeoutMs: 2 ** 31 } }, 'gate.timeoutMs must be an integer from 1 to 2147483647 ms, got 2147483648'],
    ['gate sandbox', { models: { a: { url: 'http://x' } }, gate: { sandbox: 'auto' } }, 'gate.sandbox must be "bwrap" or "none", got "auto"'],
    ['gate limit', { models: { a: { url: 'http://x' } }, gate: { memoryMb: 0 } }, 'gate.memoryMb must be an integer ≥ 1, got 0'],
    ['temperature above the cap the command line shares', { models: { a: { url: 'http://x', sampling: { temperature: 11 } } } }, 'models.a.sampling.temperature must be a number from 0 to 10, got 11'],
    ['n_probs above the shared cap', { models: { a: { url: 'http://x', sampling: { n_probs: 101 } } } }, 'models.a.sampling.n_probs must be an integer from 0 to 100, got 101'],
  ];
  it.each(bad)('rejects %s with a message naming the field', async (_, json, expected) => {
    const message = await problem(json);
    const full = `slotbench.config.json: ${expected}`;
    expect(message.slice(0, full.length)).toBe(full);
    expect(message).not.toContain('\n');
  });
});
