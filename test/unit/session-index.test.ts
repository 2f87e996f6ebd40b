// The session index as row files: many writers at once lose nothing, damage of any shape is rebuilt and said once.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listSessions } from '../../src/session/catalog.js';
import { indexFolder, rowFile, type SessionSummary } from '../../src/session/index-row.js';
import { readIndex, readSummaries, removeDamagedRow, upsertSummary } from '../../src/session/index-store.js';
import { openRecorder } from '../../src/session/recorder.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { harness } from '../helpers/engine-harness.js';

const fixture = (name: string) => join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', `${name}.jsonl`);
const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function sessionsDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'sb-index-'));
  made.push(root);
  const dir = join(root, 'sessions');
  mkdirSync(dir);
  return dir;
}

const summary = (id: string, change: Partial<SessionSummary> = {}): SessionSummary => ({
  id, file: `${id}.jsonl`, startedAt: '2026-01-01T00:00:00.000Z', flow: 'implement', problem: 'HumanEval/0', model: 'm', mode: 'run', tokens: 0, ...change,
});

/** A sessions folder holding three fixture sessions and no index. */
function withSessions(): { dir: string; ids: string[] } {
  const dir = sessionsDir();
  const names = ['humaneval-0-pass', 'humaneval-0-retry', 'humaneval-0-parse-error'];
  for (const name of names) copyFileSync(fixture(name), join(dir, `${name}.jsonl`));
  return { dir, ids: names.map((n) => JSON.parse(readFileSync(fixture(n), 'utf8').split('\n')[0]).sessionId as string) };
}

describe('session index under concurrent writers', () => {
  it('keeps every row and the last verdict of each when 200 sessions are indexed at once, twice each', async () => {
    const dir = sessionsDir();
    const ids = Array.from({ length: 200 }, (_, i) => `s${i}`);
    await Promise.all(ids.map((id) => upsertSummary(dir, summary(id))));
    await Promise.all(ids.map((id, i) => upsertSummary(dir, summary(id, { verdict: i % 2 ? 'pass' : 'fail', tokens: i }))));
    const { rows, damage } = await readIndex(dir);
    expect(damage).toEqual([]);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rows.every((r) => r.verdict === (Number(r.id.slice(1)) % 2 ? 'pass' : 'fail') && r.tokens === Number(r.id.slice(1)))).toBe(true);
    expect(readdirSync(indexFolder(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('keeps recording rows after the index was damaged (the old index stopped indexing for good)', async () => {
    const dir = sessionsDir();
    writeFileSync(join(dir, 'index.json'), '{"sessions": [{"id": "x"}]} trailing');
    const { engine } = await harness('humaneval-0-canonical');
    const recorder = openRecorder(join(dir, 'run.jsonl'), join(dir, '..'));
    engine.on(recorder.onEvent);
    await engine.start();
    await recorder.close();
    expect(await readSummaries(dir)).toEqual([expect.objectContaining({ file: 'run.jsonl', verdict: 'pass' })]);
  });

  it('names a row file after a hostile id without leaving the index folder', () => {
    const dir = sessionsDir();
    for (const id of ['../../etc/passwd', '.hidden', 'a/b', 'x'.repeat(400), '\u001b]52;c;QQ==\u0007']) {
      const file = rowFile(dir, id);
      expect(file.startsWith(indexFolder(dir) + '/')).toBe(true);
      expect(file.slice(indexFolder(dir).length + 1)).toMatch(/^~[0-9a-f]{32}\.json$/);
    }
    expect(rowFile(dir, '20260101-000000-humaneval-0-a1b2c3d4')).toBe(join(indexFolder(dir), '20260101-000000-humaneval-0-a1b2c3d4.json'));
  });
});

describe('a damaged index is rebuilt from the session files, in one line', () => {
  it.each([
    ['not JSON', '{"sessions": [', /index\.json: not JSON/],
    ['"sessions" a number', '{"sessions": 5}', /index\.json: not an index \(no "sessions" list\)/],
    ['an array', '[1, 2]', /index\.json: not an index \(no "sessions" list\)/],
    ['rows of the wrong shape', '{"sessions": [1, {"id": "a"}, {"id": "b", "file": "b.jsonl"}]}', /index\.json: 3 of 3 rows unusable \(not a JSON object\)/],
  ])('legacy index.json: %s', async (_name, text, reason) => {
    const { dir, ids } = withSessions();
    writeFileSync(join(dir, 'index.json'), text);
    const { rows, warnings } = await listSessions(dir);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(reason);
    expect(warnings[0]).toMatch(/^the session index is damaged \(.*\): rebuilt from the session files$/);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rows.every((r) => !r.unindexed)).toBe(true);
    expect((await readSummaries(dir)).map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(existsSync(join(dir, 'index.json'))).toBe(false);
    expect((await listSessions(dir)).warnings).toEqual([]);
  });

  it.each([
    ['not JSON', '{"id": ', /: not JSON/],
    ['an array', '[1, 2]', /: not a JSON object/],
    ['a row missing fields', '{"id": "HOSTILE"}', /: no "file" text/],
    ['a row with a bad verdict', JSON.stringify(summary('HOSTILE', { verdict: 'great' as never })), /: "verdict" is not a verdict/],
    ['a row pointing outside', JSON.stringify(summary('HOSTILE', { file: '../../x.jsonl' })), /: "file" points outside the sessions folder/],
    ['a row of another id', JSON.stringify(summary('other-id')), /: is named for another session id/],
  ])('row file: %s', async (_name, text, reason) => {
    const { dir, ids } = withSessions();
    await upsertSummary(dir, { ...summary(ids[0], { file: 'humaneval-0-pass.jsonl' }), verdict: 'pass' });
    const damaged = rowFile(dir, 'HOSTILE');
    writeFileSync(damaged, text);
    const { rows, warnings } = await listSessions(dir);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(reason);
    expect(warnings[0]).toContain(damaged);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(existsSync(damaged)).toBe(false);
    expect((await listSessions(dir)).warnings).toEqual([]);
  });

  it('removes a damaged row only while it is still damaged: a recorder may have replaced it with a good one', async () => {
    const dir = sessionsDir();
    await upsertSummary(dir, summary('a'));
    writeFileSync(rowFile(dir, 'a'), '{"id": ');
    const { damagedFiles } = await readIndex(dir);
    expect(damagedFiles).toEqual([rowFile(dir, 'a')]);
    await upsertSummary(dir, summary('a', { verdict: 'pass' }));
    await removeDamagedRow(dir, rowFile(dir, 'a'));
    expect(await readSummaries(dir)).toEqual([expect.objectContaining({ id: 'a', verdict: 'pass' })]);
    writeFileSync(rowFile(dir, 'a'), '[1, 2]');
    await removeDamagedRow(dir, rowFile(dir, 'a'));
    expect(existsSync(rowFile(dir, 'a'))).toBe(false);
  });

  it('lists without rewriting when nothing is damaged: files the index lacks stay marked', async () => {
    const { dir, ids } = withSessions();
    await upsertSummary(dir, summary(ids[0], { file: 'humaneval-0-pass.jsonl' }));
    const { rows, warnings } = await listSessions(dir);
    expect(warnings).toEqual([]);
    expect(rows.filter((r) => r.unindexed).map((r) => r.file).sort()).toEqual(['humaneval-0-parse-error.jsonl', 'humaneval-0-retry.jsonl']);
    expect((await readSummaries(dir)).map((r) => r.id)).toEqual([ids[0]]);
  });

  it('imports the rows of a good legacy index.json, keeping rows written since, and removes it', async () => {
    const { dir, ids } = withSessions();
    await upsertSummary(dir, summary(ids[0], { file: 'humaneval-0-pass.jsonl', verdict: 'pass', label: 'written since' }));
    const legacy = [summary(ids[0], { file: 'humaneval-0-pass.jsonl', verdict: 'fail' }), summary(ids[1], { file: 'humaneval-0-retry.jsonl', verdict: 'pass' })];
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ sessions: legacy }));
    const { rows, warnings } = await listSessions(dir);
    expect(warnings).toEqual([]);
    expect(rows.find((r) => r.id === ids[0])).toMatchObject({ verdict: 'pass', label: 'written since' });
    expect(rows.find((r) => r.id === ids[1])).toMatchObject({ verdict: 'pass' });
    expect(rows.find((r) => r.id === ids[2])).toMatchObject({ unindexed: true });
    expect(existsSync(join(dir, 'index.json'))).toBe(false);
  });

  it('sweeps temp files a killed writer left, but not one a writer is still using', async () => {
    const dir = sessionsDir();
    await upsertSummary(dir, summary('a'));
    const old = join(indexFolder(dir), '.a.json.123-deadbeef.tmp');
    const fresh = join(indexFolder(dir), '.a.json.456-cafecafe.tmp');
    writeFileSync(old, '{"id":');
    writeFileSync(fresh, '{"id":');
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(old, hourAgo, hourAgo);
    const { rows, damage } = await readIndex(dir);
    expect(rows.map((r) => r.id)).toEqual(['a']);
    expect(damage).toEqual([]);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
