// The eval view's charts: pass-rate bars (per split, per class) and histograms of tokens and time. Pure.

import { countOutcomes, type EvalViewRow } from '../../state/eval-view.js';
import { clean, clipLine, lineWidth, type Line } from '../common/text.js';
import { plural } from '../../text/plural.js';

/** One bar: a label and the rows it counts. */
export interface BarGroup {
  label: string;
  rows: readonly EvalViewRow[];
}

const BLOCKS = '▁▂▃▄▅▆▇█';

/** The split bars, then one per class (largest first) when the dataset has classes, at most `max` lines. */
export function barGroups(rows: readonly EvalViewRow[], max: number): BarGroup[] {
  const groups: BarGroup[] = [
    { label: 'tuned', rows: rows.filter((r) => r.split === 'tuned') },
    { label: 'held-out', rows: rows.filter((r) => r.split === 'heldout') },
  ];
  const classes = new Map<string, EvalViewRow[]>();
  for (const row of rows) if (row.class !== null) classes.set(row.class, [...(classes.get(row.class) ?? []), row]);
  const byClass = [...classes].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  return [...groups, ...byClass.map(([label, own]) => ({ label: `class ${clean(label)}`, rows: own }))].slice(0, Math.max(0, max));
}

/** `held-out  ██████░░░░  61.5%  8/13 judged · 1 error`: the rate over judged runs; errors are never fails. */
export function passBar(group: BarGroup, labelWidth: number, cols: number): Line {
  const counts = countOutcomes(group.rows);
  const judged = counts.pass + counts.fail;
  const label = clean(group.label).slice(0, labelWidth).padEnd(labelWidth);
  const figures = judged === 0 ? 'no judged run' : `${((counts.pass / judged) * 100).toFixed(1).padStart(5)}%  ${counts.pass}/${judged} judged`;
  const errors = counts.error > 0 ? ` · ${plural(counts.error, 'error')}` : '';
  const barWidth = Math.max(4, Math.min(30, cols - labelWidth - figures.length - errors.length - 4));
  const filled = judged === 0 ? 0 : Math.round((counts.pass / judged) * barWidth);
  return clipLine(
    [
      { text: `${label} ` },
      { text: '█'.repeat(filled), style: 'status.passed' },
      { text: '░'.repeat(barWidth - filled), style: judged === 0 ? 'muted' : 'status.failed' },
      { text: `  ${figures}` },
      { text: errors, style: 'status.error' },
    ],
    cols,
  );
}

/** Counts of `values` in `bins` equal-width bins from the smallest to the largest value. */
export function binCounts(values: readonly number[], bins: number): { low: number; high: number; counts: number[] } {
  if (values.length === 0) return { low: 0, high: 0, counts: [] };
  const low = Math.min(...values);
  const high = Math.max(...values);
  const n = high === low ? 1 : Math.max(1, bins);
  const counts = new Array<number>(n).fill(0);
  for (const v of values) counts[high === low ? 0 : Math.min(n - 1, Math.floor(((v - low) / (high - low)) * n))]++;
  return { low, high, counts };
}

/** A histogram in one line: `tokens ▁▃█▅▂ 12–480`. */
export function sparkHistogram(title: string, values: readonly number[], format: (v: number) => string, cols: number): Line {
  if (values.length === 0) return [{ text: `${title} –`, style: 'muted' }];
  const room = cols - title.length - 2 - format(0).length * 2 - 6;
  // √n bins (at least 4): enough to show a shape, few enough that most bins hold something.
  const bins = Math.max(4, Math.ceil(Math.sqrt(values.length)));
  const { low, high, counts } = binCounts(values, Math.max(1, Math.min(16, bins, room)));
  const top = Math.max(...counts);
  const bars = counts.map((c) => (c === 0 ? ' ' : BLOCKS[Math.min(7, Math.floor((c / top) * 7.999))])).join('');
  return clipLine([{ text: `${title} `, style: 'muted' }, { text: bars, style: 'heading' }, { text: ` ${format(low)}–${format(high)}`, style: 'muted' }], cols);
}

/** A histogram as `rows` lines (a title, then one bar per bin): `  12–90  ██████ 7`. */
export function histogramLines(title: string, values: readonly number[], format: (v: number) => string, cols: number, rows: number): Line[] {
  const lines: Line[] = [[{ text: title, style: 'heading' }]];
  if (values.length === 0) return [...lines, [{ text: 'no runs yet', style: 'muted' }]];
  const { low, high, counts } = binCounts(values, Math.max(1, rows - 1));
  const width = (high - low) / counts.length;
  const ranges = counts.map((_c, i) => `${format(low + i * width)}–${format(i === counts.length - 1 ? high : low + (i + 1) * width)}`);
  const rangeWidth = Math.max(...ranges.map((r) => r.length));
  const countWidth = String(Math.max(...counts)).length;
  const barRoom = Math.max(1, cols - rangeWidth - countWidth - 3);
  const top = Math.max(...counts);
  counts.forEach((count, i) => {
    const bar = Math.round((count / top) * barRoom);
    lines.push(clipLine([{ text: `${ranges[i].padStart(rangeWidth)} ` }, { text: '█'.repeat(bar), style: 'heading' }, { text: ` ${count}`.padStart(countWidth + 1), style: 'muted' }], cols));
  });
  return lines;
}

/** Two blocks of lines side by side, `gap` spaces apart, the left one padded to `leftCols`. */
export function sideBySide(left: Line[], right: Line[], leftCols: number, gap = 2): Line[] {
  return Array.from({ length: Math.max(left.length, right.length) }, (_x, i) => {
    const l = left[i] ?? [];
    return [...l, { text: ' '.repeat(Math.max(0, leftCols - lineWidth(l)) + gap) }, ...(right[i] ?? [])];
  });
}

/** Token counts as written in the table and charts. */
export function tokensText(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : String(Math.round(n));
}

/** Seconds with one decimal below a minute. */
export function timeText(ms: number): string {
  const s = ms / 1000;
  return s >= 60 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
}
