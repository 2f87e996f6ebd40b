// The compare table: one row per temperature of a probe (k/N, pass@1/5/10, distinct solutions, distinct passing).

import type { ProbeResult } from '../../probe/types.js';
import type { Line } from '../common/text.js';
import { output, rate, type ProbeRenderOptions } from './probe-text.js';

const HEADINGS = ['T', 'passed', 'pass@1', 'pass@5', 'pass@10', 'distinct', 'passing'];

/** Rows of the table; a pass@k that needs more samples than were judged shows as `-`. */
export function renderProbeComparison(results: ProbeResult[], options: ProbeRenderOptions): string[] {
  return output(comparisonLines(results), options);
}

export function comparisonLines(results: ProbeResult[]): Line[] {
  const at = (r: ProbeResult, k: number) => {
    const e = r.passAtK.find((p) => p.k === k);
    return e ? rate(e.estimate) : '-';
  };
  const rows = results.map((r) => [
    String(r.temperature),
    `${r.passed}/${r.requested}`,
    at(r, 1),
    at(r, 5),
    at(r, 10),
    String(r.groups.length),
    String(r.distinctPassing),
  ]);
  const widths = HEADINGS.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [[{ text: format(HEADINGS), style: 'heading' }], ...rows.map((row): Line => [{ text: format(row) }])];
}
