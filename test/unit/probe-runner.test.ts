import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { SlotbenchEvent } from '../../src/core/events.js';
import type { ModelPort } from '../../src/core/ports.js';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';
import { implementFlow } from '../../src/flows/implement.js';
import { loadScript, ScriptedModel, type ModelScript } from '../../src/model/scripted.js';
import type { ProbePlan } from '../../src/probe/plan.js';
import { probeResults } from '../../src/probe/result.js';
import { ProbeRunner } from '../../src/probe/runner.js';
import { openRecorder } from '../../src/session/recorder.js';
import { initialRunState, reduce, reduceAll } from '../../src/state/run-state.js';
import { branchSlots } from '../../src/state/selectors.js';
import { loadHumanEval, ofType, realTools, registryOf, scriptPath } from '../helpers/engine-harness.js';

const CANONICAL = (await loadScript(scriptPath('humaneval-0-canonical'))).answers[0].text;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function plan(change: Partial<ProbePlan> = {}): Promise<ProbePlan> {
  return {
    sessionId: 'probe-test',
    slotbenchVersion: '0.0.0-test',
    flow: implementFlow,
    task: await loadHumanEval(),
    slot: 'implement',
    model: 'scripted',
    sampling: { ...DEFAULT_SAMPLING },
    temperatures: [0.8],
    n: 8,
    seedBase: 1,
    parallel: 4,
    gateTimeoutMs: 5000,
    ...change,
  };
}

async function probe(model: ModelPort, change: Partial<ProbePlan> = {}) {
  const { gate, parser } = await realTools();
  const runner = new ProbeRunner({ models: registryOf(model), gate, parser }, await plan(change));
  const events: SlotbenchEvent[] = [];
  const state = initialRunState();
  runner.on((e) => {
    events.push(e);
    reduce(state, e);
  });
  return { runner, events, state, parser };
}

describe('probe runner (real engine, gate and parser; scripted model)', () => {
  it('runs N samples as branches with their own seeds and summarises the outcome distribution', async () => {
    const { runner, events, state, parser } = await probe(new ScriptedModel(await loadScript(scriptPath('humaneval-0-probe-mixed'))));
    await runner.run();
    expect(runner.stopReason).toBeUndefined();

    const branches = ofType(events, 'branch');
    expect(branches.map((b) => b.branchId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(branches.map((b) => b.overrides)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ({ temperature: 0.8, seed })));
    expect(ofType(events, 'session_started')).toHaveLength(1);
    expect(ofType(events, 'session_started')[0].mode).toBe('probe');
    // Each sample's implement slot asked with its own seed at the probe's temperature; the repair stays greedy.
    const prompts = ofType(events, 'prompt_built');
    const implement = prompts.filter((p) => state.slots.get(p.slotId)!.name === 'implement');
    expect(implement.map((p) => p.request.sampling.seed).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(implement.every((p) => p.request.sampling.temperature === 0.8)).toBe(true);
    // Only the indentation failure gets a re-indent; the missing colon is reported as it is.
    const reindent = prompts.filter((p) => state.slots.get(p.slotId)!.name === 'reindent');
    expect(reindent).toHaveLength(1);
    expect(reindent.every((p) => p.request.sampling.temperature === 0)).toBe(true);
    // Ids never collide across samples.
    const slotIds = ofType(events, 'slot_started').map((s) => s.slotId);
    expect(new Set(slotIds).size).toBe(slotIds.length);
    expect(slotIds.every((id) => /^p\d+\.s\d+$/.test(id))).toBe(true);

    const [result] = probeResults(state, parser);
    expect(result).toMatchObject({ requested: 8, judged: 8, passed: 4, repaired: 1, temperature: 0.8, slot: 'implement' });
    expect(result.counts).toMatchObject({ pass: 4, fail: 3, parse_error: 1, timeout: 0, crash: 0, error: 0, aborted: 0, not_run: 0 });
    expect(result.passAtK.map((e) => e.k)).toEqual([1, 5]);
    expect(result.passAtK[0].estimate).toBeCloseTo(0.5, 12);
    // canonical + renamed + repaired | sorted | `return len(...) > 1` ×2 | `return False` | the unparsable one
    expect(result.groups.map((g) => [g.count, g.passing])).toEqual([
      [3, true],
      [2, false],
      [1, true],
      [1, false],
      [1, false],
    ]);
    expect(result.distinctPassing).toBe(2);
    expect(result.groups[0].excerpt).toMatch(/for \w+, \w+ in enumerate\(numbers\)/);
    expect(result.groups[0].excerpt).not.toContain('"""');
    expect(result.groups.find((g) => g.outcomes.parse_error)?.excerpt).toContain('for x in numbers');
  });

  it('records one session file that reduces to N branches, each with its gate verdict, and summarises the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotbench-probe-'));
    dirs.push(dir);
    const { runner, state, parser } = await probe(new ScriptedModel(await loadScript(scriptPath('humaneval-0-probe-mixed'))), { n: 6 });
    const recorder = openRecorder(join(dir, 'probe.jsonl'), dir);
    runner.on(recorder.onEvent);
    await runner.run();
    await recorder.close();

    const lines = readFileSync(join(dir, 'probe.jsonl'), 'utf8').trimEnd().split('\n');
    const replayed = reduceAll(lines.map((l) => JSON.parse(l) as SlotbenchEvent));
    expect(replayed.header).toMatchObject({ mode: 'probe', sessionId: 'probe-test', flow: 'implement' });
    const samples = [...replayed.branches.values()].filter((b) => b.id !== 0);
    expect(samples).toHaveLength(6);
    for (const branch of samples) {
      expect(branch.parentId).toBe(0);
      expect(branch.finished?.branchId).toBe(branch.id);
      const slots = branchSlots(replayed, branch.id);
      expect(slots[0].name).toBe('implement');
      expect(slots.every((s) => s.branchId === branch.id)).toBe(true);
    }
    const verdicts = samples.map((b) => branchSlots(replayed, b.id)[0].gateIds.map((g) => replayed.gates.get(g)!.verdict)[0] ?? 'none');
    expect(verdicts.filter((v) => v === 'pass')).toHaveLength(4);
    expect(verdicts.filter((v) => v === 'fail')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'none')).toHaveLength(1);

    const live = probeResults(state, parser)[0];
    const fromFile = probeResults(replayed, parser)[0];
    expect(fromFile.counts).toEqual(live.counts);
    expect(fromFile.groups.map((g) => g.key)).toEqual(live.groups.map((g) => g.key));
    expect(fromFile.passAtK).toEqual(live.passAtK);
  });

  it('never has more generate() calls in flight than the probe runs at once', async () => {
    const script: ModelScript = { answers: [{ slot: 'implement', text: CANONICAL }], tokenDelayMs: 1 };
    const scripted = new ScriptedModel(script, { maxParallel: 8 });
    let inFlight = 0;
    let most = 0;
    const counting: ModelPort = {
      identity: scripted.identity,
      api: scripted.api,
      maxParallel: scripted.maxParallel,
      info: () => scripted.info(),
      async generate(request, options) {
        most = Math.max(most, ++inFlight);
        try {
          return await scripted.generate(request, options);
        } finally {
          inFlight--;
        }
      },
    };
    const { runner, state, parser } = await probe(counting, { n: 6, parallel: 2 });
    await runner.run();
    expect(most).toBe(2);
    expect(probeResults(state, parser)[0].counts.pass).toBe(6);
  });

  it('on abort keeps finished samples, records the running one as aborted and the rest as not run', async () => {
    // The first answer is short; the next ones stream slowly, so the abort lands while sample 2 streams.
    const script: ModelScript = {
      answers: [
        { slot: 'implement', text: '    return False\n```\n' },
        { slot: 'implement', text: CANONICAL },
      ],
      tokenDelayMs: 40,
    };
    const { runner, events, state, parser } = await probe(new ScriptedModel(script), { n: 6, parallel: 2 });
    runner.on((e) => {
      if (e.type === 'flow_finished') runner.abort();
    });
    await runner.run();
    expect(runner.stopReason).toBe('probe aborted');
    const [result] = probeResults(state, parser);
    expect(result.counts).toMatchObject({ fail: 1, aborted: 1, not_run: 4, pass: 0 });
    expect(result.judged).toBe(1);
    expect(result.samples.map((s) => s.outcome)).toEqual(['fail', 'aborted', 'not_run', 'not_run', 'not_run', 'not_run']);
    // Every planned sample is a branch with an end, so the file says what happened to each.
    expect(ofType(events, 'branch')).toHaveLength(6);
    expect(ofType(events, 'flow_finished')).toHaveLength(6);
    expect(ofType(events, 'slot_error').map((e) => e.code)).toEqual(['aborted']);
  });

  it('an abort while a sample is in the gate ends that sample as aborted, not as an error', async () => {
    const script: ModelScript = {
      answers: [
        { slot: 'implement', text: '    return False\n```\n' },
        { slot: 'implement', text: '    while True: pass\n```\n' },
      ],
    };
    const { runner, events, state, parser } = await probe(new ScriptedModel(script), { n: 2, parallel: 2, gateTimeoutMs: 20_000 });
    runner.on((e) => {
      if (e.type === 'test_run') runner.abort();
    });
    await runner.run();
    const [result] = probeResults(state, parser);
    expect(result.samples.map((s) => s.outcome)).toEqual(['fail', 'aborted']);
    expect(ofType(events, 'test_run')).toHaveLength(1);
    expect(ofType(events, 'test_started')).toHaveLength(2);
  });

  it('runs one probe per temperature (compare mode) with paired seeds', async () => {
    const { runner, state, parser } = await probe(new ScriptedModel(await loadScript(scriptPath('humaneval-0-canonical'))), {
      n: 2,
      temperatures: [0.2, 1],
      seedBase: 40,
    });
    await runner.run();
    const results = probeResults(state, parser);
    expect(results.map((r) => [r.temperature, r.requested, r.passed])).toEqual([
      [0.2, 2, 2],
      [1, 2, 2],
    ]);
    expect(results[1].samples.map((s) => s.seed)).toEqual([40, 41]);
  });

  it('rejects bad input in one line', async () => {
    const { gate, parser } = await realTools();
    const deps = { models: registryOf(new ScriptedModel({ answers: [] })), gate, parser };
    const cases: Array<[Partial<ProbePlan>, RegExp]> = [
      [{ n: 0 }, /--n must be an integer ≥ 1/],
      [{ temperatures: [0.5, -0.1] }, /--temperature .* ≥ 0/],
      [{ slot: 'summarise' }, /unknown slot "summarise" for flow implement: its slots are implement, reindent/],
      [{ slot: 'reindent' }, /runs only after earlier slots/],
    ];
    for (const [change, message] of cases) {
      const attempt = async () => new ProbeRunner(deps, await plan(change));
      await expect(attempt()).rejects.toThrow(UserError);
      await expect(attempt()).rejects.toThrow(message);
    }
  });
});
