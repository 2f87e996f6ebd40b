// The token inspector in the stream pane: the slot's tokens with a cursor on one, and what the model weighed there.

import type { ScoredToken } from '../../state/run-state.js';
import { clean, clipLine, proseLines, splitLines, wrapLine, type Line, type Segment } from '../common/text.js';
import type { StyleName } from '../common/theme.js';

/** Rows the facts about the token under the cursor take at the bottom of the pane. */
export const INSPECTOR_ROWS = 3;

/** A token under the cursor made visible: a newline shows as ⏎, other blank text as · per space. */
function visible(text: string): string {
  if (text === '') return '∅';
  return clean(text.replace(/\n/g, '⏎\n').replace(/^ +$/, (spaces) => '·'.repeat(spaces.length)));
}

/**
 * Every line of the tokens, the one under the cursor in the selection style (others shaded when `shade` gives a
 * style), and the index of the line holding the cursor.
 */
export function cursorLines(tokens: ScoredToken[], cursor: number, cols: number, shade?: (t: ScoredToken) => StyleName): { lines: Line[]; at: number } {
  const segments: Segment[] = tokens.map((t, i) =>
    i === cursor ? { text: visible(t.text), style: 'selected' } : { text: clean(t.text), ...(shade ? { style: shade(t) } : {}) },
  );
  const lines = splitLines(segments).flatMap((line) => wrapLine(line, cols));
  const at = Math.max(0, lines.findIndex((line) => line.some((s) => s.style === 'selected')));
  return { lines, at };
}

const rate = (logprob: number) => Math.exp(logprob).toFixed(3);

/** What the model weighed at the token under the cursor: its probability, then the alternatives, most likely first. */
export function inspectorFooter(tokens: ScoredToken[], cursor: number, cols: number): Line[] {
  const token = tokens[cursor];
  if (!token) return [[{ text: 'no token under the cursor', style: 'muted' }]];
  const p = token.logprob !== undefined ? ` · p ${rate(token.logprob)}` : ' · no probability recorded';
  const head: Line = [
    { text: `── token ${cursor + 1}/${tokens.length} `, style: 'heading' },
    { text: clean(JSON.stringify(token.text)), style: 'selected' },
    { text: p, style: 'heading' },
  ];
  const top = [...(token.top ?? [])].sort((a, b) => b.logprob - a.logprob);
  const alternatives = top.length
    ? `weighed: ${top.map((a) => `${JSON.stringify(a.token)} ${rate(a.logprob)}${a.token === token.text ? ' ◂' : ''}`).join('  ')}`
    : 'no alternatives recorded (n_probs was 0 for this slot)';
  return [clipLine(head, cols), ...proseLines(clean(alternatives), cols, 'muted').slice(0, INSPECTOR_ROWS - 1)];
}
