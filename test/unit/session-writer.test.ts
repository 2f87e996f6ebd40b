import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SESSION_FORMAT_VERSION } from '../../src/core/events.js';
import { SessionWriter } from '../../src/session/writer.js';
import { openRecorder } from '../../src/session/recorder.js';
import { readSummaries } from '../../src/session/index-store.js';
import { harness } from '../helpers/engine-harness.js';
import { scratchDir } from '../helpers/scratch.js';

describe('session writer', () => {
  it('refuses to overwrite an existing session file and leaves it intact', () => {
    const dir = scratchDir('sb-');
    const path = join(dir, 'keep.jsonl');
    writeFileSync(path, 'precious\n');
    expect(() => new SessionWriter(path)).toThrow(/already exists/);
    expect(readFileSync(path, 'utf8')).toBe('precious\n');
  });

  it('writes one JSON line per event, header first, and indexes the session beside it', async () => {
    const dir = scratchDir('sb-');
    const path = join(dir, 'run.jsonl');
    const { engine, events } = await harness('humaneval-0-canonical');
    const recorder = openRecorder(path, dir + '/elsewhere');
    engine.on(recorder.onEvent);
    await engine.start();
    await recorder.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(events.length);
    expect(lines[0]).toMatchObject({ type: 'session_started', formatVersion: SESSION_FORMAT_VERSION, flow: 'implement', task: { kind: 'dataset', id: 'HumanEval/0' } });
    expect(lines.at(-1)).toMatchObject({ type: 'flow_finished', verdict: 'pass' });
    const [row] = await readSummaries(dir);
    expect(row).toMatchObject({ file: 'run.jsonl', verdict: 'pass', problem: 'HumanEval/0' });
    expect(row.tokens).toBeGreaterThan(0);
  });

  it('has everything queued on disk after a synchronous flush (crash path)', () => {
    const dir = scratchDir('sb-');
    const path = join(dir, 's.jsonl');
    const writer = new SessionWriter(path);
    for (let i = 0; i < 100; i++) writer.write({ type: 'note', level: 'info', message: `n${i}`, t: i });
    writer.flush();
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(100);
    writer.close();
  });
});
