// SSE parser: real captures fed at random byte boundaries, multi-byte characters split, malformed input rejected.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { SSE_DONE, SseParser } from '../../src/model/sse.js';
import { prng } from '../helpers/fixture-server.js';
import { fixturePath } from '../helpers/shared.js';

const SOURCE = 'http://127.0.0.1:8080/completion';

function parseInChunks(body: Buffer, seed: number, maxChunk: number): unknown[] {
  const random = prng(seed);
  const parser = new SseParser(SOURCE);
  const out: unknown[] = [];
  for (let at = 0; at < body.length; ) {
    const size = 1 + Math.floor(random() * maxChunk);
    out.push(...parser.push(body.subarray(at, at + size)));
    at += size;
  }
  expect(parser.hasPartial()).toBe(false);
  return out;
}

function parseError(input: string): UserError {
  try {
    new SseParser(SOURCE).push(Buffer.from(input));
  } catch (error) {
    return error as UserError;
  }
  throw new Error('expected the parser to throw');
}

describe('SseParser', () => {
  it('yields every event of a real capture, whatever the chunk boundaries', () => {
    const body = readFileSync(fixturePath('completion-stream.sse'));
    const whole = new SseParser(SOURCE).push(body);
    expect(whole).toHaveLength(17);
    const contents = (whole as Array<{ content: string }>).map((e) => e.content).join('');
    expect(contents).toBe(', there was a little girl named Lily. She loved to play');
    for (let seed = 1; seed <= 300; seed++) {
      expect(parseInChunks(body, seed, 1 + (seed % 97))).toEqual(whole);
    }
  });

  it('recognises data: [DONE]', () => {
    const body = readFileSync(fixturePath('chat-completions-stream.sse'));
    const events = new SseParser(SOURCE).push(body);
    expect(events.at(-1)).toBe(SSE_DONE);
    expect(events.slice(0, -1).every((e) => typeof e === 'object')).toBe(true);
  });

  it('keeps multi-byte UTF-8 characters whole when a chunk boundary falls inside them', () => {
    const texts = ['é', ' 日本', '🙂', 'ß!'];
    const body = Buffer.from(texts.map((content) => `data: ${JSON.stringify({ content })}\n\n`).join(''));
    const parser = new SseParser(SOURCE);
    const out: unknown[] = [];
    for (let i = 0; i < body.length; i++) out.push(...parser.push(body.subarray(i, i + 1)));
    expect(out.map((e) => (e as { content: string }).content)).toEqual(texts);
    for (let seed = 1; seed <= 50; seed++) {
      expect(parseInChunks(body, seed, 5).map((e) => (e as { content: string }).content)).toEqual(texts);
    }
  });

  it('accepts CRLF line endings, comments and spec fields it does not use', () => {
    const events = new SseParser(SOURCE).push(Buffer.from(': keep-alive\r\nevent: x\r\ndata: {"a":1}\r\n\r\n'));
    expect(events).toEqual([{ a: 1 }]);
  });

  it('joins multi-line data as the SSE spec says', () => {
    expect(new SseParser(SOURCE).push(Buffer.from('data: {"a":\ndata: 2}\n\n'))).toEqual([{ a: 2 }]);
  });

  it('hands on an `error:` line as an error payload', () => {
    const events = new SseParser(SOURCE).push(Buffer.from('error: {"code":500,"message":"boom","type":"server_error"}\n\n'));
    expect(events).toEqual([{ error: { code: 500, message: 'boom', type: 'server_error' } }]);
  });

  it('holds an unfinished event back and reports it', () => {
    const parser = new SseParser(SOURCE);
    expect(parser.push(Buffer.from('data: {"a":1}\n\ndata: {"b"'))).toEqual([{ a: 1 }]);
    expect(parser.hasPartial()).toBe(true);
  });

  it('rejects a line that is not SSE, naming the line and the source', () => {
    const error = parseError('data: {"a":1}\n\ndat {"index":0,"content":"x"}\n\n');
    expect(error).toBeInstanceOf(UserError);
    expect(error.code).toBe('bad_stream');
    expect(error.message).toBe(`llama-server sent a malformed SSE line: "dat {"index":0,"content":"x"}" (${SOURCE})`);
  });

  it('rejects a data payload that is not JSON, truncating a long line to one short line', () => {
    const error = parseError(`data: {"content":"${'x'.repeat(200)}\n\n`);
    expect(error.code).toBe('bad_stream');
    const shown = /"(.*)" \(/.exec(error.message)?.[1] ?? '';
    expect(shown.length).toBe(80);
    expect(shown.startsWith('data: {"content":"xxx')).toBe(true);
    expect(shown.endsWith('...')).toBe(true);
  });
});
