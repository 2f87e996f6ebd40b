// The eval view (`slotbench view RUN [RUN_B]`, `:eval`): header, pass-rate bars or paired tables, histograms, results table. Pure.

import { basename } from 'node:path';
import { evalRowKey, shownEvalRows, type EvalViewRow, type EvalViewState } from '../../state/eval-view.js';
import type { UiState } from '../../state/ui-state.js';
import { clean, clipLine, type Line } from '../common/text.js';
import { barGroups, histogramLines, passBar, sideBySide, sparkHistogram, timeText, tokensText } from './eval-charts.js';
import { evalTableLines } from './eval-table.js';
import { tagged, type PaneSize } from './pane.js';
import { hintSegments, type KeyHint } from './status-bar.js';

/** What the header says about a run directory (from its manifest). */
export interface EvalRunInfo {
  /** The directory as the person named it. */
  dir: string;
  dataset: string;
  model: string;
  flow: string;
  /** Problem × repeat runs the eval set out to do, and how many have a row. */
  expected: number;
  done: number;
  repeat: number;
}

export interface EvalViewVm {
  run: EvalRunInfo;
  /** The second run, in the compare view. */
  other?: EvalRunInfo;
  /** The view's state, its search replaced by the text being typed, if any. */
  state: EvalViewState;
  hints: KeyHint[];
}

/** The state as shown: a search being typed in the input line applies as typed. */
export function evalViewVm(state: EvalViewState, ui: Pick<UiState, 'input'>, run: EvalRunInfo, hints: KeyHint[], other?: EvalRunInfo): EvalViewVm {
  const typed = ui.input?.kind === 'filter' ? ui.input.text : undefined;
  return { run, ...(other ? { other } : {}), state: typed === undefined ? state : { ...state, search: typed }, hints };
}

function progress(info: EvalRunInfo): string {
  // An eval still running and one stopped early look the same here; the count is what is known.
  return info.done < info.expected ? `${info.done} of ${info.expected} done, ${info.expected - info.done} to go` : `${info.done} of ${info.expected} done`;
}

function header(vm: EvalViewVm): Line {
  const { run, other } = vm;
  if (other) {
    return [
      { text: `A ${clean(run.dir)}`, style: 'heading' },
      { text: ` (${progress(run)}) ↔ `, style: 'muted' },
      { text: `B ${clean(other.dir)}`, style: 'heading' },
      { text: ` (${progress(other)})`, style: 'muted' },
    ];
  }
  const live = run.done < run.expected;
  return [
    { text: clean(run.dir), style: 'heading' },
    { text: ' · ', style: 'muted' },
    { text: progress(run), style: live ? 'status.streaming' : 'muted' },
    { text: ` · ${clean(run.dataset)} · ${clean(run.model)} · ${clean(run.flow)}`, style: 'muted' },
  ];
}

function pairedLines(vm: EvalViewVm, cols: number): Line[] {
  const against = vm.state.against;
  if (!against) return [];
  const verdict: Line = [
    { text: 'held-out verdict: ', style: 'muted' },
    { text: against.verdict, style: against.verdict === 'better' ? 'status.passed' : against.verdict === 'worse' ? 'status.failed' : 'heading' },
    { text: ' · slotbench compare says why', style: 'muted' },
  ];
  const lines: Line[] = (['tuned', 'heldout'] as const).map((split) => {
    const p = against.paired[split];
    return clipLine(
      [
        { text: `${split === 'heldout' ? 'held-out' : 'tuned'.padEnd(8)}  ${p.n} paired: ` },
        { text: `both pass ${p.bothPass}` },
        { text: ' · ', style: 'muted' },
        { text: `A only ${p.aOnly}`, style: p.aOnly ? 'status.failed' : 'muted' },
        { text: ' · ', style: 'muted' },
        { text: `B only ${p.bOnly}`, style: p.bOnly ? 'status.passed' : 'muted' },
        { text: ` · neither ${p.neither}${p.excluded ? ` · ${p.excluded} unpaired` : ''}`, style: 'muted' },
      ],
      cols,
    );
  });
  const flips = Object.entries(against.flips).sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  const gained = flips.filter(([, f]) => f === 'gained').map(([id]) => clean(id));
  const lost = flips.filter(([, f]) => f === 'lost').map(([id]) => clean(id));
  // Counts first: a long list is cut at the edge, and the flipped filter lists every one in the table.
  const flipLine = (word: string, ids: string[], style: 'status.passed' | 'status.failed'): Line =>
    clipLine([{ text: `${word.padEnd(8)}  ${ids.length}${ids.length ? ': ' : ' flips'}`, style: ids.length ? style : 'muted' }, { text: ids.join(', ') }], cols);
  lines.push(
    flipLine('gained', gained, 'status.passed'),
    flipLine('lost', lost, 'status.failed'),
    clipLine(verdict, cols),
  );
  return lines;
}

/** Bars and histograms of the whole run (not the filtered rows): what the eval measured. */
function chartLines(vm: EvalViewVm, cols: number, rows: number): Line[] {
  const all = vm.state.rows;
  const big = rows >= 30;
  const groups = barGroups(all, big ? 6 : 2);
  const labelWidth = Math.max(...groups.map((g) => g.label.length));
  const bars = groups.map((g) => passBar(g, labelWidth, cols));
  const tokens = all.map((r) => r.tokens);
  const seconds = all.map((r) => r.timeMs);
  const half = Math.floor((cols - 2) / 2);
  const histograms = big
    ? sideBySide(histogramLines('tokens generated', tokens, tokensText, half, 7), histogramLines('time', seconds, timeText, half, 7), half)
    : sideBySide([sparkHistogram('tokens', tokens, tokensText, half)], [sparkHistogram('time', seconds, timeText, half)], half);
  return [...bars, ...histograms];
}

/** The picked row's error (why nothing was judged), else its session file, else that it was not recorded. */
function detailLine(vm: EvalViewVm, picked: EvalViewRow | undefined): Line {
  if (!picked) return [];
  const other = vm.state.against?.rows[evalRowKey(picked)];
  const error = picked.error ?? other?.error;
  if (error) return [{ text: `${clean(picked.id)} · ${picked.error ? '' : 'B '}error: ${clean(error)}`, style: 'status.error' }];
  const session = picked.session ? `session ${clean(basename(picked.session))}` : 'not recorded (no session file)';
  return [{ text: `${clean(picked.id)} · ${session}`, style: 'muted' }];
}

function statusLine(vm: EvalViewVm, shown: number): Line {
  const { state } = vm;
  const search = state.search ? ` · search "${clean(state.search)}"` : '';
  return [{ text: `filter: ${state.filter} · sort: ${state.sort}${search} · ${shown} of ${state.rows.length} rows`, style: 'muted' }];
}

export function evalViewLines(vm: EvalViewVm, size: { cols: number; rows: number }): Line[] {
  const { cols, rows } = size;
  const top: Line[] = [clipLine(header(vm), cols), ...(vm.other ? pairedLines(vm, cols) : chartLines(vm, cols, rows)), []];
  const shown = shownEvalRows(vm.state);
  const picked = shown[Math.min(vm.state.cursor, shown.length - 1)];
  const foot: Line[] = [detailLine(vm, picked), statusLine(vm, shown.length), hintSegments(vm.hints)].map((l) => clipLine(l, cols));
  const height = Math.max(1, rows - top.length - foot.length - 1);
  let table: Line[];
  if (shown.length === 0) {
    const why = vm.state.rows.length === 0 ? 'No results yet: rows appear here as the eval finishes problems.' : 'No row matches: f changes the filter, / then Enter clears the search.';
    table = [[{ text: why, style: 'muted' }]];
  } else {
    const cursor = Math.min(vm.state.cursor, shown.length - 1);
    table = evalTableLines({ rows: shown, cursor, repeats: vm.run.repeat > 1, ...(vm.state.against ? { against: vm.state.against } : {}) }, cols, height);
  }
  const filler: Line[] = Array.from({ length: Math.max(0, rows - top.length - table.length - foot.length) }, () => []);
  return [...top, ...table, ...filler, ...foot].slice(0, rows);
}

export function renderEvalView(vm: EvalViewVm, size: PaneSize): string[] {
  return tagged(evalViewLines(vm, size), size);
}
