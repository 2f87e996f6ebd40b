// ModelPort over llama-server's HTTP API: streamed generation with load-wait, stall, cut-off and abort handling.

import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { UserError, isUserError, oneLine } from '../core/errors.js';
import type { ModelIdentity } from '../core/events.js';
import type { Completion, GenerateOptions, ModelInfo, ModelPort } from '../core/ports.js';
import type { ModelRequest } from '../core/sampling.js';
import {
  aborted,
  connectionLost,
  cutOff,
  errorCode,
  httpError,
  isConnectError,
  seconds,
  stalled,
  stillLoading,
  unreachable,
} from './llama-server/errors.js';
import { ChatDecoder, CompletionDecoder, chatBody, completionBody, type StreamDecoder } from './llama-server/wire.js';
import { SseParser } from './sse.js';

export interface LlamaServerOptions {
  /** Configured model name. */
  name: string;
  /** Base URL, e.g. `http://127.0.0.1:8080` (a trailing slash is ignored). */
  url: string;
  api?: 'completion' | 'chat';
  /** Requests sent at once; the server's slot count is the natural value. */
  maxParallel?: number;
  /** A generation that receives no bytes for this long is aborted (code `stalled`). */
  stallTimeoutMs?: number;
  /** Longest total wait while the server answers 503 (loading the model). */
  loadWaitMs?: number;
  /** Limit for each /health, /props and /tokenize call. */
  infoTimeoutMs?: number;
  /** HTTP dispatcher; by default the model owns a keep-alive Agent and closes it in `close()`. */
  dispatcher?: Dispatcher;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2000;
const JSON_HEADERS = { 'content-type': 'application/json' };

export class LlamaServerModel implements ModelPort {
  readonly identity: ModelIdentity;
  readonly api: 'completion' | 'chat';
  readonly maxParallel: number;
  private readonly baseUrl: string;
  private readonly stallTimeoutMs: number;
  private readonly loadWaitMs: number;
  private readonly infoTimeoutMs: number;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(options: LlamaServerOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.api = options.api ?? 'completion';
    this.maxParallel = options.maxParallel ?? 1;
    this.stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
    this.loadWaitMs = options.loadWaitMs ?? 60_000;
    this.infoTimeoutMs = options.infoTimeoutMs ?? 3_000;
    this.identity = { name: options.name, kind: 'llama-server', location: this.baseUrl };
    this.ownsDispatcher = options.dispatcher === undefined;
    // Below the server's own keep-alive timeout (5 s), so a request never lands on a socket the server is closing.
    this.dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000 });
  }

  async generate(modelRequest: ModelRequest, options: GenerateOptions): Promise<Completion> {
    const chat = this.api === 'chat';
    const source = `${this.baseUrl}${chat ? '/v1/chat/completions' : '/completion'}`;
    const body = JSON.stringify(chat ? chatBody(modelRequest) : completionBody(modelRequest));
    const decoder: StreamDecoder = chat
      ? new ChatDecoder(options.onToken, this.baseUrl, source, (modelRequest.sampling.stop?.length ?? 0) > 0)
      : new CompletionDecoder(options.onToken, this.baseUrl, source);
    const started = Date.now();
    let retryMs = FIRST_RETRY_MS;
    for (;;) {
      const outcome = await this.attempt(source, body, decoder, options.signal);
      if (outcome !== 'loading') return outcome;
      const remaining = started + this.loadWaitMs - Date.now();
      if (remaining <= 0) throw stillLoading(this.baseUrl, this.loadWaitMs);
      const wait = Math.min(retryMs, remaining);
      options.onNotice?.(`llama-server at ${this.baseUrl} is loading the model; retrying in ${wait}ms`);
      try {
        await sleep(wait, undefined, { signal: options.signal });
      } catch {
        throw aborted(this.baseUrl);
      }
      retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    }
  }

  /** One POST and its stream; 'loading' when the server answered 503 and the caller should wait and retry. */
  private async attempt(
    source: string,
    body: string,
    decoder: StreamDecoder,
    signal: AbortSignal | undefined,
  ): Promise<Completion | 'loading'> {
    if (signal?.aborted) throw aborted(this.baseUrl);
    // One controller for both stop causes; its reason is the error the caller sees.
    const controller = new AbortController();
    const onAbort = () => controller.abort(aborted(this.baseUrl));
    signal?.addEventListener('abort', onAbort, { once: true });
    const watchdog = setTimeout(() => controller.abort(stalled(this.baseUrl, this.stallTimeoutMs)), this.stallTimeoutMs);
    let responded = false;
    try {
      const response = await request(source, {
        method: 'POST',
        body,
        headers: JSON_HEADERS,
        dispatcher: this.dispatcher,
        signal: controller.signal,
        // The watchdog above governs waiting; undici's own timers would only fire later with vaguer errors.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      responded = true;
      watchdog.refresh();
      if (response.statusCode === 503) {
        await response.body.dump();
        return 'loading';
      }
      if (response.statusCode < 200 || response.statusCode >= 300) {
        throw httpError(this.baseUrl, response.statusCode, await response.body.text());
      }
      const parser = new SseParser(source);
      let complete = false;
      for await (const chunk of response.body) {
        watchdog.refresh();
        // Read on after the final event so the connection ends cleanly and stays reusable.
        if (complete) continue;
        const payloads = parser.push(chunk as Buffer);
        // An onToken that aborts must not see the rest of this chunk's tokens.
        for (let i = 0; i < payloads.length && !complete && !controller.signal.aborted; i++) {
          complete = decoder.accept(payloads[i]);
        }
      }
      const completion = decoder.result();
      if (completion === undefined) throw cutOff(source, decoder.tokenCount);
      return completion;
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      if (isUserError(error)) throw error;
      // Transport errors carry a code; anything else came from onToken and is the caller's own bug to see.
      if (responded) throw errorCode(error) === undefined ? error : cutOff(source, decoder.tokenCount);
      if (isConnectError(error)) throw unreachable(this.baseUrl);
      throw connectionLost(this.baseUrl, error);
    } finally {
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async info(): Promise<ModelInfo> {
    let health: { status: number; body: string };
    try {
      health = await this.call('GET', '/health');
    } catch (error) {
      return { healthy: false, status: oneLine(error) };
    }
    if (health.status === 503) return { healthy: false, loading: true, status: `llama-server at ${this.baseUrl} is loading the model` };
    if (health.status !== 200) {
      return { healthy: false, status: httpError(this.baseUrl, health.status, health.body).message };
    }
    const info: ModelInfo = { healthy: true, status: 'ok' };
    try {
      const props = await this.call('GET', '/props');
      if (props.status === 200) Object.assign(info, readProps(JSON.parse(props.body)));
    } catch {
      // /props is optional (older builds, proxies): health alone answers "is it up".
    }
    // A slot-aware balancer (Paddler) answers /health with the slots of all its servers, while /props comes from one.
    const balanced = aggregatedSlots(health.body);
    if (balanced !== undefined) info.totalSlots = balanced;
    if (info.modelFile !== undefined) {
      this.identity.fingerprint = info.build === undefined ? info.modelFile : `${info.modelFile}@${info.build}`;
    }
    return info;
  }

  async tokenize(text: string): Promise<number[]> {
    const response = await this.call('POST', '/tokenize', JSON.stringify({ content: text }));
    if (response.status !== 200) throw httpError(this.baseUrl, response.status, response.body);
    const tokens = (JSON.parse(response.body) as { tokens?: Array<number | { id: number }> }).tokens ?? [];
    return tokens.map((token) => (typeof token === 'number' ? token : token.id));
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.destroy();
  }

  /** A small request with a time limit; transport failures become UserErrors, HTTP statuses are the caller's. */
  private async call(method: 'GET' | 'POST', path: string, body?: string): Promise<{ status: number; body: string }> {
    const signal = AbortSignal.timeout(this.infoTimeoutMs);
    try {
      const response = await request(`${this.baseUrl}${path}`, {
        method,
        body,
        headers: body === undefined ? undefined : JSON_HEADERS,
        dispatcher: this.dispatcher,
        signal,
      });
      return { status: response.statusCode, body: await response.body.text() };
    } catch (error) {
      if (signal.aborted) {
        const limit = seconds(this.infoTimeoutMs);
        throw new UserError(`llama-server at ${this.baseUrl} gave no answer within ${limit}`, 'stalled');
      }
      if (isConnectError(error)) throw unreachable(this.baseUrl);
      throw connectionLost(this.baseUrl, error);
    }
  }
}

/**
 * `slots_idle + slots_processing` of a /health answer that has both: Paddler's aggregated health over every server
 * behind it (older llama-servers report their own slots the same way, which agrees with their /props).
 */
function aggregatedSlots(body: string): number | undefined {
  try {
    const { slots_idle: idle, slots_processing: processing } = JSON.parse(body) as { slots_idle?: unknown; slots_processing?: unknown };
    if (typeof idle === 'number' && typeof processing === 'number' && idle + processing > 0) return idle + processing;
  } catch {
    // A plain-text or empty health answer: no slot counts in it.
  }
  return undefined;
}

/** The ModelInfo fields of a /props answer. */
function readProps(props: Record<string, unknown>): Partial<ModelInfo> {
  const info: Partial<ModelInfo> = {};
  const settings = props.default_generation_settings as { n_ctx?: unknown } | undefined;
  if (typeof props.model_path === 'string') info.modelFile = props.model_path;
  if (typeof props.model_alias === 'string') info.alias = props.model_alias;
  if (typeof settings?.n_ctx === 'number') info.nCtx = settings.n_ctx;
  if (typeof props.total_slots === 'number') info.totalSlots = props.total_slots;
  if (typeof props.build_info === 'string') info.build = props.build_info;
  // Servers fill in a ChatML fallback when the GGUF has none: a template here means chat works,
  // not that the model shipped one.
  info.hasChatTemplate = typeof props.chat_template === 'string' && props.chat_template !== '';
  return info;
}
