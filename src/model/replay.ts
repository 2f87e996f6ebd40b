// Replay model: answers each slot from a recorded session (same tokens, logprobs, timings); refuses or hands over where the run asks something new.

import { UserError } from '../core/errors.js';
import type { ModelIdentity } from '../core/events.js';
import type { Completion, GenerateOptions, ModelInfo, ModelPort } from '../core/ports.js';
import type { ModelRequest } from '../core/sampling.js';
import { firstTextDifference, samplingDifference } from '../session/compare.js';
import { branchCalls, recordedRun, slotLabel, type RecordedSlot, type SessionLike } from '../session/recorded.js';

export interface ReplayOptions {
  /** Live model that answers from the first request the recording cannot (a note says so); without it, that request fails. */
  fallback?: ModelPort;
  /** Branch of the recording to answer from, with its inherited prefix (default 0, the original run). */
  branch?: number;
  /**
   * Resuming, not replaying: calls that ended in an error (aborted, server gone) are asked again of the fallback,
   * and the model speaks as the fallback, whose run this becomes.
   */
  resume?: boolean;
}

/** Label for sessions answered by a replay, so nobody mistakes them for a model's run. */
export function replayLabel(source: SessionLike, fallback?: string): string {
  const live = fallback ? `; live model ${fallback} after the first divergence` : '';
  return `replay of recorded answers from session ${source.header.sessionId} (${source.header.model.name})${live}`;
}

export class ReplayModel implements ModelPort {
  readonly identity: ModelIdentity;
  readonly api: 'completion' | 'chat';
  readonly maxParallel: number;
  private readonly calls = new Map<string, RecordedSlot & { endedIn?: string }>();
  private readonly fallback?: ModelPort;
  private divergedAt?: string;
  private readonly resumes: boolean;

  constructor(
    private readonly source: SessionLike,
    options: ReplayOptions = {},
  ) {
    for (const slot of branchCalls(recordedRun(source.events), options.branch ?? 0)) {
      this.calls.set(keyOf(slot), options.resume && slot.error ? { ...slot, tokens: [], error: undefined, endedIn: slot.error.code } : slot);
    }
    this.fallback = options.fallback;
    this.resumes = options.resume === true;
    const recorded = source.header.model;
    this.identity = options.resume && options.fallback ? options.fallback.identity : {
      name: 'replay',
      kind: 'replay',
      ...(source.path ? { location: source.path } : {}),
      fingerprint: `replay of ${source.header.sessionId}: ${recorded.name} (${recorded.kind}${recorded.fingerprint ? `, ${recorded.fingerprint}` : ''})`,
    };
    this.api = (options.resume ? options.fallback?.api : undefined) ?? [...this.calls.values()][0]?.api ?? 'completion';
    this.maxParallel = options.fallback?.maxParallel ?? 4;
  }

  /** Why the replay handed over to the live model, once it has. */
  get divergence(): string | undefined {
    return this.divergedAt;
  }

  async generate(request: ModelRequest, options: GenerateOptions): Promise<Completion> {
    if (this.divergedAt && this.fallback) return this.fallback.generate(request, options);
    const slot = options.slot;
    const recorded = slot && this.calls.get(keyOf(slot));
    const mismatch = !slot ? 'the request names no slot' : !recorded ? this.missing(slot) : requestMismatch(recorded, request);
    if (mismatch) {
      const where = slot ? `slot ${slotLabel(slot)}` : 'replay';
      if (!this.fallback) throw new UserError(`${where}: ${mismatch}`, 'not_recorded');
      this.divergedAt = `${where}: ${mismatch}`;
      options.onNotice?.(`${this.divergedAt}; answering with live model ${this.fallback.identity.name} from here on`);
      return this.fallback.generate(request, options);
    }
    return stream(recorded!, options);
  }

  async info(): Promise<ModelInfo> {
    // A resumed run's health is its live model's: that is what answers once the recording runs out.
    if (this.resumes && this.fallback) return this.fallback.info();
    return {
      healthy: true,
      status: `replay of session ${this.source.header.sessionId} (${this.calls.size} recorded calls)`,
      modelFile: this.source.path,
    };
  }

  async close(): Promise<void> {
    await this.fallback?.close?.();
  }

  private missing(slot: NonNullable<GenerateOptions['slot']>): string {
    if (this.resumes) return 'the recording stops before this call';
    const recorded = [...this.calls.values()].map((s) => `${s.name} #${s.ordinal}`);
    const shown = recorded.length > 6 ? [...recorded.slice(0, 6), '…'] : recorded;
    return `the recording has no call ${slot.name} #${slot.ordinal} in attempt ${slot.attempt} (it recorded ${shown.join(', ') || 'no calls'})`;
  }
}

function keyOf(slot: { name: string; ordinal: number; attempt: number }): string {
  return `${slot.name}\0${slot.ordinal}\0${slot.attempt}`;
}

/** Why a recorded call does not answer this request, or undefined when it does. */
function requestMismatch(recorded: RecordedSlot & { endedIn?: string }, request: ModelRequest): string | undefined {
  if (!recorded.request) return 'the recording has no request for this call';
  const prompt = firstTextDifference(recorded.request.prompt, request.prompt);
  if (prompt) return `the prompt differs from the recording at char ${prompt.offset} (recorded ${JSON.stringify(prompt.a)}, now ${JSON.stringify(prompt.b)})`;
  if (JSON.stringify(recorded.request.messages) !== JSON.stringify(request.messages)) return 'the chat messages differ from the recording';
  const param = samplingDifference(recorded.request.sampling, request.sampling);
  if (param) return `sampling ${param.param} differs from the recording (recorded ${show(param.a)}, now ${show(param.b)})`;
  if (recorded.endedIn) return `the recorded call ended in an error (${recorded.endedIn}), so it is asked again`;
  if (!recorded.output && !recorded.error) return 'the recording ends before this call finished';
  return undefined;
}

function show(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}

async function stream(recorded: RecordedSlot, options: GenerateOptions): Promise<Completion> {
  for (const token of recorded.tokens) {
    if (options.signal?.aborted) throw new UserError(`replayed slot ${recorded.name} aborted`, 'aborted');
    options.onToken({
      text: token.text,
      ...(token.logprob !== undefined ? { logprob: token.logprob } : {}),
      ...(token.top ? { top: token.top } : {}),
    });
  }
  if (recorded.error) throw new UserError(recorded.error.message, recorded.error.code);
  const { text, tokenCount, stopType, stoppingWord, timings, tokensCached, generationSettings, idSlot } = recorded.output!;
  return {
    text,
    tokenCount,
    stopType,
    ...(stoppingWord !== undefined ? { stoppingWord } : {}),
    ...(timings ? { timings } : {}),
    ...(tokensCached !== undefined ? { tokensCached } : {}),
    ...(generationSettings ? { generationSettings } : {}),
    ...(idSlot !== undefined ? { idSlot } : {}),
  };
}
