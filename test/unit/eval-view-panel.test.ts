// The eval view's reading and keys over run directories on disk: whole lines only, damaged lines, filter, search, open.

import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ResultsTail } from '../../src/eval/results-tail.js';
import { EvalRunSource } from '../../src/eval/run-view.js';
import { evalMode, openRuns } from '../../src/ui/controllers/eval-command.js';
import { evalRow, writeRunDir } from '../helpers/eval-runs.js';
import { fakeWorkbench } from '../helpers/fake-workbench.js';

const root = mkdtempSync(join(tmpdir(), 'sb-evalview-unit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = () => join(root, `run${++n}`);

const ROWS = [
  evalRow('HumanEval/0'),
  evalRow('HumanEval/1', { verdict: 'fail', sessionId: 'he-1' }),
  evalRow('HumanEval/2', { verdict: 'error', judged: false, error: { code: 'stalled', message: 'no token for 30 s' } }),
  evalRow('HumanEval/3', { repaired: true }),
];

describe('results tail', () => {
  it('reads whole lines only: a cut last line waits for its newline', () => {
    const run = writeRunDir(dir(), ROWS.slice(0, 2));
    const tail = new ResultsTail(run);
    expect(tail.read().rows.map((r) => r.problem)).toEqual(['HumanEval/0', 'HumanEval/1']);
    const line = JSON.stringify(ROWS[2]);
    appendFileSync(join(run, 'results.jsonl'), line.slice(0, 25));
    expect(tail.read()).toEqual({ rows: [], damaged: [] });
    appendFileSync(join(run, 'results.jsonl'), `${line.slice(25)}\n${JSON.stringify(ROWS[3])}\n`);
    expect(tail.read().rows.map((r) => r.problem)).toEqual(['HumanEval/2', 'HumanEval/3']);
    expect(tail.read()).toEqual({ rows: [], damaged: [] });
  });

  it('reports a complete line that is not a row with its line number, and reads on after it', () => {
    const run = writeRunDir(dir(), ROWS.slice(0, 1));
    appendFileSync(join(run, 'results.jsonl'), `{"problem": 3}\n${JSON.stringify(ROWS[1])}\n`);
    const read = new ResultsTail(run).read();
    expect(read.rows.map((r) => r.problem)).toEqual(['HumanEval/0', 'HumanEval/1']);
    expect(read.damaged).toEqual([{ line: 2, file: join(run, 'results.jsonl') }]);
  });

  it('opening a run refuses a damaged line as one UserError naming the file and line', () => {
    const run = writeRunDir(dir(), ROWS.slice(0, 1));
    appendFileSync(join(run, 'results.jsonl'), 'not json\n');
    expect(() => EvalRunSource.open(run)).toThrow(/results\.jsonl line 2 is not a result row/);
    expect(() => EvalRunSource.open(join(root, 'nowhere'))).toThrow(/no run directory .*nowhere/);
  });

  it("finds a row's session under the run's own sessions/ even when the recorded path is elsewhere", () => {
    const run = writeRunDir(dir(), [evalRow('HumanEval/1', { sessionId: 'he-1', session: '/moved/away/he-1.jsonl' })]);
    writeFileSync(join(run, 'sessions', 'he-1.jsonl'), '');
    expect(EvalRunSource.open(run).viewRows()[0].session).toBe(join(run, 'sessions', 'he-1.jsonl'));
  });
});

describe('eval view keys', () => {
  async function opened() {
    const run = writeRunDir(dir(), ROWS, 6);
    writeFileSync(join(run, 'sessions', 'he-1.jsonl'), '');
    const w = await fakeWorkbench({ canOpen: true, cwd: root });
    const view = evalMode(60_000).open(w.api, [run.slice(root.length + 1)]);
    return { w, view, run };
  }

  it('f cycles all, fails, errors, repaired and skips flipped without a second run', async () => {
    const { w, view } = await opened();
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      await w.press('f');
      seen.push(view.state.filter);
    }
    expect(seen).toEqual(['fails', 'errors', 'repaired', 'all', 'fails']);
    expect(w.panelText().join('\n')).toContain('filter: fails · sort: id · 1 of 4 rows');
  });

  it('/ searches as typed (the table follows the input line) and Enter keeps it', async () => {
    const { w, view } = await opened();
    await w.press('/', 's', 't', 'a');
    expect(w.panelText().join('\n')).toContain('1 of 4 rows');
    expect(view.state.search).toBe('');
    await w.press('enter');
    expect(view.state.search).toBe('sta');
    expect(w.panelText().join('\n')).toMatch(/search "sta" · 1 of 4 rows/);
  });

  it('Enter opens the picked session; a row without one says so', async () => {
    const { w, run } = await opened();
    await w.press('j', 'enter');
    expect(w.opened).toEqual([join(run, 'sessions', 'he-1.jsonl')]);
    await w.press('j', 'enter');
    expect(w.flashes.at(-1)).toMatchObject({ level: 'error', text: expect.stringMatching(/HumanEval\/2 was not recorded/) });
  });

  it('says how many are left while rows are missing, and new rows after a poll', async () => {
    const { w, view, run } = await opened();
    expect(w.panelText()[0]).toContain('4 of 6 done, 2 to go');
    appendFileSync(join(run, 'results.jsonl'), JSON.stringify(evalRow('HumanEval/4')) + '\n');
    expect(view.poll(w.api)).toBe(true);
    expect(w.panelText()[0]).toContain('5 of 6 done, 1 to go');
    expect(view.poll(w.api)).toBe(false);
  });

  it(':eval with no directory, or three, is a one-line error', () => {
    expect(() => openRuns(root, [])).toThrow(/:eval needs one run directory, or two/);
    expect(() => openRuns(root, ['a', 'b', 'c'])).toThrow(/:eval needs one run directory, or two/);
  });
});

describe(':eval in the command line', () => {
  it('Tab completes run directories (folders with a manifest) in the folder typed', async () => {
    const evals = join(root, 'evals');
    writeRunDir(join(evals, 'alpha-run'), ROWS);
    writeRunDir(join(evals, 'beta-run'), ROWS);
    mkdirSync(join(evals, 'notes'), { recursive: true });
    const mode = evalMode(60_000);
    const w = await fakeWorkbench({ cwd: root });
    expect(mode.command.complete!(w.api, ['evals/'])).toEqual(['evals/alpha-run', 'evals/beta-run']);
    expect(mode.command.complete!(w.api, ['evals/b'])).toEqual(['evals/beta-run']);
    expect(mode.command.complete!(w.api, ['nowhere/'])).toEqual([]);
  });

  it('opens a replay over a live run that is still going, without stopping it', async () => {
    const run = writeRunDir(dir(), ROWS);
    writeFileSync(join(run, 'sessions', 'he-1.jsonl'), '');
    const w = await fakeWorkbench({ canOpen: true, cwd: root, feed: { kind: 'engine', controls: {} } });
    evalMode(60_000).open(w.api, [run]);
    await w.press('j', 'enter');
    expect(w.api.ui.confirm).toBeUndefined();
    expect(w.opened).toEqual([join(run, 'sessions', 'he-1.jsonl')]);
  });
});

describe('the eval mode in ? help', () => {
  it('lists Esc once, with the eval mode\'s meaning (the built-in Esc it takes over never fires)', async () => {
    const { helpView } = await import('../../src/ui/panes/help-pane.js');
    const { KEYMAP } = await import('../../src/ui/controllers/keymap.js');
    const w = await fakeWorkbench();
    const esc = helpView([...evalMode(60_000).keys, ...KEYMAP], [], w.api, 0).keys.filter((k) => k.keys === 'Esc');
    expect(esc).toEqual([{ keys: 'Esc', description: expect.stringMatching(/in a replay opened from the eval view, back to the eval view/) }]);
  });
});

describe('text from the run directory', () => {
  it('reaches blessed stripped of control sequences and with its braces escaped (ids, classes, errors)', async () => {
    const hostile = 'HumanEval/\x1b]0;owned\x07{red-fg}9';
    const run = writeRunDir(dir(), [
      evalRow(hostile, { verdict: 'error', judged: false, class: '\x1b[2J{bold}', error: { code: 'stalled', message: '\x9b31m{/}boom' } }),
    ]);
    const { renderEvalView, evalViewVm } = await import('../../src/ui/panes/eval-view.js');
    const { loadTheme } = await import('../../src/ui/common/theme.js');
    const { initialEvalView, reduceEvalView } = await import('../../src/state/eval-view.js');
    const state = reduceEvalView(initialEvalView(), { type: 'rows', rows: EvalRunSource.open(run).viewRows() });
    const info = { dir: 'run', dataset: 'd', model: 'm', flow: 'f', expected: 1, done: 1, repeat: 1 };
    const ui = (await fakeWorkbench()).api.ui;
    const text = renderEvalView(evalViewVm(state, ui, info, []), { cols: 120, rows: 40, theme: await loadTheme('dark') }).join('\n');
    expect(text).not.toMatch(/[\x1b\x07\x9b]/);
    expect(text).toContain('HumanEval/{open}red-fg{close}9');
    expect(text).toContain('class {open}bold{close}');
    expect(text).toContain('{open}/{close}boom');
  });
});
