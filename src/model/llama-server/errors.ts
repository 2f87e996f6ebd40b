// The one-line UserErrors of the llama-server client: what went wrong, at which URL, what to do.

import { UserError } from '../../core/errors.js';

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The system/undici code of a transport error, looking through `cause` and AggregateError (happy-eyeballs). */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors) && errors.length > 0) return errorCode(errors[0]);
  return cause === undefined ? undefined : errorCode(cause);
}

export function isConnectError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && CONNECT_CODES.has(code);
}

export function unreachable(baseUrl: string): UserError {
  const port = new URL(baseUrl).port || '8080';
  return new UserError(
    `no llama-server at ${baseUrl}: start one with \`llama-server -m MODEL.gguf --port ${port}\` or set the model's url in slotbench.config.json`,
    'unreachable',
  );
}

/** A transport failure before any response: the server closed or reset the connection. */
export function connectionLost(baseUrl: string, error: unknown): UserError {
  const code = errorCode(error) ?? (error instanceof Error ? error.message : String(error));
  return new UserError(`llama-server at ${baseUrl} closed the connection before answering (${code})`, 'connection');
}

export function stalled(baseUrl: string, ms: number): UserError {
  return new UserError(
    `llama-server at ${baseUrl} sent nothing for ${seconds(ms)}; it may be hung or overloaded: check its log`,
    'stalled',
  );
}

export function cutOff(source: string, tokens: number): UserError {
  return new UserError(`llama-server stream from ${source} was cut off after ${tokens} tokens`, 'cut_off');
}

export function stillLoading(baseUrl: string, ms: number): UserError {
  return new UserError(
    `llama-server at ${baseUrl} was still loading the model after ${seconds(ms)}: check its log, then try again`,
    'loading',
  );
}

export function aborted(baseUrl: string): UserError {
  return new UserError(`request to llama-server at ${baseUrl} was aborted`, 'aborted');
}

/** A non-2xx answer. llama-server sends `{"error":{"message","type"}}` as plain JSON, even for stream requests. */
export function httpError(baseUrl: string, status: number, body: string): UserError {
  let message: string | undefined;
  let type: string | undefined;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown; type?: unknown } };
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
    if (typeof parsed.error?.type === 'string') type = parsed.error.type;
  } catch {
    // Not JSON (a proxy's HTML page, say): show the start of the text instead.
  }
  const text = message ?? `HTTP ${status} ${body.slice(0, 200)}`.trim();
  return new UserError(`llama-server at ${baseUrl}: ${text.replace(/\s*\n\s*/g, ' ')}`, type ?? `http_${status}`);
}

/** "30s", "0.2s": whole seconds stay whole. */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}
