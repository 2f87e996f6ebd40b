// Scripted model: a test double that answers each slot from a JSON script. Never chosen silently; always labelled.

import { readFile } from 'node:fs/promises';
import { UserError } from '../core/errors.js';
import type { ModelIdentity } from '../core/events.js';
import type { Completion, GenerateOptions, ModelInfo, ModelPort } from '../core/ports.js';
import type { ModelRequest } from '../core/sampling.js';

/** One scripted answer. */
export interface ScriptedAnswer {
  /** Slot name it answers (e.g. `implement`, `reindent`). */
  slot: string;
  /** The text the "model" generates, streamed in word-sized pieces. */
  text: string;
}

/** A script file: answers per slot, used in order; the last one repeats when a slot asks again. */
export interface ModelScript {
  /** Shown in session headers so nobody mistakes a scripted run for a real model's. */
  label?: string;
  answers: ScriptedAnswer[];
  /** Answers for one task id, used instead of `answers` when that task asks (evals over many tasks). */
  tasks?: Record<string, ScriptedAnswer[]>;
  /** Delay between tokens, for demos and for watching the TUI stream. */
  tokenDelayMs?: number;
}

export const SCRIPTED_LABEL = 'scripted model (test double): answers come from a script, not a model';

/** Word-ish pieces, roughly the size of real tokens, so streaming looks and counts like a model's. */
export function splitTokens(text: string): string[] {
  return text.match(/\s+|[A-Za-z_]+|\d+|[^\sA-Za-z_\d]/g) ?? [];
}

export class ScriptedModel implements ModelPort {
  readonly api = 'completion' as const;
  readonly maxParallel: number;
  readonly identity: ModelIdentity;
  private readonly used = new Map<string, number>();

  constructor(
    private readonly script: ModelScript,
    options: { name?: string; source?: string; maxParallel?: number } = {},
  ) {
    this.maxParallel = options.maxParallel ?? 4;
    this.identity = {
      name: options.name ?? 'scripted',
      kind: 'scripted',
      ...(options.source ? { location: options.source } : {}),
      fingerprint: 'scripted test double',
    };
  }

  async generate(request: ModelRequest, options: GenerateOptions): Promise<Completion> {
    const slot = options.slot?.name ?? 'implement';
    const answer = this.nextAnswer(slot, options.slot?.task);
    const started = performance.now();
    const pieces = splitTokens(answer.text).slice(0, request.sampling.n_predict);
    let text = '';
    let count = 0;
    for (const piece of pieces) {
      if (options.signal?.aborted) throw new UserError(`scripted slot ${slot} aborted`, 'aborted');
      if (this.script.tokenDelayMs) await delay(this.script.tokenDelayMs, options.signal);
      const stop = request.sampling.stop?.find((s) => (text + piece).includes(s));
      if (stop) {
        text = (text + piece).slice(0, (text + piece).indexOf(stop));
        return this.completion(text, count, 'word', started, stop);
      }
      text += piece;
      count++;
      options.onToken({ text: piece });
    }
    return this.completion(text, count, pieces.length >= request.sampling.n_predict ? 'limit' : 'eos', started);
  }

  async info(): Promise<ModelInfo> {
    return { healthy: true, status: 'scripted (test double)', modelFile: this.identity.location, totalSlots: this.maxParallel };
  }

  private nextAnswer(slot: string, task: string | undefined): ScriptedAnswer {
    const own = task !== undefined ? this.script.tasks?.[task] : undefined;
    const answers = (own ?? this.script.answers).filter((a) => a.slot === slot);
    if (answers.length === 0) {
      throw new UserError(`scripted model has no answer for slot "${slot}": add {"slot": "${slot}", "text": …} to the script`, 'no_answer');
    }
    const key = own ? `${task}\u0000${slot}` : slot;
    const n = this.used.get(key) ?? 0;
    this.used.set(key, n + 1);
    return answers[Math.min(n, answers.length - 1)];
  }

  private completion(text: string, tokenCount: number, stopType: string, started: number, stoppingWord?: string): Completion {
    const ms = performance.now() - started;
    return {
      text,
      tokenCount,
      stopType,
      ...(stoppingWord ? { stoppingWord } : {}),
      timings: {
        prompt_n: 0,
        prompt_ms: 0,
        prompt_per_second: 0,
        predicted_n: tokenCount,
        predicted_ms: ms,
        predicted_per_second: ms > 0 ? (tokenCount * 1000) / ms : 0,
      },
    };
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Load and validate a script file; errors name the file and field. */
export async function loadScript(path: string): Promise<ModelScript> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read model script ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    throw new UserError(`model script ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const script = data as Partial<ModelScript>;
  if (typeof script !== 'object' || script === null || !Array.isArray(script.answers)) {
    throw new UserError(`model script ${path}: "answers" must be a list of {"slot", "text"}`);
  }
  script.answers.forEach((answer, i) => {
    if (typeof answer?.slot !== 'string' || typeof answer?.text !== 'string') {
      throw new UserError(`model script ${path}: answers[${i}] needs string fields "slot" and "text"`);
    }
  });
  for (const [task, answers] of Object.entries(script.tasks ?? {})) {
    if (!Array.isArray(answers) || answers.some((a) => typeof a?.slot !== 'string' || typeof a?.text !== 'string')) {
      throw new UserError(`model script ${path}: tasks["${task}"] must be a list of {"slot", "text"}`);
    }
  }
  if (script.tokenDelayMs !== undefined && !(typeof script.tokenDelayMs === 'number' && script.tokenDelayMs >= 0)) {
    throw new UserError(`model script ${path}: "tokenDelayMs" must be a number ≥ 0`);
  }
  return script as ModelScript;
}
