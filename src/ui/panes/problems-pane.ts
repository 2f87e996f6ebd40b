// Problem picker pane: a dataset's problems (id, entry point, what to do, last verdict), fuzzy-filtered, and the picked one's prompt. Pure.

import type { ProblemEntry } from '../common/contracts.js';
import { clean, clipLine, textLines, type Line } from '../common/text.js';
import type { StyleName } from '../common/theme.js';
import { tagged, type PaneSize } from './pane.js';
import { hintSegments, type KeyHint } from './status-bar.js';

export interface ProblemsVm {
  dataset: string;
  total: number;
  /** Filtered and ranked: what the list shows. */
  rows: ProblemEntry[];
  selected: number;
  filter: string;
  hints: KeyHint[];
}

/**
 * How well `query` matches `text` as a subsequence (case-insensitive): higher is better, undefined = no match.
 * Runs of consecutive letters and an early start score more, so `has_clo` ranks `has_close_elements` first.
 */
export function fuzzyScore(query: string, text: string): number | undefined {
  const q = query.toLowerCase().replace(/\s+/g, '');
  const t = text.toLowerCase();
  let score = 0;
  let at = -1;
  let run = 0;
  for (const c of q) {
    const next = t.indexOf(c, at + 1);
    if (next < 0) return undefined;
    run = next === at + 1 ? run + 1 : 0;
    score += 1 + run * 2 - Math.min(next - at - 1, 10) * 0.1;
    at = next;
  }
  return score;
}

/** The problems matching `filter`, best first (the dataset's order when there is no filter or scores tie). */
export function pickProblems(entries: readonly ProblemEntry[], filter: string): ProblemEntry[] {
  if (!filter.trim()) return [...entries];
  return entries
    .map((entry, i) => ({ entry, i, score: fuzzyScore(filter, `${entry.id} ${entry.entryPoint} ${entry.summary}`) }))
    .filter((r) => r.score !== undefined)
    .sort((a, b) => b.score! - a.score! || a.i - b.i)
    .map((r) => r.entry);
}

function verdictStyle(verdict: string | undefined): StyleName {
  if (!verdict) return 'muted';
  return verdict === 'pass' ? 'status.passed' : verdict === 'aborted' ? 'status.aborted' : 'status.failed';
}

export function problemsLines(vm: ProblemsVm, size: { cols: number; rows: number }): Line[] {
  const { cols } = size;
  const shown = vm.filter ? `${vm.rows.length} of ${vm.total} match "${clean(vm.filter)}"` : `${vm.total} problems`;
  const head: Line[] = [[{ text: clean(vm.dataset), style: 'heading' }, { text: ` · ${shown}`, style: 'muted' }]];
  const foot: Line[] = [hintSegments(vm.hints)];
  // The list takes the upper half, the prompt of the picked problem the rest.
  const listRows = Math.max(3, Math.floor((size.rows - head.length - foot.length) / 2));
  const previewRows = Math.max(0, size.rows - head.length - foot.length - listRows - 1);
  const idWidth = Math.min(24, Math.max(2, ...vm.rows.map((r) => r.id.length)));
  const entryWidth = Math.min(28, Math.max(5, ...vm.rows.map((r) => r.entryPoint.length)));
  const top = vm.selected >= listRows ? vm.selected - listRows + 1 : 0;
  const list = vm.rows.slice(top, top + listRows).map((row, i): Line => {
    const picked = top + i === vm.selected;
    const verdict = (row.lastVerdict ?? '').padEnd(11);
    const line: Line = [
      { text: picked ? '▶ ' : '  ', style: 'current' },
      { text: `${clean(row.id).padEnd(idWidth)}  ${clean(row.entryPoint).padEnd(entryWidth)}  ` },
      { text: verdict, style: verdictStyle(row.lastVerdict) },
      { text: ` ${clean(row.summary)}`, style: 'muted' },
    ];
    return picked ? line.map((s) => ({ text: s.text, style: 'selected' as StyleName })) : line;
  });
  if (vm.rows.length === 0) list.push([{ text: vm.total === 0 ? 'This dataset has no problems.' : 'No problem matches: / then Enter clears the filter.', style: 'muted' }]);
  const filler = (n: number): Line[] => Array.from({ length: Math.max(0, n) }, () => []);
  const picked = vm.rows[vm.selected];
  const preview: Line[] = picked ? textLines(picked.statement.replace(/^(\s*\n)+/, ''), cols).slice(0, previewRows) : [];
  return [
    ...head,
    ...list,
    ...filler(listRows - list.length),
    [{ text: picked ? `── prompt of ${clean(picked.id)} ${'─'.repeat(cols)}` : '', style: 'muted' as StyleName }],
    ...preview,
    ...filler(previewRows - preview.length),
    ...foot,
  ].map((l) => clipLine(l, cols));
}

export function renderProblems(vm: ProblemsVm, size: PaneSize): string[] {
  return tagged(problemsLines(vm, size), size);
}
