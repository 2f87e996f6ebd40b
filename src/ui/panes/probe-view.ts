// Probe view: the outcome summary on top, the samples as a list, and the picked sample's tokens, diff and test. Pure.

import type { ProbeResult, ProbeSample } from '../../probe/types.js';
import type { RunState } from '../../state/run-state.js';
import type { UiState } from '../../state/ui-state.js';
import { gateStatus, STATUS_STYLE } from '../common/slot-status.js';
import { clean, clipLine, lineWidth, proseLines, viewport, type Line, type Segment } from '../common/text.js';
import { diffLines, diffStat, diffView } from './diff-pane.js';
import { tagged, type PaneSize } from './pane.js';
import { hintSegments, type KeyHint } from './status-bar.js';
import { comparisonLines } from './probe-compare.js';
import { histogram, passAtKLines } from './probe-pane.js';
import { OUTCOME_LABEL, OUTCOME_STYLE, quotedToken, rate } from './probe-text.js';
import { streamLines, streamView } from './stream-pane.js';
import { testLines, testView } from './test-pane.js';

/** What the view shows: a probe's results (one per temperature) and the run state its samples were reduced into. */
export interface ProbeViewInput {
  results: ProbeResult[];
  state: RunState;
}

/** One sample row: the sample, the result it belongs to, its solution group, and its token where the samples part. */
export interface SampleRow {
  sample: ProbeSample;
  result: ProbeResult;
  /** 1-based number of its solution group, if its code was grouped. */
  group?: number;
  /** Its token at the divergence (`(end)` when it had ended), with the probability the model gave it. */
  chose?: { token: string; probability?: number };
}

/** Every sample of every temperature, in the order the probe ran them. */
export function sampleRows({ results, state }: ProbeViewInput): SampleRow[] {
  return results.flatMap((result) =>
    result.samples.map((sample): SampleRow => {
      const group = result.groups.findIndex((g) => g.samples.includes(sample.index));
      const position = result.divergence?.position;
      const token = position !== undefined && sample.slotId ? state.slots.get(sample.slotId)?.scored?.[position] : undefined;
      const chose = position === undefined ? undefined : { token: quotedToken(token?.text ?? null), ...(token?.logprob !== undefined ? { probability: Math.exp(token.logprob) } : {}) };
      return { sample, result, ...(group >= 0 ? { group: group + 1 } : {}), ...(chose ? { chose } : {}) };
    }),
  );
}

/** Rows of the panel at which the full summary (histogram with bars) is shown instead of the compact one. */
const FULL_SUMMARY_ROWS = 30;

/** One histogram per temperature, side by side, each headed by its temperature (a probe comparing temperatures). */
function histograms(results: ProbeResult[], cols: number): Line[] {
  const width = Math.min(60, Math.floor((cols - 3 * (results.length - 1)) / results.length));
  const columns = results.map((r) => [[{ text: `T=${r.temperature} · passed ${r.passed}/${r.requested}`, style: 'heading' as const }], ...histogram(r, width, false).slice(1)]);
  const height = Math.max(...columns.map((c) => c.length));
  return Array.from({ length: height }, (_, i) =>
    columns.flatMap((column, c): Segment[] => {
      const cell = clipLine(column[i] ?? [], width);
      const gap = c < columns.length - 1 ? [{ text: ' '.repeat(Math.max(0, width - lineWidth(cell))) }, { text: ' │ ', style: 'muted' as const }] : [];
      return [...cell, ...gap];
    }),
  );
}

function summaryLines(result: ProbeResult | undefined, input: ProbeViewInput, cols: number, rows: number): Line[] {
  if (!result) return [[{ text: 'no sample has started yet', style: 'muted' }]];
  const lines: Line[] = [
    [{ text: `probe ${clean(result.slot)}`, style: 'heading' }, { text: clean(` · ${result.problem} · model ${result.model} · T=${result.temperature}`) }],
    [
      { text: `passed ${result.passed}/${result.requested}`, style: result.passed > 0 ? 'status.passed' : 'status.failed' },
      { text: ` · judged ${result.judged} · repaired ${result.repaired} · distinct solutions ${result.groups.length} (${result.distinctPassing} passing)` },
    ],
  ];
  if (rows >= FULL_SUMMARY_ROWS) {
    lines.push(...passAtKLines(result));
    if (input.results.length > 1) lines.push(...histograms(input.results, cols), ...comparisonLines(input.results));
    else lines.push(...histogram(result, Math.min(cols, 60), false));
  } else {
    const k = result.passAtK.map((e) => `pass@${e.k} ${rate(e.estimate)} (${rate(e.low)}–${rate(e.high)})`).join(' · ');
    lines.push([{ text: k || 'pass@k: no judged samples', style: 'muted' }]);
    const counts = (Object.keys(result.counts) as (keyof typeof result.counts)[]).filter((o) => result.counts[o] > 0);
    lines.push(counts.flatMap((o, i): Segment[] => [...(i ? [{ text: ' · ' }] : []), { text: `${OUTCOME_LABEL[o]} ${result.counts[o]}`, style: OUTCOME_STYLE[o] }]));
  }
  const d = result.divergence;
  if (d) {
    const chosen = d.chosen.map((c) => `${quotedToken(c.token)} ×${c.count}`).join(', ');
    lines.push([{ text: `samples diverge at token ${d.position}`, style: 'heading' }, { text: clean(` after ${quotedToken(d.prefix.slice(-30))}: chose ${chosen}`) }]);
    lines.push([{ text: clean(`  the model weighed ${d.alternatives.map((a) => `${quotedToken(a.token)} ${rate(a.probability)}`).join('  ')}`), style: 'muted' }]);
  }
  return lines.map((l) => clipLine(l, cols));
}

/** The list is narrow at 80 columns (number, seed, verdict, group) and adds T and tokens when there is room. */
function listColumns(cols: number, temperatures: number): { wide: boolean; width: number } {
  const wide = cols >= 100;
  // Cursor 2, number 3, seed 5, verdict 12, group 4, with a space between each; wide adds T 5 and tokens 5.
  return { wide, width: 29 + (wide ? (temperatures > 1 ? 6 : 0) + 5 : 0) };
}

function listLines(rows: SampleRow[], selected: number, width: number, wide: boolean, several: boolean, height: number): Line[] {
  const cell = (r: SampleRow, i: number) => {
    const parts = [String(i + 1).padStart(3), ...(wide && several ? [String(r.sample.temperature).padEnd(5)] : []), String(r.sample.seed ?? '–').padEnd(5)];
    return parts.join(' ');
  };
  const head: Line = [{ text: `  ${['  #', ...(wide && several ? ['T    '] : []), 'seed '].join(' ')} verdict      grp${wide ? '   tok' : ''}`, style: 'muted' }];
  const top = selected >= height - 1 ? selected - height + 2 : 0;
  const body = rows.slice(top, top + height - 1).map((r, n): Line => {
    const i = top + n;
    const picked = i === selected;
    const line: Line = [
      { text: picked ? '▶ ' : '  ', style: 'current' },
      { text: `${cell(r, i)} ` },
      { text: OUTCOME_LABEL[r.sample.outcome].padEnd(12), style: OUTCOME_STYLE[r.sample.outcome] },
      { text: ` ${(r.group ? `#${r.group}` : '–').padEnd(4)}${wide ? String(r.sample.tokens).padStart(5) : ''}` },
    ];
    return clipLine(picked ? line.map((s) => ({ text: s.text, style: 'selected' as const })) : line, width);
  });
  return [clipLine(head, width), ...body];
}

/** The picked sample's own view: the panes' view functions pointed at its slot in the probe's state. */
function sampleUi(ui: UiState, slotId: string): UiState {
  return { ...ui, selectedSlot: slotId, scroll: { plan: 0, stream: 0, diff: 0, test: 0 } };
}

/** Lines above the sample's scrolling detail: which sample, how it ended, what it chose where the samples part. */
function detailHead(row: SampleRow | undefined, cols: number): Line[] {
  if (!row) return [[{ text: 'no samples', style: 'muted' }]];
  const { sample } = row;
  const facts = [`sample ${sample.index + 1}`, `seed ${sample.seed ?? '–'}`, `T=${sample.temperature}`];
  const line: Line = [
    { text: facts.join(' · '), style: 'heading' },
    { text: ' · ' },
    { text: OUTCOME_LABEL[sample.outcome], style: OUTCOME_STYLE[sample.outcome] },
    { text: `${row.group ? ` · group #${row.group}` : ''}${sample.repaired ? ' · repaired' : ''}` },
  ];
  const lines = [clipLine(line, cols), clipLine([{ text: clean(sample.reason), style: 'muted' }], cols)];
  if (row.chose) {
    const p = row.chose.probability !== undefined ? ` (p ${rate(row.chose.probability)})` : '';
    lines.push(clipLine([{ text: clean(`at token ${row.result.divergence!.position} it chose ${row.chose.token}${p}`) }], cols));
  }
  return lines;
}

/** The sample's tokens, the diff its code made and its test run, one after the other (this part scrolls). */
export function detailLines(row: SampleRow | undefined, state: RunState, ui: UiState, cols: number): Line[] {
  if (!row) return [];
  const slotId = row.sample.slotId;
  if (!slotId) return proseLines('this sample never reached the model: nothing to show', cols, 'muted');
  const view = sampleUi(ui, slotId);
  const stream = streamView(state, view);
  const diff = diffView(state, view);
  const test = testView(state, view);
  const stat = diff.diff ? diffStat(diff.diff) : undefined;
  const rule = (text: string, status?: Segment): Line => [{ text: `── ${text} `, style: 'heading' }, ...(status ? [status] : [])];
  const gate = test.gate;
  return [
    rule(`tokens · ${stream.slot ? `${stream.slot.id} ${stream.slot.name}` : slotId} · ${stream.tokenCount} tok${stream.shading ? (stream.scored ? ' · shaded' : ' · no n_probs') : ''}`),
    ...streamLines(stream, cols),
    rule(`diff${stat ? ` · +${stat.added} -${stat.removed}` : ''}`),
    ...diffLines(diff, cols),
    rule(gate ? `test ${gate.id}` : 'test', gate ? { text: gateStatus(gate), style: STATUS_STYLE[gateStatus(gate)] } : undefined),
    ...testLines(test, cols),
  ].map((l) => clipLine(l, cols));
}

export interface ProbeViewLayout {
  summary: Line[];
  rows: SampleRow[];
  selected: number;
  list: { width: number; wide: boolean };
  /** Rows under the summary (list and detail side by side). */
  height: number;
  detailCols: number;
  head: Line[];
  /** Rows the scrolling detail gets. */
  detailRows: number;
}

/** Where everything goes for a panel size (shared by drawing and by scrolling, so they agree). */
export function probeViewLayout(input: ProbeViewInput, ui: UiState, size: { cols: number; rows: number }): ProbeViewLayout {
  const rows = sampleRows(input);
  const selected = Math.max(0, Math.min(ui.panelRow, rows.length - 1));
  const row = rows[selected];
  const summary = summaryLines(row?.result ?? input.results[0], input, size.cols, size.rows);
  const list = listColumns(size.cols, input.results.length);
  const detailCols = Math.max(10, size.cols - list.width - 3);
  const height = Math.max(3, size.rows - summary.length - 2);
  const head = detailHead(row, detailCols);
  return { summary, rows, selected, list, height, detailCols, head, detailRows: Math.max(1, height - head.length) };
}

export function renderProbeView(input: ProbeViewInput, ui: UiState, size: PaneSize & { scroll: number; hints: KeyHint[] }): string[] {
  const layout = probeViewLayout(input, ui, size);
  const { list, height, detailCols } = layout;
  const row = layout.rows[layout.selected];
  const left = listLines(layout.rows, layout.selected, list.width, list.wide, input.results.length > 1, height);
  const right = [...layout.head, ...viewport(detailLines(row, input.state, ui, detailCols), layout.detailRows, size.scroll).visible];
  const body: Line[] = Array.from({ length: height }, (_, i) => {
    const l = left[i] ?? [];
    return [...l, { text: ' '.repeat(Math.max(0, list.width - lineWidth(l))) }, { text: ' │ ', style: 'muted' }, ...(right[i] ?? [])];
  });
  return tagged([...layout.summary, [{ text: '─'.repeat(size.cols), style: 'muted' }], ...body, hintSegments(size.hints)], size);
}
