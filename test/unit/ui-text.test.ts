import { describe, expect, it } from 'vitest';
import { clean, clipLine, highlight, lineWidth, plain, textLines, viewport, wrapLine } from '../../src/ui/common/text.js';

describe('text helpers', () => {
  it('cleans control sequences, tabs, wide and invisible characters so one character is one cell', () => {
    expect(clean('a\x1b]0;title\x07b\x1b[31mc\td')).toBe('abc    d');
    expect(clean('x\u202Ey\u200Bz')).toBe('xyz');
    expect(clean('日本😀')).toBe('\uFFFD\uFFFD\uFFFD');
  });

  it('wraps hard at the width and keeps styles across the break', () => {
    const lines = wrapLine([{ text: 'abcd', style: 'diff.add' }, { text: 'efg' }], 3);
    expect(lines.map(plain)).toEqual(['abc', 'def', 'g']);
    expect(lines[1]).toEqual([{ text: 'd', style: 'diff.add' }, { text: 'ef' }]);
    expect(wrapLine([], 5)).toEqual([[]]);
  });

  it('clips with an ellipsis and never exceeds the width', () => {
    const clipped = clipLine([{ text: 'hello ' }, { text: 'world', style: 'heading' }], 8);
    expect(plain(clipped)).toBe('hello w…');
    expect(lineWidth(clipped)).toBe(8);
  });

  it('splits untrusted text into lines of at most cols cells', () => {
    const lines = textLines('one\n\ttwo-is-long\n', 6);
    expect(lines.map(plain)).toEqual(['one', '    tw', 'o-is-l', 'ong', '']);
  });

  it('highlights every case-insensitive match across segments', () => {
    const line = highlight([{ text: 'abXY' }, { text: 'Zab', style: 'muted' }], 'xyz');
    expect(line).toEqual([{ text: 'ab' }, { text: 'XY', style: 'search.match' }, { text: 'Z', style: 'search.match' }, { text: 'ab', style: 'muted' }]);
  });

  it('clamps the viewport and follows the end', () => {
    const lines = ['a', 'b', 'c', 'd', 'e'];
    expect(viewport(lines, 2, 'end')).toEqual({ visible: ['d', 'e'], top: 3 });
    expect(viewport(lines, 2, 99).top).toBe(3);
    expect(viewport(lines, 10, 2)).toEqual({ visible: lines, top: 0 });
  });
});
