// An eval run opened for the view: checked once (one line for bad input), then followed as results.jsonl grows.

import { existsSync, statSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { evalRowKey, type EvalAgainst, type EvalViewRow, type Flip, type PairedCounts } from '../state/eval-view.js';
import { latestRows, runResults, type EvalRow } from './eval-row.js';
import type { Manifest } from './manifest.js';
import { damagedError, ResultsTail, viewRow, type DamagedLine } from './results-tail.js';
import { readRunDir } from './run-dir.js';
import { compareRuns } from './stats/compare.js';
import { SPLITS } from './stats/split.js';

/** A run directory being viewed: what it ran, the rows read so far, and how to read on. */
export class EvalRunSource {
  /** Every row read so far, raw (the statistics want them). */
  readonly rows: EvalRow[] = [];
  private readonly tail: ResultsTail;

  private constructor(
    readonly path: string,
    readonly manifest: Manifest,
  ) {
    this.tail = new ResultsTail(path);
  }

  /** Open a run directory; a missing one, one without a manifest, or a damaged results line is a UserError. */
  static open(path: string): EvalRunSource {
    if (!existsSync(path) || !statSync(path).isDirectory()) throw new UserError(`no run directory ${path}: pass the --out directory of an eval`, 'not_run_dir');
    const source = new EvalRunSource(path, readRunDir(path).manifest);
    const first = source.tail.read();
    if (first.damaged.length > 0) throw damagedError(first.damaged[0]);
    source.rows.push(...first.rows);
    return source;
  }

  /** Rows as the view shows them, for every row read so far. */
  viewRows(): EvalViewRow[] {
    return this.rows.map((row) => viewRow(this.path, row));
  }

  /** Problem × repeat runs the eval set out to do. */
  get expected(): number {
    return this.manifest.selection.problems * this.manifest.repeat;
  }

  /** New whole rows since the last poll (a running eval appends them), and lines that were not rows. */
  poll(): { added: EvalViewRow[]; damaged: DamagedLine[] } {
    const { rows, damaged } = this.tail.read();
    this.rows.push(...rows);
    return { added: rows.map((row) => viewRow(this.path, row)), damaged };
  }
}

/** B against A: B's rows by key, the flips both ways, each split's paired table and the held-out verdict. */
export function againstRun(a: EvalRunSource, b: EvalRunSource, labels: { a: string; b: string }): EvalAgainst {
  const comparison = compareRuns({ a: runResults(labels.a, latestRows(a.rows)), b: runResults(labels.b, latestRows(b.rows)), bootstrap: { resamples: 2000 } });
  const flips: Record<string, Flip> = {};
  const paired = {} as Record<'tuned' | 'heldout', PairedCounts>;
  for (const split of SPLITS) {
    const table = comparison.splits[split].paired;
    for (const id of table.bOnlyIds) flips[id] = 'gained';
    for (const id of table.aOnlyIds) flips[id] = 'lost';
    paired[split] = {
      n: table.n,
      bothPass: table.bothPass,
      aOnly: table.aOnly,
      bOnly: table.bOnly,
      neither: table.neither,
      excluded: table.onlyInA + table.onlyInB + table.errorExcluded,
    };
  }
  const rows: Record<string, EvalViewRow> = {};
  for (const row of b.viewRows()) rows[evalRowKey(row)] = row;
  return { label: labels.b, rows, flips, paired, verdict: comparison.verdict.kind };
}
