// An aborted slot keeps what it streamed: the index counts its tokens, the transcript and the replay show the partial output.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarizeSession } from '../../src/session/catalog.js';
import { readSession } from '../../src/session/reader.js';
import { renderTranscript } from '../../src/session/transcript.js';
import { reduceAll } from '../../src/state/run-state.js';
import { PROJECT_ROOT } from '../../src/version.js';

/** `run` interrupted by Ctrl-C after 35 of the scripted answer's tokens. */
const ABORTED = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-aborted.jsonl');
const dir = mkdtempSync(join(tmpdir(), 'sb-aborted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('an aborted slot', () => {
  it('counts its partial tokens in the index row', async () => {
    const row = await summarizeSession(ABORTED, dir);
    expect(row).toMatchObject({ verdict: 'aborted', tokens: 35 });
  });

  it('shows its partial output in the transcript, before the abort line', async () => {
    const lines = renderTranscript((await readSession(ABORTED)).events);
    const at = lines.indexOf('  partial output (35 tokens before the abort):');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toBe('    │ x = 1');
    expect(lines.slice(at).find((l) => l.startsWith('  error'))).toBe('  error (aborted) after 35 tokens: slot implement aborted after 35 tokens: interrupted by Ctrl-C');
  });

  it('keeps the partial text and the model count in the replayed state, even when token events were lost', async () => {
    const { events } = await readSession(ABORTED);
    const state = reduceAll(events);
    expect(state.slots.get('s1')).toMatchObject({ status: 'aborted', tokenCount: 35 });
    expect(state.slots.get('s1')!.text).toMatch(/^(x = 1\n)+x = 1$/);
    // A file cut mid-stream: half the token events gone, the abort record says how many there were.
    const firstToken = events.findIndex((e) => e.type === 'token');
    const cut = reduceAll([...events.slice(0, firstToken + 10), ...events.filter((e) => e.type === 'slot_error' || e.type === 'flow_finished')]);
    expect(cut.slots.get('s1')).toMatchObject({ status: 'aborted', tokenCount: 35 });
  });
});
