// The session browser's controller and pane: rows from the real catalog, keys through the real key handler.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionRow } from '../../src/session/catalog.js';
import { readSummaries, upsertSummary } from '../../src/session/index-store.js';
import { initialUiState, reduceUi } from '../../src/state/ui-state.js';
import { browserRows, sessionsLines, sessionsView } from '../../src/ui/panes/sessions-pane.js';
import { plain } from '../../src/ui/common/text.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { fakeWorkbench } from '../helpers/fake-workbench.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A sessions folder with three fixture sessions, one of them in the index. */
async function folder(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-browser-'));
  dirs.push(dir);
  const sessions = join(dir, 'sessions');
  mkdirSync(sessions);
  for (const name of ['humaneval-0-pass', 'humaneval-0-retry', 'humaneval-0-parse-error']) copyFileSync(join(FIXTURES, `${name}.jsonl`), join(sessions, `${name}.jsonl`));
  await upsertSummary(sessions, {
    id: 'indexed-pass', file: 'humaneval-0-pass.jsonl', startedAt: '2026-01-03T00:00:00.000Z', flow: 'implement', problem: 'HumanEval/0',
    model: 'scripted', mode: 'run', verdict: 'pass', durationMs: 900, tokens: 77,
  });
  return sessions;
}

const row = (id: string, change: Partial<SessionRow> = {}): SessionRow => ({
  id, file: `${id}.jsonl`, path: `/s/${id}.jsonl`, startedAt: '2026-01-01T00:00:00.000Z', flow: 'implement', problem: 'HumanEval/0',
  model: 'local', mode: 'run', ...change,
});

describe('session browser pane', () => {
  const rows = [
    row('a', { startedAt: '2026-01-02T00:00:00.000Z', verdict: 'fail', tokens: 10, durationMs: 5000, problem: 'HumanEval/10' }),
    row('b', { startedAt: '2026-01-03T00:00:00.000Z', verdict: 'pass', tokens: 99, durationMs: 1000, problem: 'HumanEval/2' }),
    row('c', { startedAt: '2026-01-01T00:00:00.000Z', problem: 'Mbpp/11', model: 'qwen' }),
  ];

  it('sorts and filters with the catalog functions, the filter being typed winning over the kept one', () => {
    let ui = initialUiState();
    expect(browserRows(rows, ui).map((r) => r.id)).toEqual(['b', 'a', 'c']);
    ui = reduceUi(ui, { type: 'browser', sort: 'tokens' });
    expect(browserRows(rows, ui).map((r) => r.id)).toEqual(['b', 'a', 'c']);
    ui = reduceUi(ui, { type: 'browser', sort: 'problem', filter: 'humaneval' });
    expect(browserRows(rows, ui).map((r) => r.id)).toEqual(['b', 'a']);
    ui = reduceUi(ui, { type: 'input', input: { kind: 'filter', text: 'qwen' } });
    expect(browserRows(rows, ui).map((r) => r.id)).toEqual(['c']);
  });

  it('draws every column, marks the recorded and the open session, and never overflows its width', () => {
    const ui = reduceUi(initialUiState(), { type: 'panel-row', row: 1 });
    for (const cols of [74, 108]) {
      const vm = sessionsView({ dir: '/s', rows, warnings: [] }, ui, { recording: ['/s/a.jsonl'], open: '/s/b.jsonl', hints: [] });
      const lines = sessionsLines(vm, { cols, rows: 12 }).map(plain);
      expect(lines).toHaveLength(12);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(cols);
      // The dataset column is the first to go when the room runs out, before any problem id is cut.
      expect(lines[1]).toMatch(cols > 100 ? /DATE +DATASET +PROBLEM +FLOW +MODEL +VERDICT +DURATION +TOKENS/ : /DATE +PROBLEM +FLOW +MODEL +VERDICT +DURATION +TOKENS/);
      expect(lines[2]).toMatch(/^ ○ .*HumanEval\/2 +im\S* +local +pass +1\.0 s +99$/);
      expect(lines[3]).toMatch(/^▶● .*HumanEval\/10 .*fail +5\.0 s +10$/);
      expect(lines[4]).toMatch(/Mbpp\/11 .*qwen +unfinished/);
    }
  });
});

describe('session browser keys', () => {
  it('opens over the sessions folder, sorts keeping the cursor on its session, filters as typed, replays on Enter', async () => {
    const dir = await folder();
    const w = await fakeWorkbench({ feed: { kind: 'none' }, sessionsDir: dir, canOpen: true });
    await w.press('o');
    expect(w.api.ui.overlay).toBe('panel');
    let text = w.panelText();
    expect(text[0]).toContain('3 sessions · sort: date (newest first)');
    expect(text.filter((l) => l.includes('HumanEval/0'))).toHaveLength(3);

    await w.press('j');
    const picked = text[3];
    await w.press('s');
    text = w.panelText();
    expect(text[0]).toContain('sort: verdict (best first)');
    expect(text.find((l) => l.startsWith('▶'))!.slice(1)).toBe(picked.slice(1));

    await w.press('/', 'p', 'a', 'r', 's');
    expect(w.panelText()[0]).toContain('1 of 3 match "pars"');
    await w.press('enter');
    expect(w.api.ui.input).toBeUndefined();
    expect(w.api.ui.browser.filter).toBe('pars');
    await w.press('enter');
    expect(w.opened).toEqual([join(dir, 'humaneval-0-parse-error.jsonl')]);

    // An empty filter clears it.
    await w.press('/', 'enter');
    expect(w.panelText()[0]).toContain('3 sessions');
    await w.press('escape');
    expect(w.api.ui.overlay).toBeUndefined();
  });

  it('deletes only after y, keeps the file on any other key, and removes the index row too', async () => {
    const dir = await folder();
    const w = await fakeWorkbench({ feed: { kind: 'none' }, sessionsDir: dir });
    await w.press('o');
    const target = w.panelText().findIndex((l) => l.includes('pass') && !l.includes('*'));
    for (let i = 2; i < target; i++) await w.press('j');
    await w.press('d');
    expect(w.api.ui.confirm).toBe('delete session indexed-pass (humaneval-0-pass.jsonl)?');
    await w.press('n');
    expect(w.flashes.at(-1)?.text).toBe('kept indexed-pass');
    expect(existsSync(join(dir, 'humaneval-0-pass.jsonl'))).toBe(true);

    await w.press('d', 'y');
    expect(w.flashes.at(-1)?.text).toMatch(/^deleted indexed-pass/);
    expect(existsSync(join(dir, 'humaneval-0-pass.jsonl'))).toBe(false);
    expect(await readSummaries(dir)).toEqual([]);
    expect(w.forgotten).toEqual([join(dir, 'humaneval-0-pass.jsonl')]);
    expect(w.panelText()[0]).toContain('2 sessions');
  });

  it('refuses to delete the session being recorded, a running probe\'s, or the one open in the replay', async () => {
    const dir = await folder();
    const recorded = join(dir, 'humaneval-0-retry.jsonl');
    const probe = join(dir, 'humaneval-0-parse-error.jsonl');
    const live = await fakeWorkbench({ feed: { kind: 'engine', sessionPath: recorded }, sessionsDir: dir, recording: [probe] });
    await live.press('o', 's', 's', 's', 's');
    // Sorted by problem then date: walk every row and try to delete it.
    const refusals: string[] = [];
    for (let i = 0; i < 3; i++) {
      await live.press('d');
      if (live.api.ui.confirm) await live.press('n');
      else refusals.push(live.flashes.at(-1)!.text);
      await live.press('j');
    }
    expect(refusals.sort()).toEqual([
      expect.stringMatching(/^\d{8}-\d{6}-humaneval-0-\w+ is being recorded now: delete it once its run is closed$/),
      expect.stringMatching(/is being recorded now/),
    ]);
    expect(existsSync(recorded) && existsSync(probe)).toBe(true);

    const replay = await fakeWorkbench({ feed: { kind: 'replay', sessionPath: recorded }, sessionsDir: dir });
    await replay.press('o');
    const at = replay.panelText().findIndex((l) => l.includes('○'));
    for (let i = 2; i < at; i++) await replay.press('j');
    await replay.press('d');
    expect(replay.flashes.at(-1)?.text).toMatch(/is open in this replay: open another session first$/);
  });

  it('says why it cannot open without a sessions folder', async () => {
    const w = await fakeWorkbench({ feed: { kind: 'none' } });
    await w.press('o');
    expect(w.flashes.at(-1)).toEqual({ text: 'no sessions folder here: slotbench tui lists ./sessions', level: 'error' });
  });
});
