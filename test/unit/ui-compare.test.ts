// `:diff` and the compare pane: branches of one session and two sessions, from real engine runs with the scripted model.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { compareSessions } from '../../src/session/compare.js';
import { readSession } from '../../src/session/reader.js';
import { reduceAll } from '../../src/state/run-state.js';
import { compareBody, compareHeader, GUTTER } from '../../src/ui/panes/compare-pane.js';
import { plain } from '../../src/ui/common/text.js';
import { branchEvents, runEvents } from '../golden/states.js';
import { fakeWorkbench, type FakeWorkbench } from '../helpers/fake-workbench.js';

let dir: string;
const files: Record<string, string> = {};
const events: Record<string, SlotbenchEvent[]> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-compare-'));
  events.branch = await branchEvents();
  events.wrong = await runEvents('humaneval-0-wrong');
  for (const [name, list] of Object.entries(events)) {
    files[name] = join(dir, `${name}.jsonl`);
    writeFileSync(files[name], list.map((e) => JSON.stringify(e)).join('\n') + '\n');
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function type(w: FakeWorkbench, text: string): Promise<void> {
  await w.press(':', ...[...text].map((c) => (c === ' ' ? 'space' : c)), 'enter');
}

function replayOf(name: string, selectedSlot?: string) {
  return fakeWorkbench({ feed: { kind: 'replay', sessionPath: files[name] }, run: reduceAll(events[name]), cwd: dir }).then(async (w) => {
    if (selectedSlot) w.api.dispatch({ type: 'select', slotId: selectedSlot });
    return w;
  });
}

describe(':diff', () => {
  it('compares the branch shown with another branch: the first divergence is the re-run temperature', async () => {
    const w = await replayOf('branch');
    await type(w, 'diff 0');
    expect(w.api.ui.overlay).toBe('panel');
    expect(w.api.panel?.title).toBe('diff branch 1 ↔ branch 0');
    expect(w.flashes.at(-1)).toEqual({ text: 'slot implement #0 (attempt 1): sampling temperature differs: b1 0.9 vs b0 0', level: 'error' });
    const text = w.panelText().join('\n');
    expect(text).toMatch(/T=0\.9 seed=– n_predict=\d+ +┃ T=0 seed=– n_predict=\d+/);
    expect(text).toContain('temperature: 0.9');
  });

  it('picks the other side from the plan: the old attempt selected is the branch shown', async () => {
    const w = await replayOf('branch', 's1');
    await type(w, 'diff 1');
    expect(w.api.panel?.title).toBe('diff branch 0 ↔ branch 1');
  });

  it('compares with another session by path, naming both', async () => {
    const w = await replayOf('branch', 's1');
    await type(w, `diff ${basename(files.wrong)}`);
    expect(w.flashes.at(-1)?.text).toMatch(/^slot implement #0 \(attempt 1\): output token \d+ differs: A "\w+" vs B "\w+"$/);
    const text = w.panelText();
    expect(text[0]).toBe('A pass · test-session branch 0 · implement HumanEval/0 · scripted (scripted)');
    expect(text[1]).toMatch(/^B fail · /);
    expect(text.join('\n')).toMatch(/ok · tests pass +┃ ok · tests fail/);
  });

  it('says what is wrong in one line: unknown branch, the branch shown, no such session, nothing open', async () => {
    const w = await replayOf('branch');
    await type(w, 'diff 7');
    expect(w.flashes.at(-1)?.text).toBe(':diff: no branch 7 in this session: its branches are 0, 1');
    await type(w, 'diff 1');
    expect(w.flashes.at(-1)?.text).toBe(':diff: branch 1 is the one shown: name another (0, 1)');
    await type(w, 'diff nowhere.jsonl');
    expect(w.flashes.at(-1)?.text).toBe(`:diff: no session file ${join(dir, 'nowhere.jsonl')}`);
    await type(w, 'diff');
    expect(w.flashes.at(-1)?.text).toMatch(/^:diff needs a branch id or a session: :diff BRANCH \| SESSION \[BRANCH\]$/);
    const none = await fakeWorkbench({ feed: { kind: 'none' } });
    await type(none, 'diff 0');
    expect(none.flashes.at(-1)?.text).toBe(':diff: no session is open: open a problem or replay a session first');
  });
});

describe('compare pane', () => {
  it('marks the diverging row on both sides and shows both answers, differing lines marked', async () => {
    const [a, b] = await Promise.all([readSession(files.branch), readSession(files.wrong)]);
    const comparison = compareSessions(a, b);
    const vm = { comparison, names: { a: 'A', b: 'B' }, scroll: 0 };
    const header = compareHeader(vm, 80).map(plain);
    expect(header[2]).toMatch(/^≠ slot implement #0 \(attempt 1\): output token/);
    expect(header.at(-1)).toBe('0 slot calls agree before it');
    const body = compareBody(vm, 80);
    for (const line of body) expect(plain(line).length).toBeLessThanOrEqual(80);
    const answers = body.filter((l) => plain(l).startsWith(GUTTER));
    expect(answers.length).toBeGreaterThan(3);
    // The right side's answer ("return False") differs from the left's first line: both marked.
    const first = answers[0];
    expect(first.some((s) => s.style === 'diff.del')).toBe(true);
    expect(first.some((s) => s.style === 'diff.add')).toBe(true);
    const answerRow = body.find((l) => plain(l).startsWith('answer '))!;
    expect(answerRow.filter((s) => s.style === 'status.failed')).toHaveLength(2);
  });

  it('shows a line diff of two prompts that differ, not only where they start to differ', async () => {
    const edited = events.wrong.map((e) =>
      e.type === 'prompt_built' ? { ...e, request: { ...e.request, prompt: e.request.prompt.replace('Complete the Python function below', 'Finish this function') } } : e,
    );
    const path = join(dir, 'edited.jsonl');
    writeFileSync(path, edited.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const [a, b] = await Promise.all([readSession(files.wrong), readSession(path)]);
    const vm = { comparison: compareSessions(a, b), names: { a: 'A', b: 'B' }, scroll: 0 };
    expect(plain(compareHeader(vm, 100)[2])).toMatch(/the prompt differs at char 0/);
    const body = compareBody(vm, 100);
    const at = body.findIndex((l) => plain(l) === '── prompt of call 1: A → B');
    expect(at).toBeGreaterThan(0);
    const diff = body.slice(at + 1, at + 8);
    expect(plain(diff[0])).toMatch(/^@@ -1,\d+ \+1,\d+ @@$/);
    const removed = diff.find((l) => plain(l).startsWith('-'))!;
    const added = diff.find((l) => plain(l).startsWith('+'))!;
    expect(plain(removed)).toMatch(/^-Complete the Python function below so that it is correct/);
    expect(plain(added)).toMatch(/^\+Finish this function so that it is correct/);
    expect(removed[0].style).toBe('diff.del');
    expect(added[0].style).toBe('diff.add');
    const same = compareBody({ comparison: compareSessions(a, a), names: { a: 'A', b: 'B' }, scroll: 0 }, 100);
    expect(same.some((l) => plain(l).startsWith('── prompt of call'))).toBe(false);
  });

  it('says when two runs agree', async () => {
    const a = await readSession(files.wrong);
    const vm = { comparison: compareSessions(a, a), names: { a: 'A', b: 'B' }, scroll: 0 };
    expect(plain(compareHeader(vm, 100).at(-1)!)).toBe('= no divergence: 1 slot call agrees and both ended fail');
  });
});
