// The browser's data: a damaged index still lists the files; delete never removes what is not a session.

import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
      model: 'scripted',
      mode: 'run',
      label: events[0].label,
      verdict: 'pass',
      durationMs: Math.round(finished.t),
      tokens: events.filter((e) => e.type === 'token').length,
    });
  });

  it('lists the files when index.json is damaged, and says so', async () => {
    const dir = sessionsDir();
    copyFileSync(fixture('humaneval-0-pass'), join(dir, 'a.jsonl'));
    writeFileSync(join(dir, 'index.json'), '{"sessions": [');
    writeFileSync(join(dir, 'notes.jsonl'), 'my own notes\n');
    const { rows, warnings } = await listSessions(dir);
    expect(rows.map((r) => [r.file, r.unindexed])).toEqual([['a.jsonl', true]]);
    expect(warnings[0]).toMatch(/index\.json is damaged .*: listing from the session files$/);
    expect(warnings[1]).toMatch(/notes\.jsonl: not listed: .* is not a slotbench session/);
  });

  it('refuses to delete a file an index row points at when it is not a session', async () => {
    const dir = sessionsDir();
    const precious = join(dir, '..', 'thesis.txt');
    writeFileSync(precious, 'years of work\n');
    writeFileSync(join(dir, 'index.json'), JSON.stringify({
      sessions: [{ id: 'evil', file: '../thesis.txt', startedAt: '2026-01-01T00:00:00Z', flow: 'implement', problem: 'P', model: 'm', mode: 'run' }],
    }));
    const { rows } = await listSessions(dir);
    await expect(deleteSession(dir, findSession(rows, 'evil'))).rejects.toThrow(/is not a slotbench session/);
    expect(existsSync(precious)).toBe(true);
  });

  it('finds a session by an unambiguous id prefix, and says when it is ambiguous or absent', async () => {
    const rows = [{ id: '20260101-a' }, { id: '20260101-b' }, { id: '20260202-c' }].map((r) => ({ ...r, path: '', file: '', startedAt: '', flow: '', problem: '', model: '', mode: 'run' as const }));
    expect(findSession(rows, '20260202').id).toBe('20260202-c');
    expect(() => findSession(rows, '20260101')).toThrow('session id "20260101" is ambiguous: 20260101-a, 20260101-b');
    expect(() => findSession(rows, 'zzz')).toThrow(/no session "zzz"/);
  });
});
