// rerun re-walks the recorded path: a branch's overrides at its branch point and a person's change to a waiting call.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rerunSession } from '../../src/cli/commands/rerun.js';
import { implementFlow } from '../../src/flows/implement.js';
import { readSession } from '../../src/session/reader.js';
import { openRecorder } from '../../src/session/recorder.js';
import { harness, loadHumanEval, ofType, realTools, until } from '../helpers/engine-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-rerun-branches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rerun(file: string, branch?: number) {
  const source = await readSession(file);
  return rerunSession({
    source,
    ...(branch !== undefined ? { branch } : {}),
    flow: implementFlow,
    task: await loadHumanEval(),
    ...(await realTools()),
    gateTimeoutMs: 10_000,
    path: join(dir, `rerun-${Math.random().toString(36).slice(2)}.jsonl`),
    cwd: dir,
  });
}

describe('rerun', () => {
  it('reproduces a run whose first call a person edited while it waited', async () => {
    const file = join(dir, 'edited.jsonl');
    const { engine, events } = await harness('humaneval-0-canonical', { pauseAtStart: true });
    const recorder = openRecorder(file, dir);
    engine.on(recorder.onEvent);
    const done = engine.start();
    await until(events, (e) => e.type === 'slot_stopped');
    engine.overrideNext({ prompt: 'EDITED prompt', temperature: 0.3 });
    engine.continue();
    await done;
    await recorder.close();
    const result = await rerun(file);
    expect(result.notRecorded).toBeUndefined();
    expect(result.comparison.divergence).toBeUndefined();
    expect(ofType(result.events, 'prompt_built')[0].request).toMatchObject({ prompt: 'EDITED prompt', sampling: { temperature: 0.3 } });
  });

  it('reruns the branch that decided the session by default, with its overrides at the branch point', async () => {
    const file = join(dir, 'branched.jsonl');
    const { engine, events } = await harness('humaneval-0-wrong-then-right', { attempts: 1 });
    const recorder = openRecorder(file, dir);
    engine.on(recorder.onEvent);
    await engine.start();
    engine.rerunSlot('s1', { temperature: 0.7, seed: 5 });
    await until(events, (e) => e.type === 'flow_finished' && e.branchId === 1);
    await engine.idle();
    await recorder.close();
    const verdicts = ofType(events, 'flow_finished').map((e) => [e.branchId, e.verdict]);
    expect(verdicts).toEqual([[0, 'fail'], [1, 'pass']]);

    const byDefault = await rerun(file);
    expect(byDefault.branch).toBe(1);
    expect(byDefault.notRecorded).toBeUndefined();
    expect(byDefault.comparison.divergence).toBeUndefined();
    expect(ofType(byDefault.events, 'flow_finished')[0].verdict).toBe('pass');

    const original = await rerun(file, 0);
    expect(original.comparison.divergence).toBeUndefined();
    expect(ofType(original.events, 'flow_finished')[0].verdict).toBe('fail');
    await expect(rerun(file, 7)).rejects.toThrow(/no branch 7 \(the session has 0, 1\)/);
  });
});
