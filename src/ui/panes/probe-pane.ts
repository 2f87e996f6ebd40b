// The probe pane: outcome histogram, pass@k with intervals, where samples diverge, distinct solutions. Pure text.

import type { ProbeResult, SampleOutcome, SolutionGroup } from '../../probe/types.js';
import { OUTCOMES } from '../../probe/types.js';
import type { Panel } from '../common/contracts.js';
import { clean, viewport, type Line } from '../common/text.js';
import { comparisonLines } from './probe-compare.js';
import { OUTCOME_LABEL, OUTCOME_STYLE, bar, output, probabilityStyle, quotedToken, rate, type ProbeRenderOptions } from './probe-text.js';

/** Outcomes shown even at zero: the model's; aborted and not-run rows appear only when they happened. */
const ALWAYS_SHOWN = new Set<SampleOutcome>(['pass', 'fail', 'parse_error', 'timeout', 'crash', 'error']);

/**
 * One probe result in at most `rows` lines of at most `cols` cells. With `rows: Infinity` every group shows its
 * whole code (plain output); in a fixed pane the groups share out the rows left.
 */
export function renderProbe(result: ProbeResult, options: ProbeRenderOptions): string[] {
  return output(probeLines(result, options), options);
}

/**
 * The probe results as a workbench panel (`api.showPanel`): each temperature in turn, then the comparison when there
 * are several; scrolls like the other overlays.
 */
export function probePanel(results: ProbeResult[], title = `probe ${results[0]?.slot ?? ''}`.trim()): Panel {
  const all = (cols: number) => {
    const lines = results.flatMap((r, i) => [...(i > 0 ? [[]] : []), ...probeLines(r, { cols, rows: Infinity })]);
    if (results.length > 1) lines.push([], ...comparisonLines(results));
    return lines;
  };
  return {
    title,
    render: ({ cols, rows, theme, scroll }) => output(viewport(all(cols), rows, scroll).visible, { cols, rows, theme }),
    body: ({ cols, rows }) => ({ lines: output(all(cols), { cols, rows: Infinity }), rows }),
  };
}

function probeLines(result: ProbeResult, options: ProbeRenderOptions): Line[] {
  const ascii = options.ascii ?? false;
  const lines: Line[] = [
    [{ text: `probe ${result.slot}`, style: 'heading' }, { text: ` · ${result.problem} · model ${result.model} · T=${result.temperature}` }],
    [
      { text: `passed ${result.passed}/${result.requested}`, style: result.passed > 0 ? 'status.passed' : 'status.failed' },
      { text: ` · judged ${result.judged} · repaired ${result.repaired} · distinct solutions ${result.groups.length} (${result.distinctPassing} passing)` },
    ],
    ...passAtKLines(result),
    [],
    ...histogram(result, options.cols, ascii),
    ...divergenceLines(result, options.cols, ascii),
  ];
  const room = options.rows - lines.length - 1;
  if (room > 0) lines.push([], ...groupLines(result, room, options.cols, ascii));
  return lines;
}

export function passAtKLines(result: ProbeResult): Line[] {
  if (result.passAtK.length === 0) return [[{ text: 'pass@k: no judged samples', style: 'muted' }]];
  return [
    [{ text: 'pass@k  estimate  95% interval', style: 'muted' }],
    ...result.passAtK.map((e): Line => [{ text: `@${e.k}`.padEnd(8) + rate(e.estimate).padStart(8) + `  ${rate(e.low)}–${rate(e.high)}` }]),
  ];
}

export function histogram(result: ProbeResult, cols: number, ascii: boolean): Line[] {
  const shown = OUTCOMES.filter((o) => ALWAYS_SHOWN.has(o) || result.counts[o] > 0);
  const countWidth = String(result.requested).length;
  const width = Math.max(0, cols - 14 - countWidth - 2);
  const max = Math.max(1, ...shown.map((o) => result.counts[o]));
  return [
    [{ text: 'outcomes', style: 'heading' }],
    ...shown.map((o): Line => [
      { text: `  ${OUTCOME_LABEL[o].padEnd(12)}${String(result.counts[o]).padStart(countWidth)} ` },
      { text: bar(result.counts[o], max, width, ascii), style: OUTCOME_STYLE[o] },
    ]),
  ];
}

function divergenceLines(result: ProbeResult, cols: number, ascii: boolean): Line[] {
  const d = result.divergence;
  if (!d) return [];
  const chosen = d.chosen.map((c) => `${quotedToken(c.token)} ×${c.count}`).join(', ');
  const tokenWidth = Math.min(16, Math.max(...d.alternatives.map((a) => quotedToken(a.token).length)));
  const width = Math.max(0, cols - tokenWidth - 12);
  return [
    [],
    [{ text: `samples diverge at token ${d.position}`, style: 'heading' }, { text: ` after ${clean(quotedToken(d.prefix.slice(-40)))}` }],
    [{ text: `  chosen: ${clean(chosen)}` }],
    [{ text: '  the model weighed:', style: 'muted' }],
    ...d.alternatives.map((a): Line => [
      { text: `    ${clean(quotedToken(a.token)).slice(0, tokenWidth).padEnd(tokenWidth)} ${rate(a.probability)} ` },
      { text: bar(a.probability, 1, width, ascii), style: probabilityStyle(a.probability) },
    ]),
  ];
}

function groupLines(result: ProbeResult, room: number, cols: number, ascii: boolean): Line[] {
  const groups = result.groups;
  if (groups.length === 0) return [[{ text: 'no code to group', style: 'muted' }]];
  const title: Line = [{ text: 'distinct solutions', style: 'heading' }, { text: ' (same code up to names, comments, whitespace)', style: 'muted' }];
  const countWidth = String(result.requested).length;
  const header = (group: SolutionGroup, i: number) => groupHeader(group, i, countWidth, cols, ascii, result.requested);
  const code = (text: string): Line => [{ text: `      ${clean(text)}`, style: 'muted' }];
  const codeLines = (group: SolutionGroup) => group.excerpt.split('\n');
  if (room === Infinity) return [title, ...groups.flatMap((g, i) => [header(g, i), ...codeLines(g).map(code)])];

  const avail = room - 1;
  if (groups.length > avail) {
    const shown = Math.max(0, avail - 1);
    return [title, ...groups.slice(0, shown).map(header), [{ text: `  … ${groups.length - shown} more groups`, style: 'muted' }]];
  }
  // Every header fits: the rows left are shared out as code lines.
  const each = Math.floor((avail - groups.length) / groups.length);
  return [
    title,
    ...groups.flatMap((g, i) => {
      const lines = codeLines(g);
      if (lines.length <= each) return [header(g, i), ...lines.map(code)];
      if (each < 2) return [header(g, i), ...lines.slice(0, each).map(code)];
      return [header(g, i), ...lines.slice(0, each - 1).map(code), code(`… ${lines.length - each + 1} more lines`)];
    }),
  ];
}

function groupHeader(group: SolutionGroup, i: number, countWidth: number, cols: number, ascii: boolean, total: number): Line {
  const entries = (Object.entries(group.outcomes) as Array<[SampleOutcome, number]>).sort((a, b) => b[1] - a[1]);
  const verdicts = entries.length === 1 ? OUTCOME_LABEL[entries[0][0]] : entries.map(([o, n]) => `${OUTCOME_LABEL[o]} ${n}`).join(', ');
  const style = OUTCOME_STYLE[entries[0][0]];
  const prefix = `  #${i + 1}`.padEnd(6) + `×${String(group.count).padEnd(countWidth)}  `;
  const label = verdicts.padEnd(12);
  const width = Math.max(0, Math.min(20, cols - prefix.length - label.length - 2));
  return [{ text: prefix }, { text: label, style }, { text: ' ' }, { text: bar(group.count, total, width, ascii), style }];
}
