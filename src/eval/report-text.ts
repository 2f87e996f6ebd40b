// Renders a comparison as plain text or markdown: both splits side by side, the flipped ids, the verdict, the flags.

import type { Comparison, SplitComparison } from './stats/compare.js';
import type { HonestyFlag } from './stats/flags.js';
import type { RunSummary } from './stats/run-summary.js';
import { SPLITS, type Split } from './stats/split.js';
import type { Verdict, VerdictReason } from './stats/verdict.js';
import { stripControl } from '../text/sanitize.js';

/** `text` aligns columns for a terminal; `markdown` emits a table for a report file. */
export type ReportFormat = 'text' | 'markdown';

const SPLIT_NAMES: Record<Split, string> = { tuned: 'tuned', heldout: 'held-out' };

const REASONS: Record<VerdictReason, string> = {
  no_paired_problems: 'no problem judged in both runs',
  ci_crosses_zero: '95% CI of the delta includes 0',
  within_noise_floor: '|delta| within the noise floor',
  not_significant: 'McNemar p ≥ 0.05',
};

/** The comparison as lines; labels and problem ids are stripped of terminal control sequences. */
export function renderComparison(comparison: Comparison, format: ReportFormat = 'text'): string[] {
  const { labels, splits } = comparison;
  const clean = (text: string) => (format === 'markdown' ? stripControl(text).replace(/[|\\`*_[\]<>]/g, '\\$&') : stripControl(text));
  const noise = labels.noise !== undefined ? `, noise run of A = ${clean(labels.noise)}` : '';
  const rows = tableRows(splits);
  const lines = [
    format === 'markdown' ? `## compare: A = ${clean(labels.a)}, B = ${clean(labels.b)}${noise}` : `compare: A = ${clean(labels.a)}, B = ${clean(labels.b)}${noise}`,
    '',
    ...(format === 'markdown' ? markdownTable(rows) : textTable(rows)),
    '',
  ];
  const item = format === 'markdown' ? '- ' : '';
  for (const split of SPLITS) {
    const { aOnlyIds, bOnlyIds } = splits[split].paired;
    lines.push(`${item}${SPLIT_NAMES[split]}: B gained ${bOnlyIds.length} (A fail → B pass): ${idList(bOnlyIds, clean)}`);
    lines.push(`${item}${SPLIT_NAMES[split]}: B lost ${aOnlyIds.length} (A pass → B fail): ${idList(aOnlyIds, clean)}`);
  }
  lines.push('', `verdict (held-out, what a claim rests on): ${verdictText(comparison.verdict)}`);
  if (comparison.flags.length > 0) lines.push('');
  for (const flag of comparison.flags) lines.push(`${format === 'markdown' ? '- **!**' : '!'} ${stripControl(flagText(flag))}`);
  lines.push('', `split: ${comparison.splitRule}`);
  return lines;
}

/** One honesty flag in words. */
export function flagText(flag: HonestyFlag): string {
  switch (flag.kind) {
    case 'small_split':
      return `${SPLIT_NAMES[flag.split]}: only ${flag.n} problems judged in both runs (fewer than 30)`;
    case 'errors_over_2pct':
      return `${SPLIT_NAMES[flag.split]}: run ${flag.run} ended ${flag.errorAttempts} of ${flag.attempts} attempts in error (${pct(flag.errorAttempts / flag.attempts)}, over 2%)`;
    case 'fingerprints_differ':
      return `A and B differ in ${flag.settings.length} settings (${flag.settings.join(', ')}): the delta is not one change's`;
    case 'only_tuned_improved':
      return 'only the tuned split improved: the held-out split does not confirm it';
  }
}

/** A verdict with its reasons, e.g. `no change (within noise): 95% CI of the delta includes 0`. */
export function verdictText(verdict: Verdict): string {
  return verdict.reasons.length === 0 ? verdict.kind : `${verdict.kind}: ${verdict.reasons.map((r) => REASONS[r]).join('; ')}`;
}

type Row = [string, string, string];

function tableRows(splits: Record<Split, SplitComparison>): Row[] {
  const row = (label: string, cell: (s: SplitComparison) => string): Row => [label, cell(splits.tuned), cell(splits.heldout)];
  return [
    ['', SPLIT_NAMES.tuned, SPLIT_NAMES.heldout],
    row('pass@1 A', (s) => passRate(s.a)),
    row('pass@1 B', (s) => passRate(s.b)),
    row('judged A', (s) => `${s.a.judged} of ${s.a.problems} problems`),
    row('judged B', (s) => `${s.b.judged} of ${s.b.problems} problems`),
    row('errors A', (s) => errors(s.a)),
    row('errors B', (s) => errors(s.b)),
    row('paired n', (s) => `${s.paired.n}` + (s.paired.onlyInA + s.paired.onlyInB + s.paired.errorExcluded > 0 ? ` (${unpaired(s)})` : '')),
    row('both / A only / B only / neither', ({ paired: p }) => `${p.bothPass} / ${p.aOnly} / ${p.bOnly} / ${p.neither}`),
    row('delta B − A [95% CI]', (s) => (s.delta === null || s.ci === null ? '–' : `${points(s.delta)} [${signed(s.ci.low)}, ${signed(s.ci.high)}]${s.ci.clustered ? ` (${s.ci.clusters} clusters)` : ''}`)),
    row('McNemar exact p', (s) => s.mcnemar.pValue.toPrecision(3)),
    row('noise floor (flip rate)', (s) => noiseText(s)),
    row('MDE, 80% power', (s) => (s.detectable === null ? '–' : `±${(s.detectable.mde * 100).toFixed(1)} pts`)),
    row('verdict', (s) => s.verdict.kind),
  ];
}

function passRate(s: RunSummary): string {
  if (s.passAt1 === null) return '–';
  const repeats = s.repeats > 1 ? ` (${s.repeats} repeats)` : '';
  return `${pct(s.passAt1)} [${pct(s.interval.low)}, ${pct(s.interval.high)}]${repeats}`;
}

function errors(s: RunSummary): string {
  if (s.attempts === 0) return '–';
  return `${s.errorAttempts} of ${s.attempts} attempts (${pct(s.errorRate)})${s.retries > 0 ? `, ${s.retries} retries` : ''}`;
}

function unpaired({ paired: p }: SplitComparison): string {
  return [p.onlyInA > 0 ? `${p.onlyInA} only in A` : '', p.onlyInB > 0 ? `${p.onlyInB} only in B` : '', p.errorExcluded > 0 ? `${p.errorExcluded} with errors left out` : '']
    .filter(Boolean)
    .join(', ');
}

function noiseText({ noise }: SplitComparison): string {
  if (noise.floor === null) return 'not measured (use --repeat or --noise)';
  const parts = [
    noise.withinA ? `A repeats ${pct(noise.withinA.rate)}` : '',
    noise.withinB ? `B repeats ${pct(noise.withinB.rate)}` : '',
    noise.againstNoiseRun ? `noise run ${pct(noise.againstNoiseRun.rate)}` : '',
  ].filter(Boolean);
  return `${pct(noise.floor)} (${parts.join(', ')})`;
}

function idList(ids: string[], clean: (text: string) => string): string {
  return ids.length === 0 ? '–' : ids.map(clean).join(', ');
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** A difference of rates in percentage points, signed: `+7.5 pts`. */
function points(delta: number): string {
  return `${signed(delta)} pts`;
}

function signed(delta: number): string {
  const value = (delta * 100).toFixed(1);
  return value.startsWith('-') ? value : `+${value}`;
}

function textTable(rows: Row[]): string[] {
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map(([label, tuned, heldout]) => `${label.padEnd(widths[0])}  ${tuned.padEnd(widths[1])}  ${heldout}`.trimEnd());
}

function markdownTable(rows: Row[]): string[] {
  const [head, ...body] = rows;
  return [`| ${head.join(' | ')} |`, '| --- | --- | --- |', ...body.map((r) => `| ${r.join(' | ')} |`)];
}
