// `:note`, `:tag`, `:untag` in the workbench: on the browser's picked row, a replay on screen, and a live run's recorder.

import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';
import { implementFlow } from '../../src/flows/implement.js';
import { loadScript, ScriptedModel } from '../../src/model/scripted.js';
import { prepareRun } from '../../src/runner/task-run.js';
import { readSummaries } from '../../src/session/index-store.js';
import { readSession } from '../../src/session/reader.js';
import type { SessionRow } from '../../src/session/catalog.js';
import { initialUiState } from '../../src/state/ui-state.js';
import { plain } from '../../src/ui/common/text.js';
import { engineFeed } from '../../src/ui/engine-feed.js';
import { sessionsLines, sessionsView } from '../../src/ui/panes/sessions-pane.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { loadHumanEval, realTools, registryOf, scriptPath } from '../helpers/engine-harness.js';
import { fakeWorkbench, type FakeWorkbench } from '../helpers/fake-workbench.js';
import { scratchDir } from '../helpers/scratch.js';

const fixture = (name: string) => join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', `${name}.jsonl`);

function sessionsFolder(): { cwd: string; dir: string } {
  const cwd = scratchDir('sb-ui-note-');
  const dir = join(cwd, 'sessions');
  mkdirSync(dir);
  for (const name of ['humaneval-0-pass', 'humaneval-0-retry']) copyFileSync(fixture(name), join(dir, `${name}.jsonl`));
  return { cwd, dir };
}

/** Type a `:` command and press Enter. */
async function command(w: FakeWorkbench, text: string): Promise<void> {
  await w.press(':', ...[...text].map((c) => (c === ' ' ? 'space' : c)), 'enter');
}

const lastEvent = (path: string) => JSON.parse(readFileSync(path, 'utf8').trimEnd().split('\n').at(-1)!);

describe(':tag and :note in the session browser', () => {
  it('act on the picked row: the row shows the tags, the detail line the note, the file and the index keep both', async () => {
    const { cwd, dir } = sessionsFolder();
    const w = await fakeWorkbench({ feed: { kind: 'none' }, sessionsDir: dir, cwd });
    await w.press('o');
    const pickedId = (await readSession(join(dir, 'humaneval-0-pass.jsonl'))).header.sessionId;
    // Newest first: the pass fixture (03:18:30) is below the retry one (03:18:39).
    await w.press('j');
    await command(w, 'tag Flaky slow');
    expect(w.flashes.at(-1)).toEqual({ text: `tagged flaky, slow (${pickedId}: #flaky #slow)`, level: 'info' });
    await command(w, 'note server OOM at token 400');
    await command(w, 'untag slow');
    expect(w.flashes.at(-1)?.text).toBe(`untagged slow (${pickedId}: #flaky)`);
    const text = w.panelText();
    expect(text.find((l) => l.startsWith('▶'))).toMatch(/pass +\S+ s +77 +#flaky/);
    expect(text).toContain('#flaky · note: server OOM at token 400');
    expect(lastEvent(join(dir, 'humaneval-0-pass.jsonl'))).toMatchObject({ type: 'annotated', tags: ['flaky'], note: 'server OOM at token 400' });
    expect((await readSummaries(dir)).find((r) => r.id === pickedId)).toMatchObject({ tags: ['flaky'], note: 'server OOM at token 400' });

    // The filter finds it by tag and by a word of the note.
    await w.press('/', ...'tag:flaky'.split(''), 'enter');
    expect(w.panelText()[0]).toContain('1 of 2 match "tag:flaky"');
  });

  it("refuses a session another part is recording, and a bad tag, in one line each", async () => {
    const { cwd, dir } = sessionsFolder();
    const probe = join(dir, 'humaneval-0-retry.jsonl');
    const w = await fakeWorkbench({ feed: { kind: 'none' }, sessionsDir: dir, cwd, recording: [probe] });
    await w.press('o');
    await command(w, 'tag x');
    expect(w.flashes.at(-1)).toEqual({ text: `${(await readSession(probe)).header.sessionId} is still being recorded; annotate it when the run ends`, level: 'error' });
    await w.press('j');
    await command(w, 'tag no/way');
    expect(w.flashes.at(-1)).toEqual({ text: 'tag "no/way" is not a tag: 1-32 of a-z 0-9 . _ -, starting with a letter or digit', level: 'error' });
  });
});

describe(':tag and :note on the session on screen', () => {
  it('write a replayed session to its file, and say there is nothing to note on the welcome screen', async () => {
    const { cwd, dir } = sessionsFolder();
    const path = join(dir, 'humaneval-0-pass.jsonl');
    const replay = await fakeWorkbench({ feed: { kind: 'replay', sessionPath: path }, cwd });
    await command(replay, 'tag golden');
    expect(lastEvent(path)).toMatchObject({ type: 'annotated', tags: ['golden'] });
    await command(replay, 'note');
    expect(replay.flashes.at(-1)?.text).toMatch(/has no note: :note TEXT sets one$/);

    const welcome = await fakeWorkbench({ feed: { kind: 'none' } });
    await command(welcome, 'tag x');
    expect(welcome.flashes.at(-1)).toEqual({ text: ':tag: no session on screen: open one, or pick one in the browser (o)', level: 'error' });
  });

  it("go through a live run's recorder: the file, the row and the run state get the event, the run goes on", async () => {
    const cwd = scratchDir('sb-ui-live-');
    const path = join(cwd, 'sessions', 'live.jsonl');
    const model = new ScriptedModel(await loadScript(scriptPath('humaneval-0-canonical')));
    const run = prepareRun({
      task: await loadHumanEval(),
      flow: implementFlow,
      models: registryOf(model),
      model: 'scripted',
      sampling: { ...DEFAULT_SAMPLING },
      attempts: 1,
      gateTimeoutMs: 5000,
      tools: await realTools(),
      record: { path, cwd },
      pauseAtStart: true,
    });
    const feed = engineFeed({ run, models: registryOf(model), problem: { dataset: 'HumanEval', id: 'HumanEval/0' }, slotNames: ['implement'] });
    const heard: SlotbenchEvent[] = [];
    feed.subscribe((event) => event && heard.push(event));
    feed.start((error) => {
      throw error;
    });
    const w = await fakeWorkbench({ feed, run: run.state, cwd });
    await command(w, 'tag wip');
    await command(w, 'note first look');
    expect(w.flashes.at(-1)?.text).toBe(`noted ${run.sessionId}: first look`);
    expect(run.state.annotation).toMatchObject({ tags: ['wip'], note: 'first look' });
    expect(heard.filter((e) => e.type === 'annotated')).toHaveLength(2);
    await feed.close('test over');
    const { events } = await readSession(path);
    expect(events.filter((e) => e.type === 'annotated').at(-1)).toMatchObject({ tags: ['wip'], note: 'first look' });
    expect(events.at(-1)).toMatchObject({ type: 'flow_finished', verdict: 'aborted' });
    expect((await readSummaries(join(cwd, 'sessions')))[0]).toMatchObject({ tags: ['wip'], note: 'first look' });
  });
});

describe('the sessions pane with tags', () => {
  const row = (id: string, change: Partial<SessionRow>): SessionRow => ({
    id, file: `${id}.jsonl`, path: `/s/${id}.jsonl`, startedAt: '2026-01-01T00:00:00.000Z', flow: 'implement', problem: 'HumanEval/0',
    dataset: 'HumanEval.jsonl.gz', model: 'local', mode: 'run', verdict: 'pass', durationMs: 1000, tokens: 10, ...change,
  });
  const draw = (rows: SessionRow[], cols: number) =>
    sessionsLines(sessionsView({ dir: '/s', rows, warnings: [] }, initialUiState(), { recording: [], hints: [] }), { cols, rows: 10 }).map((l) => plain(l).trimEnd());

  it('adds a TAGS column only when a row is tagged, the first to give way, and never overflows', () => {
    expect(draw([row('a', {})], 120)[1]).not.toContain('TAGS');
    const rows = [row('a', { tags: ['flaky', 'needs-review'], note: 'first line\nsecond' }), row('b', { startedAt: '2025-01-01T00:00:00.000Z' })];
    const wide = draw(rows, 120);
    expect(wide[1]).toMatch(/DATASET +PROBLEM .*TOKENS +TAGS$/);
    expect(wide[2]).toMatch(/10 +#flaky #needs-review$/);
    expect(wide).toContain('#flaky #needs-review · note: first line …');
    // Narrower: the tags are cut, then dropped, while the dataset still shows.
    const cut = draw(rows, 100);
    expect(cut[1]).toMatch(/DATASET .*TAGS$/);
    expect(cut[2]).toMatch(/#flaky #n…$/);
    const dropped = draw(rows, 78);
    expect(dropped[1]).not.toContain('TAGS');
    expect(dropped[1]).toContain('DATASET');
    for (const cols of [60, 74, 86, 100, 120]) for (const line of draw(rows, cols)) expect(line.length).toBeLessThanOrEqual(cols);
  });
});
