// Recorded fixture sessions (made with the real CLI and scripted models) replay to their known final state and transcript,
// and a rerun against their recorded answers reproduces verdicts and diffs exactly.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rerunSession } from '../../src/cli/commands/rerun.js';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { getFlow } from '../../src/flows/index.js';
import { readSession } from '../../src/session/reader.js';
import { renderTranscript } from '../../src/session/transcript.js';
import { reduceAll } from '../../src/state/run-state.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { loadHumanEval, ofType, realTools } from '../helpers/engine-harness.js';
import { scratchDir } from '../helpers/scratch.js';

const fixture = (name: string) => join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', `${name}.jsonl`);

/** What each fixture ends as: flow verdict, every slot as name:status, every gate verdict. */
const EXPECTED: Record<string, { verdict: string; slots: string[]; gates: string[] }> = {
  'humaneval-0-pass': { verdict: 'pass', slots: ['implement:parsed'], gates: ['pass'] },
  'humaneval-0-repaired': { verdict: 'pass', slots: ['implement:repaired', 'reindent:done'], gates: ['pass'] },
  'humaneval-0-retry': { verdict: 'pass', slots: ['implement:parsed', 'implement:parsed'], gates: ['fail', 'pass'] },
  'humaneval-0-parse-error': { verdict: 'parse_error', slots: ['implement:parse_error', 'reindent:done'], gates: [] },
  'humaneval-0-ansi': { verdict: 'fail', slots: ['implement:parsed'], gates: ['fail'] },
};

const diffs = (events: readonly SlotbenchEvent[]) => ofType(events as SlotbenchEvent[], 'code_applied').map((e) => e.diff);

describe.each(Object.entries(EXPECTED))('fixture %s', (name, expected) => {
  it('replays to its known final state', async () => {
    const session = await readSession(fixture(name));
    expect(session.warnings).toEqual([]);
    const state = reduceAll(session.events);
    expect(state.branches.get(0)?.finished?.verdict).toBe(expected.verdict);
    expect(state.slotOrder.map((id) => `${state.slots.get(id)!.name}:${state.slots.get(id)!.status}`)).toEqual(expected.slots);
    expect(state.gateOrder.map((id) => state.gates.get(id)!.verdict)).toEqual(expected.gates);
  });

  it('has a stable plain transcript', async () => {
    const session = await readSession(fixture(name));
    await expect(renderTranscript(session.events).join('\n') + '\n').toMatchFileSnapshot(`../fixtures/sessions/${name}.transcript.txt`);
  });

  it('reruns against its recorded answers with the same verdicts and diffs', async () => {
    const source = await readSession(fixture(name));
    const dir = scratchDir('sb-rerun-');
    const result = await rerunSession({
      source,
      flow: getFlow(source.header.flow),
      task: await loadHumanEval(source.header.task.id),
      ...(await realTools()),
      gateTimeoutMs: 10_000,
      path: join(dir, 'rerun.jsonl'),
      cwd: dir,
    });
    expect(result.notRecorded).toBeUndefined();
    expect(result.comparison.divergence).toBeUndefined();
    expect(ofType(result.events, 'flow_finished').map((e) => e.verdict)).toEqual([expected.verdict]);
    expect(ofType(result.events, 'test_run').map((e) => e.verdict)).toEqual(expected.gates);
    expect(diffs(result.events)).toEqual(diffs(source.events));
    const written = await readSession(result.path);
    expect(written.header).toMatchObject({
      derivedFrom: source.header.sessionId,
      label: `replay of recorded answers from session ${source.header.sessionId} (scripted)`,
      model: { name: 'replay', kind: 'replay' },
    });
    expect(written.events).toHaveLength(result.events.length);
  });
});

describe('transcript of untrusted text', () => {
  it('carries no terminal control characters, and keeps the text around them', async () => {
    const session = await readSession(fixture('humaneval-0-ansi'));
    const text = renderTranscript(session.events).join('\n');
    expect(JSON.stringify(session.events)).toContain('\\u001b[31m');
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(text).toContain('red {bold}tag{/bold}');
  });
});
