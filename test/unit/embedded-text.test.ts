// Text pieces of the embedded engine: whole UTF-8 characters across byte tokens, stop strings across pieces.

import { describe, expect, it } from 'vitest';
import { StopScanner, TokenText } from '../../src/model/embedded/text-stream.js';

/** A byte-fallback vocabulary: token n is byte n, token 1000+ are whole words. */
const WORDS: Record<number, string> = { 1000: ' Lily', 1001: ' said', 1002: ' hi' };
const decoder = new TextDecoder();
function detokenize(tokens: readonly number[]): string {
  return tokens.map((t) => WORDS[t] ?? '').join('') + decoder.decode(Uint8Array.from(tokens.filter((t) => t < 256)));
}

describe('TokenText', () => {
  it('holds byte tokens until the character is whole', () => {
    const text = new TokenText(detokenize, []);
    const bytes = [...Buffer.from('’')];
    expect(bytes).toHaveLength(3);
    expect(text.push(bytes[0])).toBeUndefined();
    expect(text.push(bytes[1])).toBeUndefined();
    expect(text.push(bytes[2])).toBe('’');
    expect(text.push(1000)).toBe(' Lily');
  });

  it('gives up after four tokens and flushes what is left', () => {
    const text = new TokenText(detokenize, []);
    for (let i = 0; i < 3; i++) expect(text.push(0xe2)).toBeUndefined();
    expect(text.push(0xe2)).toBe('\uFFFD'.repeat(4));
    expect(text.push(0xf0)).toBeUndefined();
    expect(text.flush()).toBe('\uFFFD');
    expect(text.flush()).toBe('');
  });

  it('passes the tokens before as context', () => {
    const seen: number[][] = [];
    const text = new TokenText<number>((tokens, before) => {
      seen.push([...before]);
      return detokenize(tokens);
    }, [1, 2, 3, 4, 5, 6]);
    text.push(1000);
    text.push(1001);
    expect(seen).toEqual([
      [3, 4, 5, 6],
      [4, 5, 6, 1000],
    ]);
  });
});

describe('StopScanner', () => {
  it('cuts the stop string and what follows it', () => {
    const scanner = new StopScanner(['Lily']);
    expect(scanner.push(', there was a girl named')).toEqual({ emit: ', there was a girl named' });
    expect(scanner.push(' Lily. She')).toEqual({ emit: ' ', stoppedBy: 'Lily' });
  });

  it('holds back a possible start of a stop string until it is decided', () => {
    const scanner = new StopScanner(['\n\n', 'END']);
    expect(scanner.push('a\n')).toEqual({ emit: 'a' });
    expect(scanner.push('b E')).toEqual({ emit: '\nb ' });
    expect(scanner.push('N')).toEqual({ emit: '' });
    expect(scanner.push('D!')).toEqual({ emit: '', stoppedBy: 'END' });
  });

  it('picks the earliest of several matches and flushes held text at the end', () => {
    const scanner = new StopScanner(['world', 'hello']);
    expect(scanner.push('say hello world')).toEqual({ emit: 'say ', stoppedBy: 'hello' });
    const open = new StopScanner(['stop']);
    expect(open.push('non-st')).toEqual({ emit: 'non-' });
    expect(open.flush()).toBe('st');
  });

  it('ignores empty stop strings', () => {
    const scanner = new StopScanner(['']);
    expect(scanner.push('text')).toEqual({ emit: 'text' });
  });
});
