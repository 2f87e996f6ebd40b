// The replay model: answers from a recording (tokens with probabilities, completion), refuses or hands over on a changed request.

import { beforeAll, describe, expect, it } from 'vitest';
import { FlowEngine } from '../../src/core/engine.js';
import type { SlotbenchEvent } from '../../src/core/events.js';
import type { FlowDefinition } from '../../src/core/flow.js';
import type { GenerateOptions, StreamedToken } from '../../src/core/ports.js';
import type { ModelRequest } from '../../src/core/sampling.js';
import { implementFlow } from '../../src/flows/implement.js';
import { ReplayModel } from '../../src/model/replay.js';
import { ScriptedModel } from '../../src/model/scripted.js';
import { compareSessions } from '../../src/session/compare.js';
import type { SessionLike } from '../../src/session/recorded.js';
import { harness, loadHumanEval, ofType, realTools, registryOf } from '../helpers/engine-harness.js';

const sampling = { temperature: 0, n_predict: 16, cache_prompt: true };
const header: SlotbenchEvent = {
  type: 'session_started', t: 0, formatVersion: 1, slotbenchVersion: 'test', sessionId: 'rec', startedAt: '2026-01-01T00:00:00Z',
  flow: 'implement', task: { kind: 'dataset', id: 'HumanEval/0', dataset: 'd' }, model: { name: 'qwen', kind: 'llama-server', fingerprint: 'q.gguf' },
  sampling, attempts: 1,
};
const timings = { prompt_n: 12, prompt_ms: 3, prompt_per_second: 4000, predicted_n: 2, predicted_ms: 20, predicted_per_second: 100, cache_n: 4 };
/** A hand-made recording of one slot with per-token probabilities and server facts. */
const synthetic: SessionLike = {
  header: header as SessionLike['header'],
  events: [
    header,
    { type: 'slot_started', t: 1, slotId: 's1', name: 'implement', ordinal: 0, attempt: 1, branchId: 0 },
    { type: 'prompt_built', t: 2, slotId: 's1', model: 'qwen', api: 'completion', request: { prompt: 'def f():\n', sampling } },
    { type: 'token', t: 3, slotId: 's1', text: '    return', logprob: -0.1, top: [{ token: '    return', logprob: -0.1 }, { token: '    pass', logprob: -2.5 }] },
    { type: 'token', t: 4, slotId: 's1', text: ' 1', logprob: -0.7 },
    {
      type: 'slot_output', t: 5, slotId: 's1', text: '    return 1', tokenCount: 2, stopType: 'word', stoppingWord: '```', timings,
      tokensCached: 4, generationSettings: { n_ctx: 4096 }, idSlot: 1, durationMs: 21,
    },
  ],
};
const request: ModelRequest = { prompt: 'def f():\n', sampling };
const slot = { name: 'implement', ordinal: 0, attempt: 1 };

function collect(extra: Partial<GenerateOptions> = {}) {
  const tokens: StreamedToken[] = [];
  const notices: string[] = [];
  return { tokens, notices, options: { onToken: (t: StreamedToken) => tokens.push(t), onNotice: (m: string) => notices.push(m), slot, ...extra } };
}

describe('ReplayModel.generate', () => {
  it('streams the recorded tokens with their probabilities and returns the recorded completion', async () => {
    const replay = new ReplayModel(synthetic);
    const { tokens, options } = collect();
    const completion = await replay.generate(request, options);
    expect(tokens).toEqual([
      { text: '    return', logprob: -0.1, top: [{ token: '    return', logprob: -0.1 }, { token: '    pass', logprob: -2.5 }] },
      { text: ' 1', logprob: -0.7 },
    ]);
    expect(completion).toEqual({
      text: '    return 1', tokenCount: 2, stopType: 'word', stoppingWord: '```', timings, tokensCached: 4, generationSettings: { n_ctx: 4096 }, idSlot: 1,
    });
    expect(replay.identity).toMatchObject({ name: 'replay', kind: 'replay', fingerprint: 'replay of rec: qwen (llama-server, q.gguf)' });
  });

  it('refuses a changed prompt, naming the slot and the char where it differs', async () => {
    const replay = new ReplayModel(synthetic);
    await expect(replay.generate({ ...request, prompt: 'def g():\n' }, collect().options)).rejects.toMatchObject({
      code: 'not_recorded',
      message: 'slot implement #0 (attempt 1): the prompt differs from the recording at char 4 (recorded "def f():\\n", now "def g():\\n")',
    });
  });

  it('refuses a changed sampling parameter, naming it and both values', async () => {
    const replay = new ReplayModel(synthetic);
    await expect(replay.generate({ ...request, sampling: { ...sampling, temperature: 0.5 } }, collect().options)).rejects.toMatchObject({
      code: 'not_recorded',
      message: 'slot implement #0 (attempt 1): sampling temperature differs from the recording (recorded 0, now 0.5)',
    });
  });

  it('refuses a slot the recording never ran, listing what it did run', async () => {
    const replay = new ReplayModel(synthetic);
    const options = collect({ slot: { name: 'reindent', ordinal: 1, attempt: 1 } }).options;
    await expect(replay.generate(request, options)).rejects.toThrow(
      'slot reindent #1 (attempt 1): the recording has no call reindent #1 in attempt 1 (it recorded implement #0)',
    );
  });

  it('hands over to the live model at the first divergence, says so once, and stays live', async () => {
    const live = new ScriptedModel({ answers: [{ slot: 'implement', text: 'live answer' }] }, { name: 'qwen-live' });
    const replay = new ReplayModel(synthetic, { fallback: live });
    const first = collect();
    expect((await replay.generate({ ...request, prompt: 'changed' }, first.options)).text).toBe('live answer');
    expect(first.notices).toEqual([
      'slot implement #0 (attempt 1): the prompt differs from the recording at char 0 (recorded "def f():\\n", now "changed"); answering with live model qwen-live from here on',
    ]);
    expect(replay.divergence).toMatch(/^slot implement #0/);
    const second = collect();
    expect((await replay.generate(request, second.options)).text).toBe('live answer');
    expect(second.notices).toEqual([]);
  });

  it('replays a recorded failure as the same error', async () => {
    const failed: SessionLike = {
      header: synthetic.header,
      events: [
        ...synthetic.events.slice(0, 4),
        { type: 'slot_error', t: 5, slotId: 's1', code: 'server_error', message: 'llama-server at x answered 500: boom', tokenCount: 1 },
      ],
    };
    const { tokens, options } = collect();
    await expect(new ReplayModel(failed).generate(request, options)).rejects.toMatchObject({ code: 'server_error', message: 'llama-server at x answered 500: boom' });
    expect(tokens).toHaveLength(1);
  });

  it('stops on abort', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new ReplayModel(synthetic).generate(request, collect({ signal: controller.signal }).options)).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('ReplayModel under the engine', () => {
  let source: SessionLike;

  beforeAll(async () => {
    const { engine, events } = await harness('humaneval-0-wrong-then-right', { attempts: 2 });
    await engine.start();
    source = { header: events[0] as SessionLike['header'], events };
  });

  async function rerun(flow: FlowDefinition, fallback?: ScriptedModel): Promise<SlotbenchEvent[]> {
    const replay = new ReplayModel(source, fallback ? { fallback } : {});
    const { gate, parser } = await realTools();
    const engine = new FlowEngine(
      { models: registryOf(replay), gate, parser },
      { sessionId: 'rerun', slotbenchVersion: 'test', flow, task: await loadHumanEval(), model: 'replay', sampling: source.header.sampling, attempts: 2, gateTimeoutMs: 5000 },
    );
    const events: SlotbenchEvent[] = [];
    engine.on((e) => events.push(e));
    await engine.start();
    return events;
  }

  /** The implement flow with one word of its prompt template changed: a harness change. */
  const reworded: FlowDefinition = {
    ...implementFlow,
    run: (ctx) => implementFlow.run({ ...ctx, slot: (spec) => ctx.slot({ ...spec, prompt: spec.prompt.replace('Complete', 'Finish') }) }),
  };

  it('reproduces the recorded run: same tokens, code, gate verdicts and flow verdict', async () => {
    const events = await rerun(implementFlow);
    const comparison = compareSessions(source, { header: events[0] as SessionLike['header'], events });
    expect(comparison.divergence).toBeUndefined();
    expect(comparison.pairs).toHaveLength(2);
    expect(ofType(events, 'test_run').map((r) => r.verdict)).toEqual(['fail', 'pass']);
  });

  it('ends the run with not_recorded when the harness changes a prompt', async () => {
    const original = ofType(source.events as SlotbenchEvent[], 'prompt_built')[0].request.prompt;
    expect(original).toContain('Complete');
    const events = await rerun(reworded);
    const error = ofType(events, 'slot_error')[0];
    expect(error.code).toBe('not_recorded');
    expect(error.message).toMatch(new RegExp(`^slot implement #0 \\(attempt 1\\): the prompt differs from the recording at char ${original.indexOf('Complete')} `));
    expect(ofType(events, 'flow_finished')[0].verdict).toBe('error');
  });

  it('with a live model, notes the divergence and goes on live', async () => {
    const live = new ScriptedModel({ answers: [{ slot: 'implement', text: '    return True\n```\n' }] }, { name: 'live' });
    const events = await rerun(reworded, live);
    expect(ofType(events, 'note').map((n) => n.message)).toContainEqual(expect.stringMatching(/prompt differs .*answering with live model live from here on$/));
    expect(ofType(events, 'token').map((t) => t.text).join('')).toContain('return True');
  });
});
