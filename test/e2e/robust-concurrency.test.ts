// Many `slotbench run` and `probe` processes at once in one folder: every session gets its row and its verdict;
// a damaged index is rebuilt in one line and never stops a later run from indexing.

import { execa } from 'execa';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchIndexConcurrency } from '../../src/bench/index-concurrency.js';
import { readSummaries } from '../../src/session/index-store.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const root = mkdtempSync(join(tmpdir(), 'sb-e2e-concurrency-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function slotbench(args: string[], cwd: string) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1' } });
}

describe('concurrent runs and probes in one folder', () => {
  // One round of the index-concurrency bench (`npm run bench index` runs 16 × 20). On main, 16 runs and 2 probes at
  // once left 10 and 13 rows for 18 sessions in two rounds, and 8 runs left 3 rows for 8.
  it('12 runs and 2 probes at once: as many rows as session files, each with its verdict', async () => {
    const result = await benchIndexConcurrency({ runs: 12, probes: 2, rounds: 1 });
    expect(result.figures).toMatchObject({ sessionsWritten: 14, rowsLost: 0, verdictsLost: 0, processesFailed: 0 });
    expect(result.ok).toBe(true);
  }, 300_000);
});

describe('a damaged index, through the CLI', () => {
  it.each([
    ['{"sessions": 5}', /not an index \(no "sessions" list\)/],
    ['[1, 2]', /not an index \(no "sessions" list\)/],
    ['{"sessions": [{"id": "x"}, 7]}', /2 of 2 rows unusable/],
    ['{"sessions": [', /not JSON/],
  ])('index.json %s: sessions lists the files with one warning, and the next run is indexed', async (text, reason) => {
    const cwd = mkdtempSync(join(root, 'p-'));
    mkdirSync(join(cwd, 'sessions'));
    copyFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-pass.jsonl'), join(cwd, 'sessions', 'a.jsonl'));
    writeFileSync(join(cwd, 'sessions', 'index.json'), text);
    const listing = await slotbench(['sessions'], cwd);
    expect(listing.exitCode).toBe(0);
    expect(listing.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^warning: the session index is damaged \(.*\): rebuilt from the session files$/)]);
    expect(listing.stderr).toMatch(reason);
    expect(listing.stdout).toMatch(/HumanEval\/0 +implement +scripted +pass/);
    expect(listing.stderr + listing.stdout).not.toMatch(/internal error|is not a function/);

    const run = await slotbench(['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical')], cwd);
    expect(run.exitCode).toBe(0);
    const files = readdirSync(join(cwd, 'sessions')).filter((f) => f.endsWith('.jsonl')).sort();
    const rows = await readSummaries(join(cwd, 'sessions'));
    expect(rows.map((r) => r.file).sort()).toEqual(files);
    expect(rows.every((r) => r.verdict === 'pass')).toBe(true);
    expect((await slotbench(['sessions'], cwd)).stderr).toBe('');
  }, 120_000);
});
