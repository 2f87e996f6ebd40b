// The browser's data: a damaged index still lists the files; delete never removes what is not a session.

import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteSession, findSession, listSessions, summarizeSession } from '../../src/session/catalog.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { scratchDir } from '../helpers/scratch.js';

const fixture = (name: string) => join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', `${name}.jsonl`);

function sessionsDir(): string {
  const dir = join(scratchDir('sb-catalog-'), 'sessions');
  mkdirSync(dir);
  return dir;
}

describe('session catalog', () => {
  it('summarises a session file with the figures the recorder writes', async () => {
    const dir = sessionsDir();
    copyFileSync(fixture('humaneval-0-retry'), join(dir, 'r.jsonl'));
    const events = readFileSync(fixture('humaneval-0-retry'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const finished = events.at(-1);
    expect(await summarizeSession(join(dir, 'r.jsonl'), dir)).toEqual({
      id: events[0].sessionId,
      file: 'r.jsonl',
      startedAt: events[0].startedAt,
      flow: 'implement',
      problem: 'HumanEval/0',
      dataset: 'HumanEval.jsonl.gz',
      model: 'scripted',
      mode: 'run',
      label: events[0].label,
      verdict: 'pass',
      durationMs: Math.round(finished.t),
      tokens: events.filter((e) => e.type === 'token').length,
    });
  });

  it('rebuilds a damaged index.json from the session files, says so in one line, and is whole again after', async () => {
    const dir = sessionsDir();
    copyFileSync(fixture('humaneval-0-pass'), join(dir, 'a.jsonl'));
    writeFileSync(join(dir, 'index.json'), '{"sessions": [');
    writeFileSync(join(dir, 'notes.jsonl'), 'my own notes\n');
    const { rows, warnings } = await listSessions(dir);
    expect(rows.map((r) => [r.file, r.unindexed])).toEqual([['a.jsonl', undefined]]);
    expect(warnings[0]).toMatch(/^the session index is damaged \(.*index\.json: not JSON .*\): rebuilt from the session files$/);
    expect(warnings[1]).toMatch(/notes\.jsonl: not listed: .* is not a slotbench session/);
    expect(existsSync(join(dir, 'index.json'))).toBe(false);
    const again = await listSessions(dir);
    expect(again.warnings.filter((w) => w.includes('index'))).toEqual([]);
    expect(again.rows.map((r) => [r.file, r.verdict, r.unindexed])).toEqual([['a.jsonl', 'pass', undefined]]);
  });

  it('never deletes a session file outside the sessions folder, whatever a row says', async () => {
    const dir = sessionsDir();
    const outside = join(dir, '..', 'elsewhere.jsonl');
    copyFileSync(fixture('humaneval-0-pass'), outside);
    writeFileSync(join(dir, 'index.json'), JSON.stringify({
      sessions: [{ id: 'evil', file: '../elsewhere.jsonl', startedAt: '2026-01-01T00:00:00Z', flow: 'implement', problem: 'P', model: 'm', mode: 'run' }],
    }));
    const { rows, warnings } = await listSessions(dir);
    expect(rows.map((r) => r.id)).toEqual([]);
    expect(warnings[0]).toMatch(/1 of 1 rows unusable \("file" points outside the sessions folder\)/);
    const forged = { id: 'evil', file: '../elsewhere.jsonl', path: outside, startedAt: '', flow: 'implement', problem: 'P', model: 'm', mode: 'run' as const };
    await expect(deleteSession(dir, forged)).rejects.toThrow(`refusing to delete ${outside}: it is not inside the sessions folder ${dir}`);
    expect(existsSync(outside)).toBe(true);
  });

  it('refuses a path that leaves the folder through a symbolic link', async () => {
    const dir = sessionsDir();
    const elsewhere = scratchDir('sb-catalog-out-');
    copyFileSync(fixture('humaneval-0-pass'), join(elsewhere, 'x.jsonl'));
    symlinkSync(elsewhere, join(dir, 'link'));
    const row = { id: 'x', file: 'link/x.jsonl', path: join(dir, 'link', 'x.jsonl'), startedAt: '', flow: 'implement', problem: 'P', model: 'm', mode: 'run' as const };
    await expect(deleteSession(dir, row)).rejects.toThrow(/refusing to delete .*: it is not inside the sessions folder/);
    expect(existsSync(join(elsewhere, 'x.jsonl'))).toBe(true);
  });

  it('still refuses to delete a file inside the folder that is not a session', async () => {
    const dir = sessionsDir();
    writeFileSync(join(dir, 'thesis.jsonl'), 'years of work\n');
    const row = { id: 'x', file: 'thesis.jsonl', path: join(dir, 'thesis.jsonl'), startedAt: '', flow: 'implement', problem: 'P', model: 'm', mode: 'run' as const };
    await expect(deleteSession(dir, row)).rejects.toThrow(/is not a slotbench session/);
    expect(existsSync(join(dir, 'thesis.jsonl'))).toBe(true);
  });

  it('finds a session by an unambiguous id prefix, and says when it is ambiguous or absent', async () => {
    const rows = [{ id: '20260101-a' }, { id: '20260101-b' }, { id: '20260202-c' }].map((r) => ({ ...r, path: '', file: '', startedAt: '', flow: '', problem: '', model: '', mode: 'run' as const }));
    expect(findSession(rows, '20260202').id).toBe('20260202-c');
    expect(() => findSession(rows, '20260101')).toThrow('session id "20260101" is ambiguous: 20260101-a, 20260101-b');
    expect(() => findSession(rows, 'zzz')).toThrow(/no session "zzz"/);
  });
});
