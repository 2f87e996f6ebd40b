// The embedded engine: a ModelPort that runs a GGUF model in-process on node-llama-cpp, for when no llama-server runs.

import { resolve } from 'node:path';
import type { GpuChoice } from '../../config/config.js';
import { isUserError, oneLine, UserError } from '../../core/errors.js';
import type { ModelIdentity } from '../../core/events.js';
import type { Completion, GenerateOptions, ModelInfo, ModelPort } from '../../core/ports.js';
import type { ModelRequest } from '../../core/sampling.js';
import { backendLabel } from './binding.js';
import { acquireEngine, engineVersion, releaseEngine, type Engine, type EngineSettings } from './engine.js';
import { generate } from './generate.js';
import { plural } from '../../text/plural.js';

export interface EmbeddedModelOptions {
  /** GGUF file (relative paths are resolved against the working directory). */
  path: string;
  /** `chat` renders request messages with the model's chat template (ChatML when it has none). */
  api?: 'completion' | 'chat';
  /** Requests served at once, one context sequence each (default 1); more wait in line. */
  maxParallel?: number;
  /** CPU threads per decode; `auto` (default) times generation at 1, 2, 4 … cores threads on load and keeps the fastest. */
  threads?: number | 'auto';
  /** Compute backend: `auto` (default) uses a GPU when its binary and a device are present, `false` the CPU only. */
  gpu?: GpuChoice;
  /** Context size of each sequence in tokens (default: the model's training context, at most 4096). */
  contextSize?: number;
  /** Loading progress for a person, e.g. "loading stories260K.gguf 45%". */
  onProgress?: (message: string) => void;
}

/** `promise`, or a rejection with code 'aborted' as soon as `signal` fires (the work itself goes on, shared). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, message: string): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new UserError(message, 'aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function positiveInteger(value: number | undefined, fallback: number, what: string, modelName: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new UserError(`${what} of model "${modelName}" must be a whole number ≥ 1, not ${value}`, 'bad_config');
  }
  return value;
}

class EmbeddedModel implements ModelPort {
  readonly api: 'completion' | 'chat';
  readonly maxParallel: number;
  private readonly settings: EngineSettings;
  private engine: Promise<Engine> | undefined;
  private loaded: Engine | undefined;
  /** Callers waiting for the load (generate's onNotice), told its progress too. */
  private readonly waiting = new Set<(message: string) => void>();

  constructor(
    private readonly name: string,
    private readonly options: EmbeddedModelOptions,
  ) {
    this.api = options.api ?? 'completion';
    this.maxParallel = positiveInteger(options.maxParallel, 1, 'maxParallel', name);
    this.settings = {
      path: resolve(options.path),
      sequences: this.maxParallel,
      threads: options.threads === 'auto' || options.threads === undefined ? 'auto' : positiveInteger(options.threads, 1, 'threads', name),
      gpu: options.gpu ?? 'auto',
      ...(options.contextSize !== undefined ? { contextSize: positiveInteger(options.contextSize, 0, 'contextSize', name) } : {}),
    };
  }

  /** The fingerprint (file hash, engine version) appears once the model has loaded. */
  get identity(): ModelIdentity {
    const identity: ModelIdentity = { name: this.name, kind: 'embedded', location: this.settings.path };
    if (this.loaded) identity.fingerprint = this.loaded.fingerprint;
    return identity;
  }

  private load(): Promise<Engine> {
    if (this.engine === undefined) {
      const progress = (message: string): void => {
        this.options.onProgress?.(message);
        for (const listener of this.waiting) listener(message);
      };
      const engine = acquireEngine(this.settings, this.name, progress);
      this.engine = engine;
      engine.then(
        (loaded) => {
          this.loaded = loaded;
        },
        () => {
          // Let the next call try again; the failed attempt holds no resources.
          if (this.engine === engine) this.engine = undefined;
        },
      );
    }
    return this.engine;
  }

  async generate(request: ModelRequest, options: GenerateOptions): Promise<Completion> {
    const aborted = `generation on ${this.name} was aborted`;
    if (options.signal?.aborted) throw new UserError(aborted, 'aborted');
    const notice = options.onNotice;
    if (this.loaded === undefined && notice) this.waiting.add(notice);
    try {
      // A big model loads for seconds; an abort meanwhile answers at once and leaves the load to finish for later.
      const engine = await unlessAborted(this.load(), options.signal, aborted);
      return await generate(engine, this.name, this.api, request, options);
    } finally {
      if (notice) this.waiting.delete(notice);
    }
  }

  async info(): Promise<ModelInfo> {
    const build = `node-llama-cpp ${engineVersion()}`;
    try {
      const engine = await this.load();
      return {
        healthy: true,
        status: 'ready',
        modelFile: this.settings.path,
        nCtx: engine.nCtx,
        totalSlots: this.maxParallel,
        hasChatTemplate: engine.hasChatTemplate,
        build: `${build} ${backendLabel(engine.backend)}, ${threadsText(engine)}`,
        backend: backendLabel(engine.backend),
      };
    } catch (error) {
      if (!isUserError(error)) throw error;
      return { healthy: false, status: oneLine(error), modelFile: this.settings.path, totalSlots: this.maxParallel, build };
    }
  }

  /** Tokens of `text` as a prompt is tokenized, without the BOS token. */
  async tokenize(text: string): Promise<number[]> {
    const engine = await this.load();
    return engine.model.tokenize(text, true);
  }

  async close(): Promise<void> {
    const engine = this.engine;
    if (engine === undefined) return;
    this.engine = undefined;
    this.loaded = undefined;
    if (await engine.then(() => true, () => false)) await releaseEngine(this.settings);
  }
}

/** `2 threads (measured: 1 → 97, 2 → 120 tokens/s)`, or `2 threads (configured)`. */
function threadsText({ threads }: Engine): string {
  const count = plural(threads.threads, 'thread');
  if (threads.measured.length === 0) return `${count} (configured)`;
  return `${count} (measured: ${threads.measured.map((r) => `${r.threads} → ${rateText(r.tokensPerSecond)}`).join(', ')} tokens/s)`;
}

/** Whole tokens/s, but two significant digits below 10: a machine stalled under load must not read as 0 tokens/s. */
function rateText(tokensPerSecond: number): string {
  return tokensPerSecond >= 10 ? String(Math.round(tokensPerSecond)) : String(Number(tokensPerSecond.toPrecision(2)));
}

/** A model port on node-llama-cpp; nothing is loaded until the first generate() or info(). */
export function createEmbeddedModel(name: string, options: EmbeddedModelOptions): ModelPort {
  return new EmbeddedModel(name, options);
}
