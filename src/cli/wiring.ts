// Composition root shared by commands: config → model registry (real, embedded or scripted), gate, parser, problem.

import { basename, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import type { CodeParser, GatePort, ModelPort, ModelRegistry } from '../core/ports.js';
import { DEFAULT_SAMPLING, type Sampling } from '../core/sampling.js';
import { loadConfig, type Config, type GateConfig } from '../config/config.js';
import { createEmbeddedModel } from '../model/embedded/index.js';
import { createRegistry } from '../model/registry.js';
import { cliModelFactories } from './model-factories.js';
import { numberOption } from './numbers.js';
import { loadScript, SCRIPTED_LABEL, ScriptedModel } from '../model/scripted.js';
import { createPythonGate } from '../tools/gate.js';
import { loadPythonParser } from '../tools/python-parser.js';

export interface RunChoice {
  temperature?: string;
  seed?: string;
  attempts?: string;
  'n-probs'?: string;
}

/** Sampling and retry budget from the command line over the model's configured defaults (bounds as in the config). */
export function runSettings(values: RunChoice, base: Sampling): { sampling: Sampling; attempts: number } {
  const temperature = numberOption(values.temperature, '--temperature', LIMITS.temperature);
  const seed = numberOption(values.seed, '--seed', LIMITS.seed);
  const attempts = numberOption(values.attempts, '--attempts', LIMITS.attempts) ?? 1;
  const nProbs = numberOption(values['n-probs'], '--n-probs', LIMITS.nProbs);
  const sampling = { ...base };
  if (temperature !== undefined) sampling.temperature = temperature;
  if (seed !== undefined) sampling.seed = seed;
  if (nProbs !== undefined) sampling.n_probs = nProbs;
  return { sampling, attempts };
}

export interface ModelChoice {
  config?: string;
  model?: string;
  'model-script'?: string;
  'model-file'?: string;
}

export interface Wiring {
  config: Config;
  models: ModelRegistry;
  /** The model the run starts on. */
  modelName: string;
  /** Set when the model is a test double. */
  label?: string;
  /** Sampling from the chosen model's config over the defaults. */
  sampling: Sampling;
  gateTimeoutMs: number;
}

/** Registry with extra models (scripted, --model-file) in front of the configured ones. */
function overlay(base: ModelRegistry, extra: Map<string, ModelPort>): ModelRegistry {
  return {
    get: (name) => extra.get(name) ?? base.get(name),
    names: () => [...extra.keys(), ...base.names().filter((n) => !extra.has(n))],
  };
}

export async function wireModels(choice: ModelChoice, cwd: string, onProgress?: (message: string) => void): Promise<Wiring> {
  const config = await loadConfig(cwd, choice.config);
  const base = createRegistry(config, cliModelFactories(onProgress));
  const extra = new Map<string, ModelPort>();
  let modelName = choice.model ?? config.defaultModel ?? Object.keys(config.models)[0];
  let label: string | undefined;

  if (choice['model-script'] && choice['model-file']) {
    throw new UserError('--model-script and --model-file exclude each other: choose one');
  }
  if (choice['model-script']) {
    const path = resolve(cwd, choice['model-script']);
    const script = await loadScript(path);
    modelName = choice.model && choice.model !== 'scripted' ? `scripted:${choice.model}` : 'scripted';
    extra.set(modelName, new ScriptedModel(script, { name: modelName, source: path }));
    label = script.label ?? SCRIPTED_LABEL;
  } else if (choice['model-file']) {
    const path = resolve(cwd, choice['model-file']);
    modelName = basename(path).replace(/\.gguf$/i, '');
    extra.set(modelName, createEmbeddedModel(modelName, { path, onProgress }));
  }
  const models = overlay(base, extra);
  models.get(modelName);
  const configured = config.models[modelName]?.sampling ?? {};
  return {
    config,
    models,
    modelName,
    label,
    sampling: { ...DEFAULT_SAMPLING, ...configured },
    gateTimeoutMs: config.gate.timeoutMs ?? 10_000,
  };
}

/**
 * Check the start model answers before a run: a dead server or a bad GGUF is bad input, said in one line.
 * For the embedded engine this loads the weights, so the session header gets the model's fingerprint.
 */
export async function requireHealthy(model: ModelPort): Promise<void> {
  if (model.identity.kind === 'scripted' || model.identity.kind === 'replay') return;
  const info = await model.info();
  // A server still loading answers once it is done; the client waits for it with bounded backoff.
  if (!info.healthy && !info.loading) throw new UserError(info.status);
}

/**
 * The gate (sandbox and limits from `--sandbox` over the config's `gate` block) and the parser. Without a working
 * bwrap this refuses, in one line, unless the person chose `--sandbox none` (or `gate.sandbox: "none"`).
 */
export async function wireTools(choice: { sandbox?: string } = {}, gate: GateConfig = {}): Promise<{ gate: GatePort; parser: CodeParser }> {
  if (choice.sandbox !== undefined && choice.sandbox !== 'bwrap' && choice.sandbox !== 'none') {
    throw new UserError(`--sandbox must be bwrap or none, got "${choice.sandbox}"`);
  }
  const { timeoutMs: _timeout, sandbox, ...limits } = gate;
  const options = { ...limits, sandbox: (choice.sandbox as 'bwrap' | 'none' | undefined) ?? sandbox ?? 'bwrap' };
  const [created, parser] = await Promise.all([createPythonGate(options), loadPythonParser()]);
  return { gate: created, parser };
}

/** `--timeout-ms`: whole milliseconds below 2^31, past which Node's timers fire at once. */
export function timeoutOption(value: string | undefined): number | undefined {
  return numberOption(value, '--timeout-ms', LIMITS.timeoutMs);
}

/**
 * `--flow-opt KEY=VALUE` values: the flow's options, checked against the flow's list (by the engine), and
 * `attempts=N`, which is the run's retry budget like `--attempts N`.
 */
export function flowOptions(pairs: string[]): { options: Record<string, string>; attempts?: string } {
  const options: Record<string, string> = {};
  let attempts: string | undefined;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0 || eq === pair.length - 1) throw new UserError(`--flow-opt takes KEY=VALUE, got "${pair}"`, 'usage');
    const [key, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
    if (key === 'attempts') attempts = value;
    else options[key] = value;
  }
  return { options, ...(attempts !== undefined ? { attempts } : {}) };
}

/** A dataset named in the config, else a path relative to the working directory. */
export function datasetPath(value: string, config: Config, cwd: string): string {
  return config.datasets[value] ?? resolve(cwd, value);
}
