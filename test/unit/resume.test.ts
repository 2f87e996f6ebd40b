// Resuming an unfinished session: where the recording stops answering, the refusals, and one run that replays then goes live.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { implementFlow } from '../../src/flows/implement.js';
import { loadScript, ScriptedModel } from '../../src/model/scripted.js';
import { planResume, resumedRun } from '../../src/runner/resume.js';
import { prepareRun } from '../../src/runner/task-run.js';
import { readSession, type LoadedSession } from '../../src/session/reader.js';
import { openRecorder } from '../../src/session/recorder.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { cutSession } from '../helpers/cut-session.js';
import { harness, loadHumanEval, ofType, realTools, registryOf, scriptPath, until } from '../helpers/engine-harness.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions');
const dir = mkdtempSync(join(tmpdir(), 'sb-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The retry fixture as a SIGKILL leaves it: cut in the middle of its second call's stream, no end recorded. */
async function killedMidStream(): Promise<LoadedSession> {
  const file = join(dir, 'killed.jsonl');
  writeFileSync(file, cutSession('humaneval-0-retry', 40));
  return readSession(file);
}

/** A run a person quit while it waited before attempt 2 (a breakpoint on implement): the flow ended `aborted`. */
async function quitWhilePaused(): Promise<LoadedSession> {
  const file = join(dir, `quit-${Math.random().toString(36).slice(2)}.jsonl`);
  const { engine, events } = await harness('humaneval-0-wrong-then-right', { attempts: 2, breakpoints: ['implement'] });
  const recorder = openRecorder(file, dir);
  engine.on(recorder.onEvent);
  const done = engine.start();
  await until(events, (e) => e.type === 'slot_stopped');
  engine.continue();
  await until(events, (e) => e.type === 'slot_stopped' && e.ordinal === 1);
  engine.interrupt('interrupted by Ctrl-C');
  await done;
  await recorder.close();
  return readSession(file);
}

describe('planResume', () => {
  it('resumes at the first call the recording did not finish: a killed stream, an aborted call, a quit while paused', async () => {
    expect(planResume(await killedMidStream())).toMatchObject({ branch: 0, pauseAtOrdinal: 1, replayedCalls: 1 });
    expect(planResume(await readSession(join(FIXTURES, 'humaneval-0-aborted.jsonl')))).toMatchObject({ pauseAtOrdinal: 0, replayedCalls: 0 });
    expect(planResume(await quitWhilePaused())).toMatchObject({ branch: 0, pauseAtOrdinal: 1, replayedCalls: 1 });
  });

  it('refuses a judged session and a branch it does not have, in one line each', async () => {
    const pass = await readSession(join(FIXTURES, 'humaneval-0-pass.jsonl'));
    expect(() => planResume(pass)).toThrow(/^nothing to resume: branch 0 of \S+humaneval-0-pass\.jsonl finished \(pass\); open it to re-run a slot as a branch, or `slotbench rerun` it$/);
    const killed = await killedMidStream();
    expect(() => planResume(killed, 4)).toThrow(/killed\.jsonl: no branch 4 \(the session has 0\)$/);
  });
});

describe('a resumed run', () => {
  async function resume(source: LoadedSession, script: string, pause: boolean) {
    const live = new ScriptedModel(await loadScript(scriptPath(script)));
    const events: SlotbenchEvent[] = [];
    const plan = planResume(source);
    const run = prepareRun(
      resumedRun(source, plan, {
        task: await loadHumanEval(),
        flow: implementFlow,
        pause,
        models: registryOf(live),
        model: 'scripted',
        gateTimeoutMs: 10_000,
        tools: await realTools(),
        record: { path: join(dir, `resumed-${Math.random().toString(36).slice(2)}.jsonl`), cwd: dir },
        sinks: [(event) => events.push(event)],
      }),
    );
    return { run, events };
  }

  it('replays the recorded answers, pauses where the recording stops, then the live model answers', async () => {
    const source = await quitWhilePaused();
    // The live script answers right at once: a wrong first answer can only have come from the recording.
    const { run, events } = await resume(source, 'humaneval-0-canonical', true);
    const done = run.start();
    await until(events, (e) => e.type === 'slot_stopped');
    const stop = ofType(events, 'slot_stopped')[0];
    expect(stop).toMatchObject({ reason: 'resume', ordinal: 1, slotName: 'implement' });
    expect(ofType(events, 'test_run').map((r) => r.verdict)).toEqual(['fail']);
    run.engine.continue();
    const row = await done;
    await run.close();

    expect(row.verdict).toBe('pass');
    expect(ofType(events, 'slot_output').map((o) => o.text.trim().split('\n')[0])).toEqual(['return False', 'for idx, elem in enumerate(numbers):']);
    expect(ofType(events, 'note').map((n) => n.message)).toContainEqual(
      expect.stringMatching(/^slot implement #1 \(attempt 2\): the recording stops before this call; answering with live model scripted from here on$/),
    );
    const header = ofType(events, 'session_started')[0];
    expect(header.derivedFrom).toBe(source.header.sessionId);
    expect(header.model.kind).toBe('scripted');
    expect(header.label).toBe(`resumed from session ${source.header.sessionId} (branch 0): 1 recorded call replayed, then live model scripted`);
  });

  it('asks again a call the recording ended in an error (aborted), headless without a pause', async () => {
    const source = await readSession(join(FIXTURES, 'humaneval-0-aborted.jsonl'));
    const { run, events } = await resume(source, 'humaneval-0-canonical', false);
    const row = await run.start();
    await run.close();
    expect(row.verdict).toBe('pass');
    expect(ofType(events, 'slot_stopped')).toEqual([]);
    expect(ofType(events, 'note').map((n) => n.message)).toContainEqual(
      expect.stringMatching(/^slot implement #0 \(attempt 1\): the recorded call ended in an error \(aborted\), so it is asked again; answering with live model scripted/),
    );
  });
});
