// Notes and tags on a session: the rules, the reducer, the index row, the appended line, and what ignores them.

import { copyFileSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChange, checkNote, checkTag, MAX_NOTE_CHARS, NO_ANNOTATION, noteLine } from '../../src/core/annotation.js';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { annotateSession, annotationEvent, LIVE_WINDOW_MS, readAnnotation } from '../../src/session/annotate.js';
import { filterSessions, listSessions, type SessionRow } from '../../src/session/catalog.js';
import { compareSessions } from '../../src/session/compare.js';
import { determinismReport } from '../../src/session/determinism.js';
import { rowFile, rowProblem } from '../../src/session/index-row.js';
import { readSummaries } from '../../src/session/index-store.js';
import { readSession } from '../../src/session/reader.js';
import { renderTranscript } from '../../src/session/transcript.js';
import { reduceAll } from '../../src/state/run-state.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { rerunSession } from '../../src/cli/commands/rerun.js';
import { implementFlow } from '../../src/flows/implement.js';
import { loadHumanEval, realTools } from '../helpers/engine-harness.js';
import { scratchDir } from '../helpers/scratch.js';

const fixture = (name: string) => join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', `${name}.jsonl`);

/** A cwd with a sessions folder holding a copy of the fixture, as `slotbench` would see it. */
function workspace(name = 'humaneval-0-pass'): { cwd: string; dir: string; path: string } {
  const cwd = scratchDir('sb-note-');
  const dir = join(cwd, 'sessions');
  mkdirSync(dir);
  const path = join(dir, `${name}.jsonl`);
  copyFileSync(fixture(name), path);
  return { cwd, dir, path };
}

const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n');

describe('annotation rules', () => {
  it('lower-cases tags and refuses anything else in one line naming the tag and the rule', () => {
    expect(checkTag('Flaky')).toBe('flaky');
    expect(checkTag('a.b_c-9')).toBe('a.b_c-9');
    expect(() => checkTag('-x')).toThrow('tag "-x" is not a tag: 1-32 of a-z 0-9 . _ -, starting with a letter or digit');
    expect(() => checkTag('has space')).toThrow(/tag "has space" is not a tag/);
    expect(() => checkTag('x'.repeat(33))).toThrow(/is not a tag/);
    expect(() => checkTag('é')).toThrow(/is not a tag/);
  });

  it('removes, then adds (no duplicates, order kept), and holds at most 16 tags', () => {
    const a = applyChange(NO_ANNOTATION, { add: ['b', 'A', 'b'] });
    expect(a.tags).toEqual(['b', 'a']);
    expect(applyChange(a, { add: ['c'], remove: ['B'] })).toEqual({ note: '', tags: ['a', 'c'] });
    const sixteen = applyChange(NO_ANNOTATION, { add: Array.from({ length: 16 }, (_, i) => `t${i}`) });
    expect(sixteen.tags).toHaveLength(16);
    expect(() => applyChange(sixteen, { add: ['one-more'] })).toThrow('a session keeps at most 16 tags (this would make 17): remove some first');
  });

  it('strips control sequences from a note and refuses one over the limit, saying the limit', () => {
    expect(checkNote('  \x1b[31mred\x1b[0m flake\x07  ')).toBe('red flake');
    expect(checkNote('x'.repeat(MAX_NOTE_CHARS))).toHaveLength(MAX_NOTE_CHARS);
    expect(() => checkNote('x'.repeat(MAX_NOTE_CHARS + 1))).toThrow(`the note is ${MAX_NOTE_CHARS + 1} characters: at most 2000 are kept per session`);
  });

  it('shows a note in listings as its first line, cut with …', () => {
    expect(noteLine('short')).toBe('short');
    expect(noteLine('first line\nsecond')).toBe('first line …');
    expect(noteLine('abcdefghij', 5)).toBe('abcd…');
    expect(noteLine('a\tb\x1b[2J  c')).toBe('a b c');
  });
});

describe('the annotated event', () => {
  const events = (name: string) => readSession(fixture(name)).then((s) => s.events);

  it('is kept by the reducer, the last one winning', async () => {
    const base = await events('humaneval-0-pass');
    const t = base.at(-1)!.t;
    const state = reduceAll([...base, annotationEvent({ note: 'first', tags: ['a'] }, t), annotationEvent({ note: 'second', tags: ['b', 'c'] }, t)]);
    expect(state.annotation).toMatchObject({ note: 'second', tags: ['b', 'c'] });
    expect(reduceAll(base).annotation).toBeUndefined();
  });

  it('is printed by the transcript, and is no divergence for diff, rerun comparison or determinism', async () => {
    const base = await events('humaneval-0-pass');
    const annotated = [...base, annotationEvent({ note: 'looks \x1b[31mflaky\nsecond line', tags: ['flaky'] }, base.at(-1)!.t)];
    const transcript = renderTranscript(annotated).join('\n');
    expect(transcript).toMatch(/annotated \d{4}-\d\d-\d\dT[^:]+:\d\d:\d\d\.\d{3}Z: #flaky\n  note:\n    │ looks flaky\n    │ second line/);
    const header = base[0] as Extract<SlotbenchEvent, { type: 'session_started' }>;
    const comparison = compareSessions({ header, events: base }, { header, events: annotated });
    expect(comparison.divergence).toBeUndefined();
    expect(determinismReport([{ header, events: base }, { header, events: annotated }]).deterministic).toBe(true);
  });
});

describe('rerun of an annotated session', () => {
  it('reproduces it without calling the annotation a divergence, and does not copy the notes', async () => {
    const { cwd, path } = workspace();
    await annotateSession(path, { add: ['flaky'], note: 'look again' }, { cwd });
    const result = await rerunSession({
      source: await readSession(path),
      flow: implementFlow,
      task: await loadHumanEval(),
      ...(await realTools()),
      gateTimeoutMs: 10_000,
      path: join(cwd, 'rerun.jsonl'),
      cwd,
    });
    expect(result.comparison.divergence).toBeUndefined();
    expect(result.events.some((e) => e.type === 'annotated')).toBe(false);
    expect(reduceAll(result.events).annotation).toBeUndefined();
  });
});

describe('annotateSession', () => {
  it('appends one line and upserts the index row with tags and note', async () => {
    const { cwd, dir, path } = workspace();
    const before = lines(path);
    const result = await annotateSession(path, { add: ['Flaky', 'slow'], note: 'timed out once on CI' }, { cwd, now: () => new Date('2026-11-29T12:00:00Z') });
    expect(result).toMatchObject({ changed: true, after: { tags: ['flaky', 'slow'], note: 'timed out once on CI' } });
    const after = lines(path);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after).toHaveLength(before.length + 1);
    expect(JSON.parse(after.at(-1)!)).toEqual({
      type: 'annotated',
      note: 'timed out once on CI',
      tags: ['flaky', 'slow'],
      at: '2026-11-29T12:00:00.000Z',
      t: JSON.parse(before.at(-1)!).t,
    });
    const [row] = await readSummaries(dir);
    expect(row).toMatchObject({ tags: ['flaky', 'slow'], note: 'timed out once on CI', verdict: 'pass' });
    expect(await readAnnotation(path)).toEqual({ note: 'timed out once on CI', tags: ['flaky', 'slow'], sessionId: row.id });
  });

  it('writes nothing when the change changes nothing, and drops the fields once emptied', async () => {
    const { cwd, dir, path } = workspace();
    await annotateSession(path, { add: ['x'] }, { cwd });
    const count = lines(path).length;
    expect((await annotateSession(path, { add: ['X'] }, { cwd })).changed).toBe(false);
    expect(lines(path)).toHaveLength(count);
    await annotateSession(path, { remove: ['x'] }, { cwd });
    const [row] = await readSummaries(dir);
    expect(row.tags).toBeUndefined();
    expect(row.note).toBeUndefined();
  });

  it('brings a session whose row is missing back with its tags (rows are rebuilt from the files)', async () => {
    const { cwd, dir, path } = workspace();
    await annotateSession(path, { add: ['keep'] }, { cwd });
    rmSync(rowFile(dir, JSON.parse(lines(path)[0]).sessionId));
    const { rows } = await listSessions(dir);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ unindexed: true, tags: ['keep'] });
  });

  it('starts on a fresh line after a last line cut mid-write', async () => {
    const { cwd, path } = workspace();
    writeFileSync(path, readFileSync(path, 'utf8').slice(0, -20));
    // The cut took the flow's end with it: a file gone quiet long ago is a crashed run, not a live one.
    utimesSync(path, 1e9, 1e9);
    await annotateSession(path, { note: 'after a crash' }, { cwd });
    const session = await readSession(path);
    expect(session.events.at(-1)).toMatchObject({ type: 'annotated', note: 'after a crash' });
    expect(session.warnings.join('\n')).toMatch(/line \d+: not valid JSON; skipped/);
  });

  it("refuses another process's unfinished session written just now, and takes it once it went quiet", async () => {
    const { cwd, path } = workspace();
    writeFileSync(path, lines(path).filter((l) => !l.includes('"flow_finished"')).join('\n') + '\n');
    const id = JSON.parse(lines(path)[0]).sessionId;
    await expect(annotateSession(path, { add: ['x'] }, { cwd })).rejects.toThrow(new RegExp(`^session ${id} is still being recorded \\(unfinished, written \\d+ s ago\\); annotate it when the run ends, or in \\d+ s if the run was killed$`));
    const quiet = (Date.now() - LIVE_WINDOW_MS - 1000) / 1000;
    utimesSync(path, quiet, quiet);
    expect((await annotateSession(path, { add: ['x'] }, { cwd })).changed).toBe(true);
    // Its own annotation just wrote the file: the next change is not taken for a live run.
    expect((await annotateSession(path, { note: 'server died mid-stream' }, { cwd })).changed).toBe(true);
  });
});

describe('index rows and the filter', () => {
  it('checks the shape of tags and note in a row', () => {
    const row = { id: 'a', file: 'a.jsonl', startedAt: 's', flow: 'f', problem: 'p', model: 'm', mode: 'run' };
    expect(rowProblem({ ...row, tags: ['a'], note: 'n' }, '/s')).toBeUndefined();
    expect(rowProblem({ ...row, tags: 'a' }, '/s')).toBe('"tags" is not a list of text');
    expect(rowProblem({ ...row, note: 3 }, '/s')).toBe('"note" is not text');
  });

  it('matches tag:NAME exactly, and a bare word in the note or a tag', () => {
    const row = (id: string, change: Partial<SessionRow>): SessionRow => ({
      id, file: `${id}.jsonl`, path: `/s/${id}.jsonl`, startedAt: '2026-11-29T10:00:00Z', flow: 'implement', problem: 'HumanEval/0', model: 'm', mode: 'run', ...change,
    });
    const rows = [row('a', { tags: ['flaky'] }), row('b', { tags: ['flaky-ci'], note: 'Server OOM at token 400' }), row('c', {})];
    const ids = (text: string) => filterSessions(rows, text).map((r) => r.id);
    expect(ids('tag:flaky')).toEqual(['a']);
    expect(ids('tag:FLAKY-ci')).toEqual(['b']);
    expect(ids('flaky')).toEqual(['a', 'b']);
    expect(ids('oom')).toEqual(['b']);
    expect(ids('tag:none')).toEqual([]);
  });
});
