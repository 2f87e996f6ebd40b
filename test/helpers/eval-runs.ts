// Run directories written by hand for eval view tests: a manifest and the results rows the tests choose.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalRow } from '../../src/eval/eval-row.js';
import { splitOf } from '../../src/eval/stats/split.js';

/** A results row of a finished problem, with fixed tokens and time so frames are the same on every run. */
export function evalRow(problem: string, change: Partial<EvalRow> = {}): EvalRow {
  const verdict = change.verdict ?? 'pass';
  return {
    problem,
    task: { kind: 'dataset', dataset: 'HumanEval.jsonl.gz', id: problem },
    flow: 'implement',
    model: 'local',
    modelKind: 'llama-server',
    server: 'http://127.0.0.1:8080',
    label: null,
    verdict,
    judged: verdict !== 'error',
    error: null,
    reason: verdict,
    attempts: 1,
    repaired: false,
    parseFailures: 0,
    indentationErrors: 0,
    tokens: { prompt: 200, cached: 0, generated: 60 },
    modelMs: 900,
    gateMs: 300,
    durationMs: 1200,
    sessionId: null,
    session: null,
    slots: [],
    gates: [],
    split: splitOf(problem),
    class: null,
    repeat: 1,
    retries: [],
    ...change,
  };
}

/** Write `dir` as an eval run directory of `expected` problems holding `rows`. */
export function writeRunDir(dir: string, rows: EvalRow[], expected = rows.length): string {
  mkdirSync(join(dir, 'sessions'), { recursive: true });
  const manifest = {
    formatVersion: 1,
    createdAt: '2026-11-20T09:00:00.000Z',
    dataset: { path: '/data/HumanEval.jsonl.gz', sha256: 'abc' },
    selection: { split: 'all', limit: null, idsFile: null, problems: expected, problemIds: [] },
    repeat: 1,
    flow: { name: 'implement', options: {} },
    attempts: 1,
    model: { name: 'local', kind: 'llama-server', label: null },
    fingerprint: { flow: 'implement' },
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'results.jsonl'), rows.map((r) => JSON.stringify(r) + '\n').join(''));
  return dir;
}
