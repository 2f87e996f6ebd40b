// A session tagged from another process while a workbench still has it open: the workbench's next row keeps the tags.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { annotateSession } from '../../src/session/annotate.js';
import { readSummaries } from '../../src/session/index-store.js';
import { openRecorder } from '../../src/session/recorder.js';
import { flushAllSessions } from '../../src/session/writer.js';
import { harness, until } from '../helpers/engine-harness.js';
import { scratchDir } from '../helpers/scratch.js';

describe('an annotation from another process', () => {
  it('survives the open run re-running a slot: its new row keeps the newer tags and note', async () => {
    const cwd = scratchDir('sb-note-live-');
    const dir = join(cwd, 'sessions');
    const path = join(dir, 'open.jsonl');
    const { engine, events } = await harness('humaneval-0-wrong');
    const recorder = openRecorder(path, cwd);
    engine.on(recorder.onEvent);
    await engine.start();
    // What the writer queued reaches the file within ~50 ms (as it has, long before a person types a command).
    flushAllSessions();
    // Branch 0 finished, so `slotbench tag` takes the session although the workbench still holds it.
    await annotateSession(path, { add: ['flaky'], note: 'wrong at T=0' }, { cwd });
    engine.rerunSlot('s1', { temperature: 0.5, seed: 3 });
    await until(events, (e) => e.type === 'flow_finished' && e.branchId === 1);
    await engine.idle();
    await recorder.close();

    const [row] = await readSummaries(dir);
    expect(row).toMatchObject({ tags: ['flaky'], note: 'wrong at T=0', branches: [{ id: 0, verdict: 'fail' }, { id: 1, verdict: 'fail' }] });
    expect(row.annotatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
