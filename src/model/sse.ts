// Incremental server-sent-events parser: bytes split anywhere in, parsed JSON `data:` payloads out.

import { StringDecoder } from 'node:string_decoder';
import { UserError } from '../core/errors.js';

/** Returned in place of a payload for `data: [DONE]` (the OpenAI-style end of stream). */
export const SSE_DONE: unique symbol = Symbol('sse-done');

const SHOWN_LINE_CHARS = 80;

/**
 * Feed it the response body chunk by chunk; each `push` returns the payloads completed by that chunk.
 * A multi-byte character split across chunks is decoded whole (the decoder holds back partial sequences).
 */
export class SseParser {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  /** Data lines of the event being read, joined by `\n` as the SSE spec says; undefined = none yet. */
  private data: string | undefined;

  /** @param source the endpoint URL, named in errors. */
  constructor(private readonly source: string) {}

  /** Parse a chunk; throws a UserError (code `bad_stream`) on a malformed line or payload. */
  push(chunk: Uint8Array): Array<unknown> {
    const text = this.pending + this.decoder.write(chunk as Buffer);
    const out: unknown[] = [];
    let start = 0;
    let newline = text.indexOf('\n', start);
    while (newline !== -1) {
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.line(text, start, end, out);
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    this.pending = start === 0 ? text : text.slice(start);
    return out;
  }

  /** True when bytes of an unfinished line or event are held (the body ended mid-event). */
  hasPartial(): boolean {
    return this.pending !== '' || this.data !== undefined;
  }

  private line(text: string, start: number, end: number, out: unknown[]): void {
    if (start === end) {
      if (this.data !== undefined) out.push(this.payload(this.data));
      this.data = undefined;
      return;
    }
    // "data:" checked by char codes: this runs once per token.
    if (
      text.charCodeAt(start) === 100 &&
      text.charCodeAt(start + 1) === 97 &&
      text.charCodeAt(start + 2) === 116 &&
      text.charCodeAt(start + 3) === 97 &&
      text.charCodeAt(start + 4) === 58
    ) {
      const from = text.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
      const value = text.slice(from, end);
      this.data = this.data === undefined ? value : `${this.data}\n${value}`;
      return;
    }
    const line = text.slice(start, end);
    // Some llama-server builds report a failure mid-stream as an `error:` line; hand it on as `{error}`.
    if (line.startsWith('error:')) {
      const error = this.json(line.slice(6).trimStart(), 'error: ');
      out.push(typeof error === 'object' && error !== null && 'error' in error ? error : { error });
      return;
    }
    // Comments and the other spec fields are valid SSE, though llama-server sends none; anything else is garbage.
    if (line.startsWith(':') || /^(event|id|retry)(:|$)/.test(line)) return;
    throw this.malformed(line);
  }

  private payload(data: string): unknown {
    return data === '[DONE]' ? SSE_DONE : this.json(data, 'data: ');
  }

  /** `field` rebuilds the line for the error message only when parsing fails. */
  private json(text: string, field: string): unknown {
    try {
      return JSON.parse(text);
    } catch {
      throw this.malformed(field + text);
    }
  }

  private malformed(line: string): UserError {
    const clean = line.replace(/[\u0000-\u001f\u007f]/g, '?');
    const shown = clean.length > SHOWN_LINE_CHARS ? `${clean.slice(0, SHOWN_LINE_CHARS - 3)}...` : clean;
    return new UserError(`llama-server sent a malformed SSE line: "${shown}" (${this.source})`, 'bad_stream');
  }
}
