// slotbench.config.json: which models exist and how to reach them, read strictly so that typos fail loudly.

import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { Sampling } from '../core/sampling.js';
import { Checker, shown, type JsonObject } from './checker.js';

/** File looked for in the working directory when no `--config` is given. */
const CONFIG_FILE = 'slotbench.config.json';

/** Used when there is no config file: one llama-server on its default port. */
const DEFAULT_MODEL_URL = 'http://127.0.0.1:8080';

/** Compute backend of the embedded engine: `auto` picks the best GPU binary with a device present, `false` the CPU. */
export type GpuChoice = 'auto' | 'cuda' | 'vulkan' | 'metal' | false;

/** GPU backends a config may name. */
export const GPU_BACKENDS = ['auto', 'cuda', 'vulkan', 'metal'] as const;

/** One configured model: a running llama-server (`url`) or a GGUF file for the embedded engine (`path`). */
export interface ModelConfig {
  /** Base URL of a llama-server, http or https, without trailing slash. Exactly one of `url` and `path` is set. */
  url?: string;
  /** GGUF file for the embedded engine, absolute (a relative path in the file is resolved against the file's folder). */
  path?: string;
  /** Wire API: `completion` sends the raw prompt (default), `chat` lets the server apply the chat template. */
  api: 'completion' | 'chat';
  /** Requests sent at once. Absent means 1, unless the CLI learns the server's slot count from /props. */
  maxParallel?: number;
  /** Sampling defaults of this model, applied over the built-in defaults. */
  sampling: Partial<Sampling>;
  /** CPU threads of the embedded engine; absent or `auto`: the fastest count, measured when the model loads. */
  threads?: number | 'auto';
  /** Compute backend of the embedded engine (default `auto`). */
  gpu?: GpuChoice;
  /** Context size in tokens of the embedded engine. */
  contextSize?: number;
}

/** The whole configuration, defaults filled in. */
export interface Config {
  /** Absolute path of the file read; absent when there was none and the defaults are in force. */
  file?: string;
  /** Models by name (letters, digits, `.`, `_`, `-`). */
  models: Record<string, ModelConfig>;
  /** Model used when none is named: as configured, else the first model. */
  defaultModel: string;
  /** Colour theme of the TUI, by name. */
  theme?: string;
  /** Problem sets by name → file; relative paths resolved against the config file's folder. */
  datasets: Record<string, string>;
  /** Test gate settings. */
  gate: GateConfig;
}

/** The `gate` block: how model code is run and judged. */
export interface GateConfig {
  /** Wall-clock limit of one test run in milliseconds (below 2^31: Node's timers overflow past it). */
  timeoutMs?: number;
  /** `bwrap` (the default) sandboxes model code and refuses to run without it; `none` runs it unsandboxed. */
  sandbox?: 'bwrap' | 'none';
  /** Memory of a whole test run in MiB. */
  memoryMb?: number;
  /** Processes and threads a test run may have at once. */
  processes?: number;
  /** MiB a test run may write (its private /tmp, and any one file). */
  diskMb?: number;
  /** CPU seconds of each test process (default: the timeout plus one second). */
  cpuSeconds?: number;
  /** Test runs at once (default: the CPU cores). */
  maxParallel?: number;
}

const TOP_KEYS = ['models', 'defaultModel', 'theme', 'datasets', 'gate'] as const;
const MODEL_KEYS = ['url', 'path', 'api', 'maxParallel', 'sampling', 'threads', 'contextSize', 'gpu'] as const;
const SAMPLING_KEYS = [
  'temperature',
  'top_k',
  'top_p',
  'min_p',
  'seed',
  'n_predict',
  'stop',
  'grammar',
  'json_schema',
  'n_probs',
  'cache_prompt',
  'id_slot',
] as const satisfies ReadonlyArray<keyof Sampling>;

/**
 * Reads `explicitPath` (which must exist) or `slotbench.config.json` in `cwd` (optional: without it one model
 * `local` at http://127.0.0.1:8080). Throws a UserError naming the file, the field and the problem.
 */
export async function loadConfig(cwd: string, explicitPath?: string): Promise<Config> {
  const file = resolve(cwd, explicitPath ?? CONFIG_FILE);
  const fromCwd = relative(cwd, file);
  const label = fromCwd.startsWith('..') || isAbsolute(fromCwd) ? file : fromCwd;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && explicitPath === undefined) return defaultConfig();
    if (code === 'ENOENT') throw new UserError(`config file not found: ${label}`, 'config');
    throw new UserError(`cannot read ${label}: ${code ?? String(error)}`, 'config');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${label}: not valid JSON (${(error as Error).message.replace(/\s*\n\s*/g, ' ')})`, 'config');
  }
  return { file, ...parseConfig(json, new Checker(label), dirname(file)) };
}

function defaultConfig(): Config {
  return {
    models: { local: { url: DEFAULT_MODEL_URL, api: 'completion', sampling: {} } },
    defaultModel: 'local',
    datasets: {},
    gate: {},
  };
}

function parseConfig(json: unknown, check: Checker, baseDir: string): Omit<Config, 'file'> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    check.fail(`must hold a JSON object, got ${shown(json)}`);
  }
  const top = json as JsonObject;
  check.keys(top, TOP_KEYS, '');
  const modelsJson = check.object(top.models, 'models');
  const names = Object.keys(modelsJson);
  if (names.length === 0) check.fail('models must name at least one model');
  const models: Record<string, ModelConfig> = {};
  for (const name of names) {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) {
      check.fail(`model name ${shown(name)} may hold only letters, digits, ".", "_" and "-"`);
    }
    models[name] = parseModel(modelsJson[name], `models.${name}`, check, baseDir);
  }
  let defaultModel = names[0];
  if (top.defaultModel !== undefined) {
    defaultModel = check.string(top.defaultModel, 'defaultModel');
    if (!(defaultModel in models)) {
      check.fail(`defaultModel ${shown(defaultModel)} is not a configured model (configured: ${names.join(', ')})`);
    }
  }
  const config: Omit<Config, 'file'> = { models, defaultModel, datasets: {}, gate: {} };
  if (top.theme !== undefined) config.theme = check.string(top.theme, 'theme');
  if (top.datasets !== undefined) {
    const datasets = check.object(top.datasets, 'datasets');
    for (const [name, path] of Object.entries(datasets)) {
      config.datasets[name] = resolve(baseDir, check.string(path, `datasets.${name}`));
    }
  }
  if (top.gate !== undefined) {
    const gate = check.object(top.gate, 'gate');
    check.keys(gate, ['timeoutMs', 'sandbox', 'memoryMb', 'processes', 'diskMb', 'cpuSeconds', 'maxParallel'], 'gate');
    if (gate.timeoutMs !== undefined) config.gate.timeoutMs = check.ruled(gate.timeoutMs, 'gate.timeoutMs', LIMITS.timeoutMs);
    if (gate.sandbox !== undefined) config.gate.sandbox = check.oneOf(gate.sandbox, 'gate.sandbox', ['bwrap', 'none'] as const);
    for (const key of ['memoryMb', 'processes', 'diskMb', 'cpuSeconds', 'maxParallel'] as const) {
      if (gate[key] !== undefined) config.gate[key] = check.integer(gate[key], `gate.${key}`, 1);
    }
  }
  return config;
}

function parseModel(value: unknown, where: string, check: Checker, baseDir: string): ModelConfig {
  const json = check.object(value, where);
  check.keys(json, MODEL_KEYS, where);
  if ((json.url === undefined) === (json.path === undefined)) {
    check.fail(`${where} must have exactly one of "url" (a running llama-server) and "path" (a GGUF file)`);
  }
  const model: ModelConfig = { api: 'completion', sampling: {} };
  if (json.url !== undefined) {
    model.url = parseUrl(json.url, `${where}.url`, check);
    for (const key of ['threads', 'contextSize', 'gpu'] as const) {
      if (json[key] !== undefined) {
        check.fail(`${where}.${key} applies only to a GGUF "path" model, not to a llama-server "url"`);
      }
    }
  } else {
    model.path = resolve(baseDir, check.string(json.path, `${where}.path`));
  }
  if (json.api !== undefined) model.api = check.oneOf(json.api, `${where}.api`, ['completion', 'chat'] as const);
  if (json.maxParallel !== undefined) model.maxParallel = check.integer(json.maxParallel, `${where}.maxParallel`, 1);
  if (json.threads !== undefined) model.threads = parseThreads(json.threads, `${where}.threads`, check);
  if (json.gpu !== undefined) {
    if (json.gpu !== false && !GPU_BACKENDS.includes(json.gpu as never)) {
      check.fail(`${where}.gpu must be ${GPU_BACKENDS.map((g) => `"${g}"`).join(', ')} or false, got ${shown(json.gpu)}`);
    }
    model.gpu = json.gpu as GpuChoice;
  }
  if (json.contextSize !== undefined) model.contextSize = check.integer(json.contextSize, `${where}.contextSize`, 1);
  if (json.sampling !== undefined) model.sampling = parseSampling(json.sampling, `${where}.sampling`, check);
  return model;
}

function parseThreads(value: unknown, where: string, check: Checker): number | 'auto' {
  if (value === 'auto') return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) check.fail(`${where} must be "auto" or an integer ≥ 1, got ${shown(value)}`);
  return value;
}

function parseUrl(value: unknown, where: string, check: Checker): string {
  let url: URL | undefined;
  try {
    url = new URL(check.string(value, where));
  } catch (error) {
    if (error instanceof UserError) throw error;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    check.fail(`${where} must be an http(s) URL, got ${shown(value)}`);
  }
  return url.href.replace(/\/+$/, '');
}

function parseSampling(value: unknown, where: string, check: Checker): Partial<Sampling> {
  const json = check.object(value, where);
  check.keys(json, SAMPLING_KEYS, where);
  const sampling: Partial<Sampling> = {};
  const at = (key: string) => `${where}.${key}`;
  if (json.temperature !== undefined) sampling.temperature = check.ruled(json.temperature, at('temperature'), LIMITS.temperature);
  if (json.top_k !== undefined) sampling.top_k = check.integer(json.top_k, at('top_k'), 0);
  if (json.top_p !== undefined) sampling.top_p = check.number(json.top_p, at('top_p'), 0, 1);
  if (json.min_p !== undefined) sampling.min_p = check.number(json.min_p, at('min_p'), 0, 1);
  if (json.seed !== undefined) sampling.seed = check.ruled(json.seed, at('seed'), LIMITS.seed);
  if (json.n_predict !== undefined) sampling.n_predict = check.integer(json.n_predict, at('n_predict'), 1);
  if (json.stop !== undefined) sampling.stop = check.strings(json.stop, at('stop'));
  if (json.grammar !== undefined) sampling.grammar = check.string(json.grammar, at('grammar'));
  if (json.json_schema !== undefined) sampling.json_schema = check.object(json.json_schema, at('json_schema'));
  if (json.n_probs !== undefined) sampling.n_probs = check.ruled(json.n_probs, at('n_probs'), LIMITS.nProbs);
  if (json.cache_prompt !== undefined) sampling.cache_prompt = check.boolean(json.cache_prompt, at('cache_prompt'));
  if (json.id_slot !== undefined) sampling.id_slot = check.integer(json.id_slot, at('id_slot'), 0);
  return sampling;
}
