// The problem picker's state: fuzzy ranking, the dataset read with each problem's last verdict, completion, the pane's frames.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { problemSource, summaryOf } from '../../src/cli/problem-source.js';
import { upsertSummary } from '../../src/session/index-store.js';
import type { ProblemEntry } from '../../src/ui/common/contracts.js';
import { plain } from '../../src/ui/common/text.js';
import { fuzzyScore, pickProblems, problemsLines } from '../../src/ui/panes/problems-pane.js';
import { humanEvalPath } from '../helpers/engine-harness.js';
import { expectGolden } from '../golden/golden.js';

const root = mkdtempSync(join(tmpdir(), 'sb-problems-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const config = { models: {}, datasets: { humaneval: humanEvalPath() } } as never;

describe('problem picker', () => {
  it('ranks fuzzy matches: consecutive letters and early starts first, non-matches out', () => {
    expect(fuzzyScore('xyz', 'has_close_elements')).toBeUndefined();
    expect(fuzzyScore('hce', 'has_close_elements')).toBeDefined();
    const entries = [
      { id: 'P/1', entryPoint: 'histogram', summary: 'count letters' },
      { id: 'P/2', entryPoint: 'has_close_elements', summary: 'closer than threshold' },
    ] as ProblemEntry[];
    expect(pickProblems(entries, 'has_clo').map((e) => e.id)).toEqual(['P/2']);
    expect(pickProblems(entries, 'h').map((e) => e.id)).toEqual(['P/1', 'P/2']);
    expect(pickProblems(entries, '').map((e) => e.id)).toEqual(['P/1', 'P/2']);
  });

  it('reads a dataset once, with entry points, what to do, and the newest verdict recorded per problem', async () => {
    const sessions = join(root, 'sessions');
    mkdirSync(sessions);
    const row = { flow: 'implement', model: 'm', mode: 'run' as const, file: 'x.jsonl' };
    await upsertSummary(sessions, { ...row, id: 'old', problem: 'HumanEval/2', startedAt: '2026-01-01T00:00:00.000Z', verdict: 'pass' });
    await upsertSummary(sessions, { ...row, id: 'new', problem: 'HumanEval/2', startedAt: '2026-01-02T00:00:00.000Z', verdict: 'fail' });
    const source = problemSource(config, root, sessions);
    expect(source.cached('humaneval')).toBeUndefined();
    const entries = await source.load('humaneval');
    expect(entries).toHaveLength(164);
    expect(source.cached('humaneval')).toBe(entries);
    expect(entries[0]).toMatchObject({ id: 'HumanEval/0', entryPoint: 'has_close_elements', summary: 'Check if in given list of numbers, are any two numbers closer to each other than' });
    expect(entries[0].statement).toContain('def has_close_elements(');
    expect(entries[2].lastVerdict).toBe('fail');
    expect(entries[1].lastVerdict).toBeUndefined();
    expect(summaryOf('from typing import List\n\ndef f(x):\n    """ Return x.\n    """\n')).toBe('Return x.');
  });

  it('completes dataset names and files, folders first without the space', () => {
    mkdirSync(join(root, 'data'));
    copyFileSync(humanEvalPath(), join(root, 'data', 'HumanEval.jsonl.gz'));
    const source = problemSource(config, root, join(root, 'sessions'));
    expect(source.datasets('h')).toEqual(['humaneval']);
    expect(source.datasets('da')).toEqual(['data/']);
    expect(source.datasets('data/')).toEqual(['data/HumanEval.jsonl.gz']);
  });

  it('draws the list and the picked prompt at 80x24 and 120x40', async () => {
    const entries = await problemSource(config, root, join(root, 'none')).load('humaneval');
    for (const [cols, rows] of [[80, 24], [120, 40]] as const) {
      const picked = pickProblems(entries, 'sortthird');
      const lines = problemsLines({ dataset: 'humaneval', total: entries.length, rows: picked, selected: 0, filter: 'sortthird', hints: [] }, { cols, rows: rows - 4 });
      expect(lines).toHaveLength(rows - 4);
      for (const line of lines) expect(plain(line).length).toBeLessThanOrEqual(cols);
      expectGolden(`problems-${cols}x${rows}`, lines.map(plain).join('\n'));
    }
  });
});
