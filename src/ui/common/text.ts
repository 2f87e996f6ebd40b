// Styled lines for panes: untrusted text cleaned, measured, wrapped or clipped, then turned into blessed tags.

import { escapeTags, stripControl } from '../../text/sanitize.js';
import { styled, type StyleName, type Theme } from './theme.js';

/** A run of text in one style (no style = the box's own). Text is plain: never tags. */
export interface Segment {
  text: string;
  style?: StyleName;
}

export type Line = Segment[];

const ELLIPSIS = '…';

// One terminal cell per character keeps layout arithmetic exact: characters that take 0 or 2 cells
// (combining marks, CJK, emoji) and invisible bidi/zero-width controls would shift every border after them.
const NOT_ONE_CELL =
  /[\u{10000}-\u{10FFFF}\u0300-\u036F\u1AB0-\u1AFF\u20D0-\u20FF\uFE20-\uFE2F\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/gu;
const INVISIBLE = /[\u200B-\u200F\u2028-\u202E\u2060-\u2064\uFEFF]/g;

/** Untrusted text made displayable: control sequences stripped, tabs expanded, one cell per character. */
export function clean(text: string): string {
  return stripControl(text).replace(/\t/g, '    ').replace(INVISIBLE, '').replace(NOT_ONE_CELL, '\uFFFD');
}

export function plain(line: Line): string {
  let out = '';
  for (const segment of line) out += segment.text;
  return out;
}

export function lineWidth(line: Line): number {
  let width = 0;
  for (const segment of line) width += segment.text.length;
  return width;
}

/** Cut a line to `cols` cells, marking the cut with an ellipsis. */
export function clipLine(line: Line, cols: number): Line {
  if (lineWidth(line) <= cols) return line;
  const out: Line = [];
  let room = Math.max(0, cols - 1);
  for (const segment of line) {
    if (room <= 0) break;
    const text = segment.text.slice(0, room);
    out.push({ ...segment, text });
    room -= text.length;
  }
  out.push({ text: ELLIPSIS, style: 'muted' });
  return out;
}

/** Hard-wrap one line (no newlines inside) at `cols` cells, keeping styles. */
export function wrapLine(line: Line, cols: number): Line[] {
  const width = Math.max(1, cols);
  const lines: Line[] = [];
  let current: Line = [];
  let used = 0;
  for (const segment of line) {
    let text = segment.text;
    while (text.length > 0) {
      const take = Math.min(width - used, text.length);
      current.push({ ...segment, text: text.slice(0, take) });
      used += take;
      text = text.slice(take);
      if (used === width) {
        lines.push(current);
        current = [];
        used = 0;
      }
    }
  }
  if (current.length > 0 || lines.length === 0) lines.push(current);
  return lines;
}

/** Split styled runs at newlines into lines. */
export function splitLines(segments: Segment[]): Line[] {
  const lines: Line[] = [[]];
  for (const segment of segments) {
    const parts = segment.text.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines[lines.length - 1].push({ ...segment, text: part });
    });
  }
  return lines;
}

/** Untrusted text → wrapped lines in one style. */
export function textLines(text: string, cols: number, style?: StyleName): Line[] {
  return clean(text)
    .split('\n')
    .flatMap((part) => wrapLine(part ? [{ text: part, style }] : [], cols));
}

/** Prose (messages, reasons) → lines broken between words where possible, in one style. */
export function proseLines(text: string, cols: number, style?: StyleName): Line[] {
  const width = Math.max(1, cols);
  const lines: Line[] = [];
  for (const paragraph of clean(text).split('\n')) {
    let current = '';
    for (const word of paragraph.split(' ')) {
      const next = current ? `${current} ${word}` : word;
      if (next.length <= width) current = next;
      else {
        if (current) lines.push([{ text: current, style }]);
        current = word;
        while (current.length > width) {
          lines.push([{ text: current.slice(0, width), style }]);
          current = current.slice(width);
        }
      }
    }
    lines.push(current ? [{ text: current, style }] : []);
  }
  return lines;
}

/** Mark every case-insensitive occurrence of `query` with the search style. */
export function highlight(line: Line, query: string | undefined): Line {
  if (!query) return line;
  const text = plain(line);
  const lower = text.toLowerCase();
  const needle = query.toLowerCase();
  const marks: boolean[] = new Array(text.length).fill(false);
  let found = false;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    for (let i = at; i < at + needle.length; i++) marks[i] = true;
    found = true;
  }
  if (!found) return line;
  const out: Line = [];
  let offset = 0;
  for (const segment of line) {
    let start = 0;
    for (let i = 1; i <= segment.text.length; i++) {
      if (i === segment.text.length || marks[offset + i] !== marks[offset + start]) {
        const marked = marks[offset + start];
        out.push({ text: segment.text.slice(start, i), ...(marked ? { style: 'search.match' } : segment.style ? { style: segment.style } : {}) });
        start = i;
      }
    }
    offset += segment.text.length;
  }
  return out;
}

/** Does the line contain the query (case-insensitive)? */
export function matches(line: Line, query: string): boolean {
  return plain(line).toLowerCase().includes(query.toLowerCase());
}

/** A line as blessed content: text escaped, styles from the theme only. */
export function toTagged(line: Line, theme: Theme): string {
  let out = '';
  for (const segment of line) {
    const text = escapeTags(segment.text);
    out += segment.style ? styled(theme, segment.style, text) : text;
  }
  return out;
}

/** Top line to show: `scroll` clamped so the last page is full; 'end' follows the bottom. */
export function clampTop(total: number, rows: number, scroll: number | 'end'): number {
  const maxTop = Math.max(0, total - rows);
  return scroll === 'end' ? maxTop : Math.min(Math.max(0, scroll), maxTop);
}

/** The visible window of a list of lines. */
export function viewport<T>(lines: T[], rows: number, scroll: number | 'end'): { visible: T[]; top: number } {
  const top = clampTop(lines.length, rows, scroll);
  return { visible: lines.slice(top, top + Math.max(0, rows)), top };
}

/** Left text and right text on one line of `cols`, the right part kept when there is room. */
export function spread(left: Line, right: Line, cols: number): Line {
  const gap = cols - lineWidth(left) - lineWidth(right);
  if (gap < 1) return clipLine(left, cols);
  return [...left, { text: ' '.repeat(gap) }, ...right];
}
