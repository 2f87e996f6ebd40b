// Loads node-llama-cpp, a GGUF model and its context once per process; ports with the same settings share them.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { LlamaContextSequence, LlamaGrammar, LlamaModel } from 'node-llama-cpp';
import type { GpuChoice } from '../../config/config.js';
import { isUserError, UserError } from '../../core/errors.js';
import { backendLabel, firstLine, lastEngineLog, loadBinding, type Backend, type NodeLlamaCpp } from './binding.js';
import { checkFitsInMemory, checkGgufFile, shortSha256 } from './checks.js';
import { SequencePool } from './sequence-pool.js';
import { measureThreads, threadCandidates, type ThreadChoice } from './thread-choice.js';

/** What decides whether two ports can share one loaded engine. */
export interface EngineSettings {
  /** Absolute path of the GGUF file. */
  path: string;
  /** Tokens per sequence; absent = the model's training context, at most DEFAULT_MAX_CONTEXT. */
  contextSize?: number;
  /** Sequences served at once. */
  sequences: number;
  /** CPU threads per decode, or `auto` to measure the fastest count when the model loads. */
  threads: number | 'auto';
  gpu: GpuChoice;
}

/** One context sequence and its position, reported as the slot id. */
export interface Slot {
  index: number;
  sequence: LlamaContextSequence;
}

export interface Engine {
  readonly lib: NodeLlamaCpp;
  readonly model: LlamaModel;
  readonly slots: SequencePool<Slot>;
  /** Context size of one sequence, in tokens. */
  readonly nCtx: number;
  /** CPU threads per decode, and the rates they were chosen by when `auto`. */
  readonly threads: ThreadChoice;
  readonly backend: Backend;
  /** `<file name> sha256:<12 hex> / node-llama-cpp <version> <backend>`, e.g. `… 3.21.1 cpu`. */
  readonly fingerprint: string;
  readonly hasChatTemplate: boolean;
  /** GBNF grammar, parsed once per text. */
  grammar(gbnf: string): Promise<LlamaGrammar>;
  /** Grammar for a JSON schema, built once per schema. */
  jsonSchemaGrammar(schema: unknown): Promise<LlamaGrammar>;
}

const DEFAULT_MAX_CONTEXT = 4096;
/** Rough allowance for KV cache and compute buffers on top of the weights, for the pre-load memory check. */
const CONTEXT_OVERHEAD = (fileBytes: number): number => fileBytes / 10 + 64 * 2 ** 20;

let versionCache: string | undefined;

/** Version of the installed node-llama-cpp (its package.json is not in its exports map, so read it beside main). */
export function engineVersion(): string {
  if (versionCache === undefined) {
    const main = createRequire(import.meta.url).resolve('node-llama-cpp');
    const manifest = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string };
    versionCache = manifest.version;
  }
  return versionCache;
}

function loadFailure(lib: NodeLlamaCpp, what: string, error: unknown): UserError {
  if (isUserError(error)) return error;
  if (error instanceof lib.InsufficientMemoryError) {
    return new UserError(`not enough memory for ${what}: use a smaller model or a smaller contextSize`, 'out_of_memory');
  }
  const log = lastEngineLog();
  const detail = log ? ` (llama.cpp: ${log})` : '';
  return new UserError(`could not load ${what}: ${firstLine(error)}${detail}`, 'load_failed');
}

async function loadEngine(settings: EngineSettings, modelName: string, onProgress: (message: string) => void): Promise<Engine> {
  const { path } = settings;
  const fileName = basename(path);
  const size = await checkGgufFile(path, modelName);
  checkFitsInMemory(path, size, CONTEXT_OVERHEAD(size));
  onProgress(`loading ${fileName} 0%`);
  const [{ lib, llama, backend: binary }, sha] = await Promise.all([loadBinding(settings.gpu), shortSha256(path)]);
  let shown = 0;
  let model: LlamaModel;
  try {
    model = await llama.loadModel({
      modelPath: path,
      gpuLayers: settings.gpu === false ? 0 : 'auto',
      onLoadProgress: (fraction) => {
        const percent = Math.floor(fraction * 100);
        if (percent > shown) {
          shown = percent;
          onProgress(`loading ${fileName} ${percent}%`);
        }
      },
    });
  } catch (error) {
    throw loadFailure(lib, fileName, error);
  }
  const backend: Backend = model.gpuLayers > 0 ? { ...binary, gpuLayers: model.gpuLayers } : { type: 'cpu', devices: [] };
  const contextSize = settings.contextSize ?? Math.min(model.trainContextSize, DEFAULT_MAX_CONTEXT);
  let context;
  let threads: ThreadChoice;
  try {
    threads =
      settings.threads === 'auto'
        ? await measureThreads(model, threadCandidates(llama.cpuMathCores))
        : { threads: settings.threads, measured: [] };
    context = await model.createContext({
      contextSize,
      sequences: settings.sequences,
      threads: threads.threads,
      // On the tiny model flash attention took 13 % of CPU samples and interleaved runs were 4–30 % slower with it.
      flashAttention: false,
      failedCreationRemedy: false,
    });
  } catch (error) {
    await model.dispose();
    throw loadFailure(lib, `a context of ${contextSize} tokens × ${settings.sequences} for ${fileName}`, error);
  }
  const slots = Array.from({ length: settings.sequences }, (_, index) => ({ index, sequence: context.getSequence() }));
  const grammars = new Map<string, Promise<LlamaGrammar>>();
  const cached = (key: string, make: () => Promise<LlamaGrammar>): Promise<LlamaGrammar> => {
    let grammar = grammars.get(key);
    if (grammar === undefined) {
      grammar = make().catch((error: unknown) => {
        grammars.delete(key);
        throw new UserError(`grammar rejected by llama.cpp (${firstLine(error)}): check the GBNF text of the request`, 'bad_grammar');
      });
      grammars.set(key, grammar);
    }
    return grammar;
  };
  return {
    lib,
    model,
    slots: new SequencePool(slots),
    nCtx: context.contextSize,
    threads,
    backend,
    fingerprint: `${fileName} sha256:${sha} / node-llama-cpp ${engineVersion()} ${backendLabel(backend)}`,
    hasChatTemplate: typeof model.fileInfo.metadata.tokenizer?.chat_template === 'string',
    grammar: (gbnf) => cached(`gbnf:${gbnf}`, () => llama.createGrammar({ grammar: gbnf })),
    jsonSchemaGrammar: (schema) =>
      cached(`json:${JSON.stringify(schema)}`, () => llama.createGrammarForJsonSchema(schema as never)),
  };
}

interface Shared {
  engine: Promise<Engine>;
  users: number;
}

const shared = new Map<string, Shared>();

function keyOf(settings: EngineSettings): string {
  return JSON.stringify([settings.path, settings.contextSize ?? null, settings.sequences, settings.threads, settings.gpu]);
}

/** The loaded engine for these settings, loading it on first use; each call must be paired with releaseEngine. */
export function acquireEngine(settings: EngineSettings, modelName: string, onProgress: (message: string) => void): Promise<Engine> {
  const key = keyOf(settings);
  let entry = shared.get(key);
  if (entry === undefined) {
    const engine = loadEngine(settings, modelName, onProgress);
    const created: Shared = { engine, users: 0 };
    entry = created;
    shared.set(key, created);
    // A failed load is forgotten, so the next call tries again (after the file was fixed, say).
    engine.catch(() => {
      if (shared.get(key) === created) shared.delete(key);
    });
  }
  entry.users++;
  return entry.engine;
}

/** Drops one user; the last one frees the context and the weights. */
export async function releaseEngine(settings: EngineSettings): Promise<void> {
  const key = keyOf(settings);
  const entry = shared.get(key);
  if (entry === undefined) return;
  entry.users--;
  if (entry.users > 0) return;
  shared.delete(key);
  const engine = await entry.engine.catch(() => undefined);
  await engine?.model.dispose();
}
