// The eval view's results table: one row per problem and repeat (with the second run's verdict in the compare view). Pure.

import { evalRowKey, type EvalAgainst, type EvalViewRow } from '../../state/eval-view.js';
import { clean, clipLine, type Line, type Segment } from '../common/text.js';
import type { StyleName } from '../common/theme.js';
import { timeText, tokensText } from './eval-charts.js';

interface Column {
  head: string;
  width: number;
  /** Dropped first when the id needs room: higher goes first. */
  drop: number;
  right?: boolean;
  cell(row: EvalViewRow, against?: EvalAgainst): Segment;
}

const MIN_ID = 12;

export function verdictStyle(outcome: EvalViewRow['outcome'] | undefined, verdict?: string): StyleName {
  if (outcome === undefined) return 'muted';
  if (outcome === 'pass') return 'status.passed';
  if (outcome === 'error') return 'status.error';
  return verdict === 'timeout' ? 'status.timeout' : 'status.failed';
}

const verdictCell = (row: EvalViewRow | undefined): Segment => ({ text: row ? clean(row.verdict) : '–', style: verdictStyle(row?.outcome, row?.verdict) });

const SINGLE: Column[] = [
  { head: 'SPLIT', width: 8, drop: 2, cell: (r) => ({ text: r.split === 'heldout' ? 'held-out' : 'tuned', style: 'muted' }) },
  { head: 'VERDICT', width: 11, drop: 0, cell: (r) => verdictCell(r) },
  { head: 'ATT', width: 3, drop: 3, right: true, cell: (r) => ({ text: String(r.attempts) }) },
  { head: 'REPAIRED', width: 8, drop: 4, cell: (r) => (r.repaired ? { text: 'repaired', style: 'status.repaired' } : { text: '' }) },
  { head: 'TOKENS', width: 6, drop: 1, right: true, cell: (r) => ({ text: tokensText(r.tokens) }) },
  { head: 'TIME', width: 7, drop: 1, right: true, cell: (r) => ({ text: timeText(r.timeMs) }) },
];

const other = (r: EvalViewRow, against?: EvalAgainst) => against?.rows[evalRowKey(r)];

const COMPARE: Column[] = [
  { head: 'SPLIT', width: 8, drop: 2, cell: (r) => ({ text: r.split === 'heldout' ? 'held-out' : 'tuned', style: 'muted' }) },
  { head: 'A', width: 11, drop: 0, cell: (r) => verdictCell(r) },
  { head: 'B', width: 11, drop: 0, cell: (r, a) => verdictCell(other(r, a)) },
  {
    head: 'FLIP',
    width: 6,
    drop: 0,
    cell: (r, a) => {
      const flip = a?.flips[r.id];
      return flip === 'gained' ? { text: 'gained', style: 'status.passed' } : flip === 'lost' ? { text: 'lost', style: 'status.failed' } : { text: '' };
    },
  },
  { head: 'A TOK', width: 6, drop: 1, right: true, cell: (r) => ({ text: tokensText(r.tokens) }) },
  { head: 'B TOK', width: 6, drop: 1, right: true, cell: (r, a) => ({ text: other(r, a) ? tokensText(other(r, a)!.tokens) : '–' }) },
];

/** The columns that fit in `cols` with the id at least MIN_ID wide (cursor and a space before each row). */
function fitted(cols: number, compare: boolean): { columns: Column[]; idWidth: number } {
  let columns = compare ? COMPARE : SINGLE;
  // Cursor and a space, then the id and each column with a space before it.
  const used = () => 2 + columns.reduce((n, c) => n + 1 + c.width, 0);
  while (cols - used() < MIN_ID && columns.some((c) => c.drop > 0)) {
    const worst = Math.max(...columns.map((c) => c.drop));
    const at = columns.findIndex((c) => c.drop === worst);
    columns = columns.filter((_c, i) => i !== at);
  }
  return { columns, idWidth: Math.max(MIN_ID, Math.min(28, cols - used())) };
}

function fit(text: string, width: number, right = false): string {
  const cut = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return right ? cut.padStart(width) : cut.padEnd(width);
}

function idText(row: EvalViewRow, repeats: boolean): string {
  return repeats ? `${clean(row.id)} #${row.repeat}` : clean(row.id);
}

export interface EvalTableVm {
  rows: readonly EvalViewRow[];
  cursor: number;
  against?: EvalAgainst;
  /** Show each row's repeat after its id. */
  repeats: boolean;
}

/** The heading line and `height` rows around the cursor (the cursor kept in view). */
export function evalTableLines(vm: EvalTableVm, cols: number, height: number): Line[] {
  const { columns, idWidth } = fitted(cols, vm.against !== undefined);
  const head: Line = [{ text: `  ${fit('PROBLEM', idWidth)} ${columns.map((c) => fit(c.head, c.width, c.right)).join(' ')}`, style: 'muted' }];
  const rows = Math.max(1, height);
  const top = vm.cursor >= rows ? vm.cursor - rows + 1 : 0;
  const body = vm.rows.slice(top, top + rows).map((row, i): Line => {
    const picked = top + i === vm.cursor;
    const line: Line = [
      { text: picked ? '▶ ' : '  ', style: 'current' },
      { text: fit(idText(row, vm.repeats), idWidth) },
      ...columns.flatMap((c) => {
        const cell = c.cell(row, vm.against);
        return [{ text: ' ' }, { ...cell, text: fit(cell.text, c.width, c.right) }];
      }),
    ];
    return clipLine(picked ? line.map((s) => ({ text: s.text, style: 'selected' as StyleName })) : line, cols);
  });
  return [clipLine(head, cols), ...body];
}
