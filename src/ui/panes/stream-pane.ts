// Stream pane: the tokens of the shown slot as they arrive, with count and rate; optional probability shading.

import type { RunState, ScoredToken } from '../../state/run-state.js';
import { tokensPerSecond } from '../../state/selectors.js';
import type { UiState } from '../../state/ui-state.js';
import { slotStatus, STATUS_STYLE, type DisplayStatus } from '../common/slot-status.js';
import { clean, highlight, splitLines, textLines, viewport, wrapLine, type Line, type Segment } from '../common/text.js';
import type { StyleName } from '../common/theme.js';
import { tagged, withRight, type PaneSize } from './pane.js';
import { cursorLines, inspectorFooter } from './token-inspector.js';
import { shownSlot } from '../../state/selectors.js';

export interface StreamVm {
  slot?: { id: string; name: string; attempt: number; status: DisplayStatus; temperature?: number };
  text: string;
  tokenCount: number;
  tokensPerSecond: number;
  /** Per-token probabilities, when the slot asked for n_probs. */
  scored?: ScoredToken[];
  shading: boolean;
  scroll: number | 'end';
  search?: string;
  /** What to say when there is no slot to show. */
  empty: string;
  /** The token inspector's cursor (an index into `scored`), when it is on this slot. */
  cursor?: number;
}

export function streamView(run: RunState, ui: UiState): StreamVm {
  const slot = shownSlot(run, ui);
  const search = ui.search?.pane === 'stream' ? ui.search.query : undefined;
  if (!slot) {
    const waiting = run.paused ? `paused before ${run.paused.slotName}: press s to step, c to continue` : 'no slot has run yet';
    return { text: '', tokenCount: 0, tokensPerSecond: 0, shading: ui.shading, scroll: ui.scroll.stream, empty: waiting, ...(search ? { search } : {}) };
  }
  return {
    slot: {
      id: slot.id,
      name: slot.name,
      attempt: slot.attempt,
      status: slotStatus(run, slot),
      ...(slot.request ? { temperature: slot.request.sampling.temperature } : {}),
    },
    text: slot.text,
    tokenCount: slot.tokenCount,
    tokensPerSecond: tokensPerSecond(slot),
    ...(slot.scored ? { scored: slot.scored } : {}),
    shading: ui.shading,
    scroll: ui.scroll.stream,
    empty: '',
    ...(search ? { search } : {}),
    ...(ui.inspect?.slotId === slot.id && slot.scored?.length ? { cursor: Math.min(ui.inspect.index, slot.scored.length - 1) } : {}),
  };
}

/** Probability bands for shading, from the theme's prob.* styles. */
export function probabilityStyle(logprob: number | undefined): StyleName {
  if (logprob === undefined) return 'prob.high';
  const p = Math.exp(logprob);
  if (p >= 0.9) return 'prob.high';
  if (p >= 0.5) return 'prob.mid';
  if (p >= 0.2) return 'prob.low';
  return 'prob.vlow';
}

function shaded(vm: StreamVm): boolean {
  return vm.shading && vm.scored !== undefined && vm.scored.length > 0;
}

function tokenSegments(tokens: ScoredToken[]): Segment[] {
  return tokens.map((t) => ({ text: clean(t.text), style: probabilityStyle(t.logprob) }));
}

function segmentLines(segments: Segment[], cols: number): Line[] {
  return splitLines(segments).flatMap((line) => wrapLine(line, cols));
}

let memo: { key: string; lines: Line[] } | undefined;

/** Every body line of the shown slot (for scrolling back and search). Memoised: finished slots are frozen text. */
export function streamLines(vm: StreamVm, cols: number): Line[] {
  if (!vm.slot) return [[{ text: vm.empty, style: 'muted' }]];
  const key = `${vm.slot.id}:${vm.text.length}:${vm.tokenCount}:${cols}:${shaded(vm)}`;
  if (memo?.key === key) return memo.lines;
  const lines = shaded(vm) ? segmentLines(tokenSegments(vm.scored!), cols) : textLines(vm.text, cols);
  memo = { key, lines };
  return lines;
}

/**
 * The last `rows` lines without wrapping the whole text: while following a long stream only its tail is
 * laid out, so a frame costs the same at 100 tokens and at 100,000.
 */
function tailLines(vm: StreamVm, cols: number, rows: number): Line[] {
  const budget = rows * cols * 2;
  if (shaded(vm)) {
    const tokens = vm.scored!;
    let i = tokens.length;
    let chars = 0;
    let newlines = 0;
    while (i > 0 && chars < budget && newlines <= rows) {
      i--;
      chars += tokens[i].text.length;
      for (const c of tokens[i].text) if (c === '\n') newlines++;
    }
    return segmentLines(tokenSegments(tokens.slice(i)), cols).slice(-rows);
  }
  const text = vm.text;
  let start = text.length;
  let end = text.length;
  let covered = 0;
  while (covered < rows && text.length - start <= budget) {
    const newline = end > 0 ? text.lastIndexOf('\n', end - 1) : -1;
    covered += Math.max(1, Math.ceil((end - newline - 1) / cols));
    start = newline + 1;
    if (newline < 0) break;
    end = newline;
  }
  start = Math.max(start, text.length - budget);
  return textLines(text.slice(start), cols).slice(-rows);
}

function headerLine(vm: StreamVm, cols: number): Line {
  if (!vm.slot) return [{ text: 'no slot', style: 'muted' }];
  const { slot } = vm;
  const rate = vm.tokensPerSecond > 0 ? ` · ${vm.tokensPerSecond.toFixed(1)} tok/s` : '';
  const temperature = slot.temperature !== undefined ? ` · T=${slot.temperature}` : '';
  const shading = vm.cursor !== undefined ? ' · inspecting (Esc closes)' : vm.shading ? (shaded(vm) ? ' · shaded' : ' · no n_probs') : '';
  const left: Line = [
    { text: `${slot.id} ${slot.name}`, style: 'heading' },
    { text: ` · ${vm.tokenCount} tok${rate}${temperature}${shading}`, style: 'muted' },
  ];
  return withRight(left, [{ text: slot.status, style: STATUS_STYLE[slot.status] }], cols);
}

/** The tokens with the inspector's cursor kept in view (a third from the top), and its facts below them. */
function inspectorBody(vm: StreamVm, cols: number, rows: number): Line[] {
  const tokens = vm.scored!;
  const footer = inspectorFooter(tokens, vm.cursor!, cols);
  const room = Math.max(1, rows - footer.length);
  const { lines, at } = cursorLines(tokens, vm.cursor!, cols, vm.shading ? (t) => probabilityStyle(t.logprob) : undefined);
  const top = Math.max(0, Math.min(at - Math.floor(room / 3), lines.length - room));
  const shown = lines.slice(top, top + room);
  return [...shown, ...Array.from({ length: room - shown.length }, (): Line => []), ...footer];
}

export function renderStream(vm: StreamVm, size: PaneSize): string[] {
  const rows = Math.max(0, size.rows - 1);
  let body: Line[];
  if (!vm.slot) body = [[{ text: vm.empty, style: 'muted' }]];
  else if (vm.cursor !== undefined) body = inspectorBody(vm, size.cols, rows);
  else if (vm.scroll === 'end') body = tailLines(vm, size.cols, rows);
  else body = viewport(streamLines(vm, size.cols), rows, vm.scroll).visible;
  if (vm.search) body = body.map((line) => highlight(line, vm.search));
  return tagged([headerLine(vm, size.cols), ...body], size);
}
