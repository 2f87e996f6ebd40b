import { describe, expect, it } from 'vitest';
import { harness, ofType, until } from '../helpers/engine-harness.js';
import { ScriptedModel } from '../../src/model/scripted.js';
import { reduceAll } from '../../src/state/run-state.js';
import { branchSlots } from '../../src/state/selectors.js';
import { endAtFirstGate } from '../../src/flows/first-gate.js';
import { implementFlow } from '../../src/flows/implement.js';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';

const BODY = '    for idx, elem in enumerate(numbers):\n        for idx2, elem2 in enumerate(numbers):\n            if idx != idx2:\n                distance = abs(elem - elem2)\n                if distance < threshold:\n                    return True\n\n    return False\n```\n';

describe('implement flow through the engine', () => {
  it('passes with the canonical body and records request, tokens, diff and the gate run', async () => {
    const { engine, events } = await harness('humaneval-0-canonical');
    await engine.start();
    expect(events[0].type).toBe('session_started');
    const finished = ofType(events, 'flow_finished');
    expect(finished).toHaveLength(1);
    expect(finished[0].verdict).toBe('pass');
    const prompt = ofType(events, 'prompt_built')[0];
    expect(prompt.request.prompt).toContain('def has_close_elements');
    expect(prompt.request.sampling).toMatchObject({ temperature: 0, cache_prompt: true, stop: ['\n```'] });
    expect(ofType(events, 'token').length).toBeGreaterThan(20);
    const applied = ofType(events, 'code_applied')[0];
    expect(applied.diff).toContain('+    for idx, elem in enumerate(numbers):');
    const run = ofType(events, 'test_run')[0];
    expect(run).toMatchObject({ verdict: 'pass', exitCode: 0 });
  });

  it("adds a person's stop strings to the flow's own, which a slot always keeps", async () => {
    const { engine, events } = await harness('humaneval-0-canonical', { sampling: { ...DEFAULT_SAMPLING, stop: ['\ndef ', '\n```'] } });
    await engine.start();
    expect(ofType(events, 'prompt_built')[0].request.sampling.stop).toEqual(['\n```', '\ndef ']);
  });

  it('repairs a body broken only by indentation with exactly one reindent slot', async () => {
    const { engine, events } = await harness('humaneval-0-indent-broken');
    await engine.start();
    expect(ofType(events, 'parse_failed')).toHaveLength(1);
    const slots = ofType(events, 'slot_started');
    expect(slots.map((s) => s.name)).toEqual(['implement', 'reindent']);
    expect(slots[1].repairOf).toBe(slots[0].slotId);
    expect(ofType(events, 'repair')[0]).toMatchObject({ accepted: true });
    expect(ofType(events, 'slot_result')[0]).toMatchObject({ status: 'repaired' });
    expect(ofType(events, 'flow_finished')[0].verdict).toBe('pass');
  });

  it('rejects a re-indent answer that changes more than whitespace', async () => {
    const { engine, events } = await harness('humaneval-0-reindent-cheats');
    await engine.start();
    const repair = ofType(events, 'repair')[0];
    expect(repair.accepted).toBe(false);
    expect(repair.reason).toMatch(/changed more than indentation/);
    expect(ofType(events, 'test_run')).toHaveLength(0);
    expect(ofType(events, 'flow_finished')[0].verdict).toBe('parse_error');
  });

  it('fails a wrong body, and a retry sees the normalised test output', async () => {
    const { engine, events } = await harness('humaneval-0-wrong-then-right', { attempts: 2 });
    await engine.start();
    const prompts = ofType(events, 'prompt_built');
    expect(prompts).toHaveLength(2);
    expect(prompts[1].request.prompt).toContain('AssertionError');
    expect(prompts[1].request.prompt).not.toMatch(/\/tmp\//);
    expect(ofType(events, 'test_run').map((r) => r.verdict)).toEqual(['fail', 'pass']);
    expect(ofType(events, 'flow_finished')[0]).toMatchObject({ verdict: 'pass', attempts: 2 });
  });

  it('reports a timeout for an endless loop near the timeout, not when the loop would end', async () => {
    const { engine, events } = await harness('humaneval-0-timeout', { gateTimeoutMs: 1500 });
    const started = Date.now();
    await engine.start();
    expect(Date.now() - started).toBeLessThan(1500 + 4000);
    expect(ofType(events, 'flow_finished')[0].verdict).toBe('timeout');
  });
});

describe('stepping', () => {
  it('pauses before the first slot and runs one slot per step', async () => {
    const { engine, events } = await harness('humaneval-0-wrong-then-right', { attempts: 2, pauseAtStart: true });
    const done = engine.start();
    await until(events, (e) => e.type === 'slot_stopped');
    expect(ofType(events, 'slot_stopped')[0]).toMatchObject({ reason: 'entry', slotName: 'implement', ordinal: 0 });
    expect(ofType(events, 'slot_started')).toHaveLength(0);
    engine.step();
    await until(events, (e) => e.type === 'slot_stopped' && e.ordinal === 1);
    expect(ofType(events, 'slot_started')).toHaveLength(1);
    expect(ofType(events, 'test_run')).toHaveLength(1);
    engine.continue();
    await done;
    expect(ofType(events, 'flow_finished')[0].verdict).toBe('pass');
  });

  it('stops at a breakpoint by slot name while continuing', async () => {
    const { engine, events } = await harness('humaneval-0-indent-broken', { breakpoints: ['reindent'] });
    const done = engine.start();
    await until(events, (e) => e.type === 'slot_stopped');
    expect(ofType(events, 'slot_stopped')[0]).toMatchObject({ reason: 'breakpoint', slotName: 'reindent' });
    expect(engine.paused).toBe(true);
    engine.continue();
    await done;
    expect(ofType(events, 'flow_finished')[0].verdict).toBe('pass');
  });

  it('re-runs a slot as a branch with overrides; the first attempt stays in the record', async () => {
    const script = { answers: [{ slot: 'implement', text: '    return False\n```\n' }] };
    const { engine, events } = await harness(script, {}, [new ScriptedModel({ answers: [{ slot: 'implement', text: BODY }] }, { name: 'other' })]);
    await engine.start();
    expect(ofType(events, 'flow_finished')[0].verdict).toBe('fail');
    const first = ofType(events, 'slot_started')[0];
    engine.rerunSlot(first.slotId, { temperature: 0.7, seed: 3, model: 'other' });
    await engine.idle();
    const branch = ofType(events, 'branch')[0];
    expect(branch).toMatchObject({ branchId: 1, parentBranchId: 0, fromSlotId: first.slotId, overrides: { temperature: 0.7, seed: 3 } });
    const prompts = ofType(events, 'prompt_built');
    expect(prompts[1]).toMatchObject({ model: 'other' });
    expect(prompts[1].request.sampling).toMatchObject({ temperature: 0.7, seed: 3 });
    expect(ofType(events, 'flow_finished').map((f) => [f.branchId, f.verdict])).toEqual([[0, 'fail'], [1, 'pass']]);

    const state = reduceAll(events);
    expect(state.currentBranch).toBe(1);
    expect(branchSlots(state, 0).map((s) => s.id)).toEqual([first.slotId]);
    expect(branchSlots(state, 1)).toHaveLength(1);
  });

  it('replays the shared prefix silently when re-running a later slot', async () => {
    const { engine, events } = await harness('humaneval-0-wrong-then-right', { attempts: 2 });
    await engine.start();
    const second = ofType(events, 'slot_started')[1];
    const before = ofType(events, 'slot_started').length;
    engine.rerunSlot(second.slotId, { seed: 9 });
    await engine.idle();
    const started = ofType(events, 'slot_started').slice(before);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ ordinal: 1, attempt: 2, branchId: 1 });
    const state = reduceAll(events);
    expect(branchSlots(state, 1).map((s) => s.ordinal)).toEqual([0, 1]);
  });

  it('re-running a repair judges the inherited answer again in the branch; the parent keeps its judgement', async () => {
    const broken = BODY.replace('                if distance', '                    if distance');
    const script = { answers: [{ slot: 'implement', text: broken }, { slot: 'reindent', text: BODY }, { slot: 'reindent', text: '    return True\n```\n' }] };
    const { engine, events } = await harness(script);
    await engine.start();
    const [implement, reindent] = ofType(events, 'slot_started');
    engine.rerunSlot(reindent.slotId);
    await engine.idle();
    expect(ofType(events, 'flow_finished').map((f) => f.verdict)).toEqual(['pass', 'parse_error']);

    const state = reduceAll(events);
    expect(state.slots.get(implement.slotId)).toMatchObject({ status: 'repaired', repair: { accepted: true } });
    const [view, rerun] = branchSlots(state, 1);
    expect(view).toMatchObject({ viewOf: implement.slotId, status: 'parse_error', repair: { accepted: false } });
    expect(rerun).toMatchObject({ name: 'reindent', repairOf: view.id });
    expect(branchSlots(state, 0).map((s) => s.id)).toEqual([implement.slotId, reindent.slotId]);
    expect(state.slots.get(implement.slotId)!.gateIds).toHaveLength(1);
  });

  it('aborts the streaming slot on request and ends the branch as aborted', async () => {
    const slow = { tokenDelayMs: 20, answers: [{ slot: 'implement', text: BODY }] };
    const { engine, events } = await harness(slow);
    const done = engine.start();
    await until(events, (e) => e.type === 'token');
    engine.abortSlot();
    await done;
    expect(ofType(events, 'slot_error')[0]).toMatchObject({ code: 'aborted' });
    expect(ofType(events, 'flow_finished')[0].verdict).toBe('aborted');
  });

  it('interrupts a run wherever it is and ends it as aborted', async () => {
    const { engine, events } = await harness('humaneval-0-timeout', { gateTimeoutMs: 20_000 });
    const done = engine.start();
    await until(events, (e) => e.type === 'test_started');
    engine.interrupt('interrupted by Ctrl-C');
    await done;
    expect(ofType(events, 'test_run')).toHaveLength(0);
    expect(ofType(events, 'flow_finished')[0]).toMatchObject({ verdict: 'aborted', reason: 'interrupted by Ctrl-C' });
  });

  it('ends a flow at its first gate when wrapped for it (probe samples)', async () => {
    const { engine, events } = await harness('humaneval-0-wrong-then-right', { attempts: 3, flow: endAtFirstGate(implementFlow) });
    await engine.start();
    expect(ofType(events, 'test_run')).toHaveLength(1);
    expect(ofType(events, 'flow_finished')[0]).toMatchObject({ verdict: 'fail', reason: 'sample gated: fail' });
    expect(ofType(events, 'session_started')[0].flow).toBe('implement');
  });

  it('keeps going past a failed gate without the wrapper', async () => {
    const { engine, events } = await harness('humaneval-0-wrong-then-right', { attempts: 3 });
    await engine.start();
    expect(ofType(events, 'test_run').map((e) => e.verdict)).toEqual(['fail', 'pass']);
  });

  it('shows the next request while paused and runs it with a person\'s change, recorded with the slot', async () => {
    const { engine, events } = await harness('humaneval-0-canonical', { pauseAtStart: true });
    const done = engine.start();
    await until(events, (e) => e.type === 'slot_stopped');
    const stopped = ofType(events, 'slot_stopped')[0];
    expect(stopped.request?.prompt).toMatch(/^Complete the Python function below/);
    expect(stopped).toMatchObject({ model: 'scripted', request: { sampling: { temperature: 0, stop: ['\n```'] } } });
    engine.overrideNext({ prompt: 'EDITED prompt', temperature: 0.5 });
    engine.continue();
    await done;
    expect(ofType(events, 'slot_started')[0].overrides).toEqual({ prompt: 'EDITED prompt', temperature: 0.5 });
    expect(ofType(events, 'prompt_built')[0].request).toMatchObject({ prompt: 'EDITED prompt', sampling: { temperature: 0.5 } });
    expect(() => engine.overrideNext({ temperature: 1 })).toThrow(/no slot is waiting/);
  });

  it('announces the pause again with the request as a change left it, so what is shown is what is sent', async () => {
    const { engine, events } = await harness('humaneval-0-canonical', { pauseAtStart: true });
    const done = engine.start();
    await until(events, (e) => e.type === 'slot_stopped');
    engine.overrideNext({ prompt: 'EDITED prompt' });
    engine.configure({ sampling: { temperature: 0.7 } });
    const stops = ofType(events, 'slot_stopped');
    expect(stops).toHaveLength(3);
    expect(stops[1]).toMatchObject({ slotName: 'implement', overrides: { prompt: 'EDITED prompt' }, request: { prompt: 'EDITED prompt', sampling: { temperature: 0 } } });
    expect(stops[2]).toMatchObject({ overrides: { prompt: 'EDITED prompt' }, request: { prompt: 'EDITED prompt', sampling: { temperature: 0.7 } } });
    expect(stops[0].overrides).toBeUndefined();
    const state = reduceAll(events);
    expect(state.paused?.request?.sampling.temperature).toBe(0.7);
    engine.continue();
    await done;
    expect(ofType(events, 'prompt_built')[0].request).toMatchObject({ prompt: 'EDITED prompt', sampling: { temperature: 0.7 } });
    expect(ofType(events, 'slot_stopped')).toHaveLength(3);
  });

  it('records changed settings for the following slots', async () => {
    const { engine, events } = await harness('humaneval-0-canonical', { pauseAtStart: true });
    const done = engine.start();
    await until(events, (e) => e.type === 'slot_stopped');
    engine.configure({ sampling: { temperature: 0.4, seed: 11 } });
    engine.continue();
    await done;
    expect(ofType(events, 'settings_changed')[0].sampling).toMatchObject({ temperature: 0.4, seed: 11 });
    expect(ofType(events, 'prompt_built')[0].request.sampling).toMatchObject({ temperature: 0.4, seed: 11 });
  });
});
