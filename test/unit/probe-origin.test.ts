import { describe, expect, it } from 'vitest';
import type { SessionStartedEvent, SlotbenchEvent } from '../../src/core/events.js';
import type { ModelPort } from '../../src/core/ports.js';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';
import { implementFlow } from '../../src/flows/implement.js';
import { loadScript, ScriptedModel, type ModelScript } from '../../src/model/scripted.js';
import { probeOrigin } from '../../src/probe/origin.js';
import type { ProbePlan } from '../../src/probe/plan.js';
import { probeResults } from '../../src/probe/result.js';
import { ProbeRunner } from '../../src/probe/runner.js';
import { initialRunState, reduce } from '../../src/state/run-state.js';
import { branchSlots } from '../../src/state/selectors.js';
import { harness, loadHumanEval, ofType, realTools, registryOf, scriptPath, until } from '../helpers/engine-harness.js';

const script = async (name: string) => loadScript(scriptPath(name));
const CANONICAL = (await script('humaneval-0-canonical')).answers[0].text;

/** A recorded run of the real engine: what the workbench holds when a person probes a slot of it. */
async function recordedRun(name: string, attempts = 1) {
  const { engine, events } = await harness(name, { attempts });
  await engine.start();
  return { header: events[0] as SessionStartedEvent, events };
}

/** The live model, counting which calls reach it. */
function counting(answers: ModelScript['answers']) {
  const scripted = new ScriptedModel({ answers }, { name: 'live' });
  const calls: Array<{ name: string; ordinal: number; temperature: number; seed?: number }> = [];
  const model: ModelPort = {
    identity: scripted.identity,
    api: scripted.api,
    maxParallel: scripted.maxParallel,
    info: () => scripted.info(),
    generate(request, options) {
      calls.push({ name: options.slot!.name, ordinal: options.slot!.ordinal, temperature: request.sampling.temperature, seed: request.sampling.seed });
      return scripted.generate(request, options);
    },
  };
  return { model, calls };
}

async function probeFrom(source: Awaited<ReturnType<typeof recordedRun>>, live: ModelPort, change: Partial<ProbePlan>) {
  const { gate, parser } = await realTools();
  const plan: ProbePlan = {
    sessionId: 'probe-origin-test',
    slotbenchVersion: '0.0.0-test',
    flow: implementFlow,
    task: await loadHumanEval(),
    slot: 'implement',
    model: 'live',
    sampling: { ...DEFAULT_SAMPLING },
    temperatures: [0.7],
    n: 4,
    seedBase: 100,
    parallel: 2,
    gateTimeoutMs: 5000,
    ...change,
  };
  const runner = new ProbeRunner({ models: registryOf(live), gate, parser }, plan);
  const events: SlotbenchEvent[] = [];
  const state = initialRunState();
  runner.on((e) => {
    events.push(e);
    reduce(state, e);
  });
  await runner.run();
  return { events, state, result: probeResults(state, parser)[0] };
}

describe('probe from a point of a recorded run (the workbench case)', () => {
  it('re-asks the re-indent slot: the implement answer is replayed, only the repair goes to the live model', async () => {
    const source = await recordedRun('humaneval-0-indent-broken');
    const fixed = (await script('humaneval-0-indent-broken')).answers[1].text;
    const cheat = (await script('humaneval-0-reindent-cheats')).answers.find((a) => a.slot === 'reindent')!.text;
    const live = counting([
      { slot: 'reindent', text: fixed },
      { slot: 'reindent', text: cheat },
    ]);
    const { events, state, result } = await probeFrom(source, live.model, {
      slot: 'reindent',
      origin: { source, branchId: 0, ordinal: 1 },
    });
    expect(live.calls.map((c) => [c.name, c.ordinal, c.temperature])).toEqual(Array(4).fill(['reindent', 1, 0.7]));
    expect(live.calls.map((c) => c.seed).sort()).toEqual([100, 101, 102, 103]);
    // One fixed answer, then the cheating one repeats: its tokens differ, so the repair is refused.
    expect(result.counts).toMatchObject({ pass: 1, parse_error: 3 });
    expect(result.repaired).toBe(1);
    expect(result.samples.every((s) => s.slotId?.endsWith('.s2'))).toBe(true);
    // Each sample is a complete run: the replayed implement call, then the probed repair with its real request.
    for (const branch of ofType(events, 'branch')) {
      expect(branch).toMatchObject({ fromOrdinal: 1, fromSlotId: `p${branch.branchId}.s2` });
      const slots = branchSlots(state, branch.branchId);
      expect(slots.map((s) => s.name)).toEqual(['implement', 'reindent']);
      expect(slots[1].request!.sampling).toMatchObject({ temperature: 0.7, seed: branch.overrides.seed });
      expect(slots[0].request!.sampling.seed).toBeUndefined();
    }
    expect(ofType(events, 'session_started')[0]).toMatchObject({ mode: 'probe', derivedFrom: 'test-session' });
  });

  it('re-asks attempt 2 of a run: the prefix gate runs again but the verdict is the probed slot\'s own gate', async () => {
    const source = await recordedRun('humaneval-0-wrong-then-right', 2);
    const live = counting([
      { slot: 'implement', text: '    return True\n```\n' },
      { slot: 'implement', text: CANONICAL },
    ]);
    const { events, state, result } = await probeFrom(source, live.model, {
      attempts: 2,
      origin: { source, branchId: 0, ordinal: 1 },
    });
    expect(live.calls.every((c) => c.ordinal === 1)).toBe(true);
    expect(live.calls).toHaveLength(4);
    expect(result.counts).toMatchObject({ fail: 1, pass: 3 });
    // Per sample: the replayed attempt 1 is gated (fail) before the probed attempt 2 is.
    expect(ofType(events, 'test_run')).toHaveLength(8);
    for (const sample of result.samples) {
      const slots = branchSlots(state, sample.branchId);
      expect(slots.map((s) => [s.name, s.attempt])).toEqual([
        ['implement', 1],
        ['implement', 2],
      ]);
      expect(state.branches.get(sample.branchId)!.finished!.verdict).toBe(sample.outcome);
    }
  });

  it('probes where a paused engine waits, and a slot picked by id, from the events the workbench holds', async () => {
    const { engine, events } = await harness('humaneval-0-indent-broken', { pauseAtStart: true });
    void engine.start();
    await until(events, (e) => e.type === 'slot_stopped');
    engine.step();
    await until(events, (e) => e.type === 'slot_stopped' && e.ordinal === 1);
    const source = { header: events[0] as SessionStartedEvent, events: [...events] };
    const stopped = ofType(events, 'slot_stopped').at(-1)!;
    const fromStop = probeOrigin(source, { stopped });
    expect(fromStop).toMatchObject({ slot: 'reindent', origin: { branchId: 0, ordinal: 1 } });
    const fromSlot = probeOrigin(source, { slotId: 's1' });
    expect(fromSlot).toMatchObject({ slot: 'implement', origin: { branchId: 0, ordinal: 0 } });
    expect(() => probeOrigin(source, { slotId: 's9' })).toThrow(/no slot s9 in session test-session/);
    await engine.shutdown();

    const fixed = (await script('humaneval-0-indent-broken')).answers[1].text;
    const live = counting([{ slot: 'reindent', text: fixed }]);
    const { result } = await probeFrom(source, live.model, { slot: fromStop.slot, origin: fromStop.origin, n: 2 });
    expect(result.counts.pass).toBe(2);
    expect(live.calls.map((c) => c.name)).toEqual(['reindent', 'reindent']);
  });

  it('a sample whose flow asks another slot at that call ends as an error that says so', async () => {
    const source = await recordedRun('humaneval-0-canonical');
    const live = counting([{ slot: 'implement', text: CANONICAL }]);
    const { result } = await probeFrom(source, live.model, { slot: 'reindent', n: 1, origin: { source, branchId: 0, ordinal: 0 } });
    expect(result.samples[0]).toMatchObject({ outcome: 'error', reason: expect.stringMatching(/asked for slot implement at call #0, not reindent/) });
  });
});
