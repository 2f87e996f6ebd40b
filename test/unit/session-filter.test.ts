// The session browser's filter: bare words match any field, FIELD:VALUE one field; rows carry their dataset.

import { describe, expect, it } from 'vitest';
import type { SessionStartedEvent } from '../../src/core/events.js';
import { filterSessions, type SessionRow } from '../../src/session/catalog.js';
import { summaryFromHeader } from '../../src/session/index-store.js';

function row(id: string, change: Partial<SessionRow>): SessionRow {
  return { id, file: `${id}.jsonl`, path: `/s/${id}.jsonl`, startedAt: '2026-11-29T10:00:00Z', flow: 'implement', problem: 'HumanEval/0', model: 'qwen', mode: 'run', ...change };
}

const rows = [
  row('a', { verdict: 'pass', dataset: 'HumanEval.jsonl.gz' }),
  row('b', { verdict: 'fail', dataset: 'mbpp.jsonl', problem: 'Mbpp/11', model: 'phi' }),
  row('c', { verdict: 'parse_error', dataset: 'mbpp.jsonl', problem: 'Mbpp/12' }),
  row('d', { dataset: 'HumanEval.jsonl.gz', model: 'phi-failsafe' }),
];
const ids = (text: string) => filterSessions(rows, text).map((r) => r.id);

describe('filterSessions', () => {
  it('matches a verdict exactly, so verdict:fail is not the model phi-failsafe nor parse_error', () => {
    expect(ids('verdict:fail')).toEqual(['b']);
    expect(ids('verdict:unfinished')).toEqual(['d']);
    expect(ids('fail')).toEqual(['b', 'd']);
  });

  it('keeps rows matching every term, each field by substring, case-blind', () => {
    expect(ids('dataset:mbpp')).toEqual(['b', 'c']);
    expect(ids('dataset:mbpp model:qwen')).toEqual(['c']);
    expect(ids('model:PHI dataset:humaneval')).toEqual(['d']);
    expect(ids('  ')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('reads an unknown field name as part of a bare word', () => {
    expect(ids('mbpp/1')).toEqual(['b', 'c']);
    expect(ids('colour:red')).toEqual([]);
  });
});

describe('summaryFromHeader', () => {
  const header = (task: SessionStartedEvent['task']) =>
    ({ type: 'session_started', formatVersion: 2, slotbenchVersion: '0', sessionId: 'x', startedAt: '', flow: 'implement', task, model: { name: 'm', kind: 'scripted', location: '', fingerprint: '' }, sampling: { temperature: 0 }, attempts: 1, t: 0 }) as unknown as SessionStartedEvent;

  it('names the dataset file, or the repository of a commit task, and nothing for an intent', () => {
    expect(summaryFromHeader(header({ kind: 'dataset', dataset: '/data/HumanEval.jsonl.gz', id: 'HumanEval/0' }), '/s/x.jsonl', '/s').dataset).toBe('HumanEval.jsonl.gz');
    expect(summaryFromHeader(header({ kind: 'commit', repo: 'github.com/a/b', commit: 'abc', id: 'abc' }), '/s/x.jsonl', '/s').dataset).toBe('github.com/a/b');
    expect(summaryFromHeader(header({ kind: 'intent', id: 'i' }), '/s/x.jsonl', '/s').dataset).toBeUndefined();
  });
});
