// llama-server wire format: request bodies out, streamed chunks → tokens and a Completion back (no I/O here).

import { UserError } from '../../core/errors.js';
import type { Timings, TokenAlternative } from '../../core/events.js';
import type { Completion, StreamedToken } from '../../core/ports.js';
import type { ModelRequest, Sampling } from '../../core/sampling.js';
import { SSE_DONE } from '../sse.js';

/** Sampling fields sent under their own names to both endpoints (chat gets n_predict and n_probs renamed). */
const SHARED_FIELDS = [
  'temperature',
  'top_k',
  'top_p',
  'min_p',
  'seed',
  'stop',
  'grammar',
  'json_schema',
  'cache_prompt',
  'id_slot',
] as const satisfies ReadonlyArray<keyof Sampling>;

function copyDefined(sampling: Sampling, body: Record<string, unknown>): void {
  for (const key of SHARED_FIELDS) {
    if (sampling[key] !== undefined) body[key] = sampling[key];
  }
}

/** POST /completion body: the prompt, stream on, every sampling field that is set. */
export function completionBody(request: ModelRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { prompt: request.prompt, stream: true };
  copyDefined(request.sampling, body);
  body.n_predict = request.sampling.n_predict;
  if (request.sampling.n_probs !== undefined) body.n_probs = request.sampling.n_probs;
  return body;
}

/** POST /v1/chat/completions body, in OpenAI names where they exist (max_tokens, logprobs/top_logprobs). */
export function chatBody(request: ModelRequest): Record<string, unknown> {
  const messages = request.messages ?? [{ role: 'user', content: request.prompt }];
  const body: Record<string, unknown> = { messages, stream: true };
  copyDefined(request.sampling, body);
  body.max_tokens = request.sampling.n_predict;
  const nProbs = request.sampling.n_probs;
  if (nProbs !== undefined && nProbs > 0) {
    body.logprobs = true;
    body.top_logprobs = nProbs;
  }
  return body;
}

/** Turns parsed SSE payloads of one endpoint into tokens and, at the end, a Completion. */
export interface StreamDecoder {
  /** Tokens received so far. */
  readonly tokenCount: number;
  /** Handle one payload; true once the stream is complete (nothing after it matters). */
  accept(payload: unknown): boolean;
  /** The finished generation, or undefined when the stream has not completed (cut off). */
  result(): Completion | undefined;
}

interface ErrorBody {
  error?: { message?: string; type?: string };
}

interface ProbEntry {
  token?: string;
  logprob?: number;
  prob?: number;
  top_logprobs?: Array<{ token: string; logprob: number }>;
  top_probs?: Array<{ token: string; prob: number }>;
}

interface CompletionChunk extends ErrorBody {
  content?: string;
  tokens?: number[];
  stop?: boolean;
  id_slot?: number;
  stop_type?: string;
  stopping_word?: string;
  tokens_cached?: number;
  generation_settings?: Record<string, unknown>;
  timings?: Record<string, number>;
  completion_probabilities?: ProbEntry[];
}

interface ChatChunk extends ErrorBody {
  choices?: Array<{
    delta?: { content?: string | null };
    finish_reason?: string | null;
    logprobs?: { content?: ProbEntry[] } | null;
  }>;
  timings?: Record<string, number>;
}

/** An error the server reports inside an otherwise good stream (`data: {"error":…}` or an `error:` line). */
function streamError(chunk: ErrorBody, baseUrl: string): UserError {
  const message = (chunk.error?.message ?? 'unknown error').replace(/\s*\n\s*/g, ' ');
  return new UserError(`llama-server at ${baseUrl}: ${message}`, chunk.error?.type ?? 'server_error');
}

function asChunk<T>(payload: unknown, source: string): T {
  if (typeof payload !== 'object' || payload === null) {
    throw new UserError(`llama-server sent a stream event that is not a JSON object (${source})`, 'bad_stream');
  }
  return payload as T;
}

/** Only the Timings fields, so the rest of the server's object does not leak into sessions. */
function pickTimings(raw: Record<string, number> | undefined): Timings | undefined {
  if (raw === undefined) return undefined;
  const timings: Timings = {
    prompt_n: raw.prompt_n,
    prompt_ms: raw.prompt_ms,
    prompt_per_second: raw.prompt_per_second,
    predicted_n: raw.predicted_n,
    predicted_ms: raw.predicted_ms,
    predicted_per_second: raw.predicted_per_second,
  };
  if (raw.cache_n !== undefined) timings.cache_n = raw.cache_n;
  return timings;
}

/** Fills logprob/top of a token from a probabilities entry; post-sampling entries carry probabilities instead. */
function addProbs(token: StreamedToken, entry: ProbEntry | undefined): void {
  if (entry === undefined) return;
  if (entry.logprob !== undefined) token.logprob = entry.logprob;
  else if (entry.prob !== undefined) token.logprob = Math.log(entry.prob);
  let top: TokenAlternative[] | undefined;
  if (entry.top_logprobs) top = entry.top_logprobs.map((t) => ({ token: t.token, logprob: t.logprob }));
  else if (entry.top_probs) top = entry.top_probs.map((t) => ({ token: t.token, logprob: Math.log(t.prob) }));
  if (top) token.top = top;
}

/** /completion: one token per chunk; the `stop:true` chunk carries stop type, timings and settings. */
export class CompletionDecoder implements StreamDecoder {
  tokenCount = 0;
  private text = '';
  private final: CompletionChunk | undefined;

  constructor(
    private readonly onToken: (token: StreamedToken) => void,
    private readonly baseUrl: string,
    private readonly source: string,
  ) {}

  accept(payload: unknown): boolean {
    if (payload === SSE_DONE) return this.final !== undefined;
    const chunk = asChunk<CompletionChunk>(payload, this.source);
    if (chunk.error !== undefined) throw streamError(chunk, this.baseUrl);
    const content = chunk.content ?? '';
    // A chunk whose text is held back (partial stop-word match) still counts as a token.
    this.tokenCount += chunk.tokens !== undefined ? chunk.tokens.length : content === '' ? 0 : 1;
    // A held-back token still goes out (with empty text) so its probabilities stay with it.
    if (content !== '' || (chunk.tokens !== undefined && chunk.tokens.length > 0)) {
      this.text += content;
      const token: StreamedToken = { text: content };
      if (chunk.tokens !== undefined && chunk.tokens.length > 0) token.id = chunk.tokens[0];
      if (chunk.completion_probabilities !== undefined) addProbs(token, chunk.completion_probabilities[0]);
      this.onToken(token);
    }
    if (chunk.stop !== true) return false;
    this.final = chunk;
    return true;
  }

  result(): Completion | undefined {
    const final = this.final;
    if (final === undefined) return undefined;
    const completion: Completion = {
      text: this.text,
      tokenCount: this.tokenCount,
      stopType: final.stop_type ?? 'eos',
    };
    if (final.stopping_word) completion.stoppingWord = final.stopping_word;
    const timings = pickTimings(final.timings);
    if (timings) completion.timings = timings;
    if (final.tokens_cached !== undefined) completion.tokensCached = final.tokens_cached;
    if (final.generation_settings) completion.generationSettings = final.generation_settings;
    if (final.id_slot !== undefined && final.id_slot >= 0) completion.idSlot = final.id_slot;
    return completion;
  }
}

/** /v1/chat/completions: content deltas, `finish_reason` on the last choice chunk, `[DONE]` at the end. */
export class ChatDecoder implements StreamDecoder {
  tokenCount = 0;
  private text = '';
  private finishReason: string | undefined;
  private timings: Timings | undefined;

  constructor(
    private readonly onToken: (token: StreamedToken) => void,
    private readonly baseUrl: string,
    private readonly source: string,
    /** Whether stop strings were sent: the chat API says only 'stop' for both a stop word and end-of-sequence. */
    private readonly hadStopWords: boolean,
  ) {}

  accept(payload: unknown): boolean {
    if (payload === SSE_DONE) return true;
    const chunk = asChunk<ChatChunk>(payload, this.source);
    if (chunk.error !== undefined) throw streamError(chunk, this.baseUrl);
    const choice = chunk.choices?.[0];
    if (choice !== undefined) {
      const content = choice.delta?.content;
      if (typeof content === 'string' && content !== '') {
        this.tokenCount += 1;
        this.text += content;
        const token: StreamedToken = { text: content };
        addProbs(token, choice.logprobs?.content?.[0]);
        this.onToken(token);
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    if (chunk.timings !== undefined) this.timings = pickTimings(chunk.timings);
    return false;
  }

  result(): Completion | undefined {
    if (this.finishReason === undefined) return undefined;
    let stopType = this.finishReason;
    if (stopType === 'length') stopType = 'limit';
    else if (stopType === 'stop') stopType = this.hadStopWords ? 'word' : 'eos';
    const completion: Completion = { text: this.text, tokenCount: this.tokenCount, stopType };
    if (this.timings) completion.timings = this.timings;
    return completion;
  }
}
