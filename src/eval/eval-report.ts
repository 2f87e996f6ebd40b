// What an eval says when it ends (or when asked again): both splits side by side, the denominators, the errors, where
// the passes came from, the noise between repeats, and a flag where the numbers cannot be trusted.

import { stripControl } from '../text/sanitize.js';
import { latestRows, outcomeOf, runResults, type EvalRow } from './eval-row.js';
import type { Manifest } from './manifest.js';
import { foldRun } from './stats/outcomes.js';
import { ERROR_RATE_LIMIT, summariseBySplit, type RunSummary } from './stats/run-summary.js';
import { SPLIT_RULE, SPLITS, type Split } from './stats/split.js';

/** Where the passes came from, counted over judged repeats. */
export interface Attribution {
  firstTry: number;
  afterRepair: number;
  afterRetry: number;
}

/** The figures of one eval, per split: what `--json` prints and the text report shows. */
export interface EvalSummary {
  runDir: string;
  /** Problem × repeat pairs with a row, and pairs still without one (interrupted, stopped). */
  done: number;
  left: number;
  splits: Record<Split, RunSummary & { attribution: Attribution }>;
  /** Splits whose error share is over 2 %: their pass rate rests on fewer problems than it seems. */
  errorFlags: Split[];
}

export function summariseEval(runDir: string, manifest: Manifest, rows: readonly EvalRow[]): EvalSummary {
  const latest = latestRows(rows);
  const summaries = summariseBySplit(foldRun(runResults(runDir, latest)));
  const splits = {} as EvalSummary['splits'];
  for (const split of SPLITS) splits[split] = { ...summaries[split], attribution: attribution(latest.filter((r) => r.split === split)) };
  const expected = manifest.selection.problems * manifest.repeat;
  return {
    runDir,
    done: latest.length,
    left: Math.max(0, expected - latest.length),
    splits,
    errorFlags: SPLITS.filter((s) => splits[s].errorRate > ERROR_RATE_LIMIT),
  };
}

function attribution(rows: readonly EvalRow[]): Attribution {
  const passes = rows.filter((r) => outcomeOf(r) === 'pass');
  return {
    firstTry: passes.filter((r) => r.attempts <= 1 && !r.repaired).length,
    afterRepair: passes.filter((r) => r.attempts <= 1 && r.repaired).length,
    afterRetry: passes.filter((r) => r.attempts > 1).length,
  };
}

/** The report as lines (for a terminal or a file). */
export function renderEvalSummary(summary: EvalSummary, manifest: Manifest): string[] {
  const { splits } = summary;
  const cell = (f: (s: EvalSummary['splits'][Split]) => string): [string, string] => [f(splits.tuned), f(splits.heldout)];
  const rows: Array<[string, string, string]> = [
    ['', 'tuned', 'held-out'],
    ['pass@1 [95% Wilson]', ...cell((s) => (s.passAt1 === null ? '–' : `${pct(s.passAt1)} [${pct(s.interval.low)}, ${pct(s.interval.high)}]`))],
    ['judged / problems', ...cell((s) => `${s.judged} / ${s.problems}`)],
    ['errors (not fails)', ...cell((s) => (s.attempts === 0 ? '–' : `${s.errorAttempts} of ${s.attempts} (${pct(s.errorRate)})${s.retries > 0 ? `, ${s.retries} retries` : ''}`))],
    ['passes: first try', ...cell((s) => String(s.attribution.firstTry))],
    ['passes: after repair', ...cell((s) => String(s.attribution.afterRepair))],
    ['passes: after a retry', ...cell((s) => String(s.attribution.afterRetry))],
    ...(manifest.repeat > 1 ? [['flip rate between repeats', ...cell((s) => (s.flipRate === null ? '–' : `${pct(s.flipRate.rate)} over ${s.flipRate.problems} problems`))] as [string, string, string]] : []),
  ];
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const options = Object.entries(manifest.flow.options).map(([k, v]) => `${k}=${v}`).join(' ');
  const lines = [
    `eval ${stripControl(manifest.flow.name)}${options ? ` (${stripControl(options)})` : ''} on ${stripControl(manifest.dataset.path)} · ` +
      `${manifest.selection.problems} problems (${manifest.selection.split}) × ${manifest.repeat} · model ${stripControl(manifest.model.name)}` +
      `${manifest.model.label ? ` [${stripControl(manifest.model.label)}]` : ''} · T=${manifest.sampling.temperature}`,
    '',
    ...rows.map(([label, tuned, heldout]) => `${label.padEnd(widths[0])}  ${tuned.padEnd(widths[1])}  ${heldout}`.trimEnd()),
  ];
  for (const split of summary.errorFlags) {
    lines.push(`! ${split === 'heldout' ? 'held-out' : 'tuned'}: ${pct(splits[split].errorRate)} of attempts ended in error (over 2%): the pass rate rests on fewer problems than it seems`);
  }
  if (summary.left > 0) lines.push('', `${summary.left} of ${summary.done + summary.left} runs have no result yet: slotbench eval --resume ${summary.runDir}`);
  lines.push('', `split: ${SPLIT_RULE}`, `results: ${summary.runDir}`);
  return lines;
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}
