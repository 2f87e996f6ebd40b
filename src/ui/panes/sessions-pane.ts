// Session browser pane: recorded sessions as a table (date, dataset, problem, flow, model, verdict, duration, tokens, tags). Pure.

import { resolve } from 'node:path';
import { hashTags, noteLine } from '../../core/annotation.js';
import { filterSessions, sortSessions, verdictText, type SessionRow } from '../../session/catalog.js';
import { type SessionSortKey } from '../../state/ui-state.js';
import type { UiState } from '../../state/ui-state.js';
import { plural } from '../../text/plural.js';
import { clean, clipLine, type Line, type Segment } from '../common/text.js';
import type { StyleName } from '../common/theme.js';
import { tagged, type PaneSize } from './pane.js';
import { hintSegments, type KeyHint } from './status-bar.js';

/** What the browser lists: the catalog's rows of one folder, and what it had to say about them. */
export interface SessionListing {
  dir: string;
  rows: SessionRow[];
  warnings: string[];
}

export interface SessionsVm {
  dir: string;
  /** Sessions in the folder, before filtering. */
  total: number;
  /** Sorted and filtered: what the table shows. */
  rows: SessionRow[];
  selected: number;
  sort: SessionSortKey;
  filter: string;
  /** Paths written now (marked; never deleted). */
  recording: string[];
  /** Path open in the workbench. */
  open?: string;
  hints: KeyHint[];
}

const SORT_NOTE: Record<SessionSortKey, string> = {
  date: 'newest first',
  verdict: 'best first',
  duration: 'longest first',
  tokens: 'most first',
  problem: 'by problem',
};

/** The filter in force: the one being typed, else the one kept. */
function activeFilter(ui: Pick<UiState, 'input' | 'browser'>): string {
  return ui.input?.kind === 'filter' ? ui.input.text.trim() : ui.browser.filter;
}

/** The rows the table shows, in order: the same catalog functions `slotbench sessions` uses. */
export function browserRows(rows: readonly SessionRow[], ui: Pick<UiState, 'input' | 'browser'>): SessionRow[] {
  const filter = activeFilter(ui);
  return sortSessions(filter ? filterSessions(rows, filter) : rows, ui.browser.sort);
}

/** The row under the cursor, if any (the cursor is kept inside the list). */
export function pickedRow(rows: readonly SessionRow[], ui: Pick<UiState, 'panelRow'>): SessionRow | undefined {
  return rows[Math.min(ui.panelRow, rows.length - 1)];
}

export function sessionsView(listing: SessionListing, ui: UiState, extra: { recording: string[]; open?: string; hints: KeyHint[] }): SessionsVm {
  const rows = browserRows(listing.rows, ui);
  return {
    dir: listing.dir,
    total: listing.rows.length,
    rows,
    selected: Math.max(0, Math.min(ui.panelRow, rows.length - 1)),
    sort: ui.browser.sort,
    filter: activeFilter(ui),
    recording: extra.recording.map((p) => resolve(p)),
    ...(extra.open ? { open: resolve(extra.open) } : {}),
    hints: extra.hints,
  };
}

const HEADINGS = ['DATE', 'DATASET', 'PROBLEM', 'FLOW', 'MODEL', 'VERDICT', 'DURATION', 'TOKENS', 'TAGS'] as const;
/**
 * Tags give way first (cut, then gone: the picked row's detail line still lists them), then the dataset, then flow and
 * model (the wider of the two each time), the problem id last. With no tagged row the TAGS column is not drawn.
 */
const DATASET = 1;
const PROBLEM = 2;
const FLOW = 3;
const MODEL = 4;
const VERDICT = 5;
const TOKENS = 7;
const TAGS = 8;
const MIN_WIDTH = 6;
/** `HumanEval`, `mbpp`: enough to tell the usual datasets apart. */
const DATASET_MIN_WIDTH = 9;
/** Cursor, flag and a space before each row. */
const ROW_PREFIX = 3;

function cells(row: SessionRow, wideDate: boolean): string[] {
  const date = row.startedAt.replace('T', ' ').slice(wideDate ? 0 : 5, 16);
  return [
    date,
    (row.dataset ?? '').replace(/\.jsonl?(\.gz)?$/, ''),
    row.problem,
    row.mode === 'probe' ? `${row.flow} (probe)` : row.flow,
    row.model,
    row.missing ? 'FILE MISSING' : verdictText(row),
    row.durationMs !== undefined ? `${(row.durationMs / 1000).toFixed(1)} s` : '',
    row.tokens !== undefined ? String(row.tokens) : '',
    hashTags(row.tags),
  ].map((c) => clean(c).replace(/\s+/g, ' '));
}

/** The picked row's tags and note, whole tags and the note's first line (the table may have cut or dropped them). */
export function annotationLine(row: SessionRow, cols: number): Line | undefined {
  if (!row.tags?.length && !row.note) return undefined;
  const line: Line = [];
  if (row.tags?.length) line.push({ text: hashTags(row.tags), style: 'heading' });
  if (row.note) {
    if (line.length > 0) line.push({ text: ' · ', style: 'muted' });
    const room = Math.max(8, cols - hashTags(row.tags).length - 9);
    line.push({ text: 'note: ', style: 'muted' }, { text: noteLine(row.note, room) });
  }
  return line;
}

/** Every branch's verdict of a branched session, the deciding one marked (the picked row's detail line). */
export function branchLine(row: SessionRow): Line | undefined {
  if (!row.branches) return undefined;
  const line: Line = [{ text: 'branches: ', style: 'muted' }];
  row.branches.forEach((b, i) => {
    if (i > 0) line.push({ text: ' · ', style: 'muted' });
    line.push({ text: `b${b.id} ` }, { text: b.verdict ?? 'unfinished', style: verdictStyle({ ...row, missing: false, verdict: b.verdict }) });
    if (b.id === row.decidedBy) line.push({ text: ' ◂ result (finished last)', style: 'heading' });
  });
  return line;
}

/** Column widths for `room` cells with `gap` between columns: natural widths, cut until they fit. */
function widths(table: string[][], room: number, gap: number): number[] {
  const tagged = table.some((row) => row[TAGS] !== '');
  const w = HEADINGS.map((h, i) => (i === TAGS && !tagged ? 0 : Math.max(h.length, ...table.map((row) => row[i].length))));
  let excess = w.reduce((a, b) => a + b, 0) + gap * (w.filter((x) => x > 0).length - 1) - room;
  if (excess > 0 && tagged) {
    const tagsCut = Math.min(excess, w[TAGS] - HEADINGS[TAGS].length);
    w[TAGS] -= tagsCut;
    excess -= tagsCut;
    if (excess > 0) {
      excess -= w[TAGS] + gap;
      w[TAGS] = 0;
    }
  }
  const datasetCut = Math.min(Math.max(0, excess), Math.max(0, w[DATASET] - DATASET_MIN_WIDTH));
  w[DATASET] -= datasetCut;
  excess -= datasetCut;
  while (excess > 0 && Math.max(w[FLOW], w[MODEL]) > MIN_WIDTH) {
    w[w[FLOW] >= w[MODEL] ? FLOW : MODEL]--;
    excess--;
  }
  // Still too wide: the dataset goes before the problem id is cut.
  if (excess > 0) {
    excess -= w[DATASET] + gap;
    w[DATASET] = 0;
  }
  if (excess > 0) w[PROBLEM] = Math.max(MIN_WIDTH, w[PROBLEM] - excess);
  return w;
}

function verdictStyle(row: SessionRow): StyleName {
  if (row.missing) return 'status.error';
  if (!row.verdict) return 'muted';
  return row.verdict === 'pass' ? 'status.passed' : row.verdict === 'aborted' ? 'status.aborted' : 'status.failed';
}

function flag(vm: SessionsVm, row: SessionRow): Segment {
  const path = resolve(row.path);
  if (vm.recording.includes(path)) return { text: '●', style: 'status.streaming' };
  if (vm.open === path) return { text: '○', style: 'current' };
  if (row.unindexed) return { text: '*', style: 'muted' };
  return { text: ' ' };
}

/** Cell `i` at its column width: numbers right-aligned, text cut with an ellipsis. */
function pad(text: string, i: number, w: number[]): string {
  if (i >= 6 && i <= TOKENS) return text.padStart(w[i]);
  return (text.length > w[i] ? `${text.slice(0, w[i] - 1)}…` : text).padEnd(w[i]);
}

/** Cells `from` to `to`, a column of width 0 (one given up for room) left out with its gap. */
function tableLine(texts: string[], w: number[], gap: string, from = 0, to = texts.length): string {
  return texts
    .slice(from, to)
    .map((c, i) => (w[from + i] === 0 ? undefined : pad(c, from + i, w)))
    .filter((c) => c !== undefined)
    .join(gap);
}

export function sessionsLines(vm: SessionsVm, size: { cols: number; rows: number }): Line[] {
  const { cols } = size;
  const shown = vm.filter ? `${vm.rows.length} of ${vm.total} match "${clean(vm.filter)}"` : plural(vm.total, 'session');
  const head: Line[] = [
    [{ text: clean(vm.dir), style: 'heading' }, { text: ` · ${shown} · sort: ${vm.sort} (${SORT_NOTE[vm.sort]})`, style: 'muted' }],
  ];
  const pickedRow = vm.rows[vm.selected];
  const branches = pickedRow ? branchLine(pickedRow) : undefined;
  const annotation = pickedRow ? annotationLine(pickedRow, cols) : undefined;
  const foot: Line[] = [
    ...(annotation ? [annotation] : []),
    ...(branches ? [branches] : []),
    [{ text: '● being recorded  ○ open here  * not in the index', style: 'muted' }],
    hintSegments(vm.hints),
  ];
  if (vm.rows.length === 0) {
    const empty = vm.total === 0 ? 'No recorded sessions here yet.' : 'No session matches the filter: / then Enter clears it.';
    const message: Line = [{ text: empty, style: 'muted' }];
    const filler: Line[] = Array.from({ length: Math.max(0, size.rows - head.length - 2 - foot.length) }, () => []);
    return [...head, [], message, ...filler, ...foot].map((l) => clipLine(l, cols));
  }
  // Narrow terminals get the short date and one space between columns.
  const wide = cols >= 96;
  const gap = wide ? '  ' : ' ';
  const table = vm.rows.map((row) => cells(row, wide));
  const w = widths(table, cols - ROW_PREFIX, gap.length);

  const bodyRows = Math.max(1, size.rows - head.length - 1 - foot.length);
  // Keep the picked row in view.
  const top = vm.selected >= bodyRows ? vm.selected - bodyRows + 1 : 0;
  const body = vm.rows.slice(top, top + bodyRows).map((row, i): Line => {
    const at = top + i;
    const texts = table[at];
    const picked = at === vm.selected;
    const line: Line = [
      { text: picked ? '▶' : ' ', style: 'current' },
      flag(vm, row),
      { text: ' ' },
      { text: `${tableLine(texts, w, gap, 0, VERDICT)}${gap}` },
      { text: pad(texts[VERDICT], VERDICT, w), style: verdictStyle(row) },
      { text: `${gap}${tableLine(texts, w, gap, VERDICT + 1)}` },
    ];
    return picked ? line.map((s) => ({ text: s.text, style: 'selected' as StyleName })) : line;
  });
  const filler: Line[] = Array.from({ length: bodyRows - body.length }, () => []);
  const columns: Line = [{ text: `${' '.repeat(ROW_PREFIX)}${tableLine([...HEADINGS], w, gap)}`, style: 'muted' }];
  return [
    ...head,
    columns,
    ...body,
    ...filler,
    ...foot,
  ].map((l) => clipLine(l, cols));
}

export function renderSessions(vm: SessionsVm, size: PaneSize): string[] {
  return tagged(sessionsLines(vm, size), size);
}
