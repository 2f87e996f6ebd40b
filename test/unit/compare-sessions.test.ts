// Comparing sessions: planted divergences (token, sampling, prompt, gate, flow, missing slot), alignment, branches, determinism.

import { beforeAll, describe, expect, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { compareSessions, describeDivergence, firstTextDifference, formatComparison } from '../../src/session/compare.js';
import { determinismReport, formatDeterminismReport } from '../../src/session/determinism.js';
import type { SessionLike } from '../../src/session/recorded.js';
import { harness, ofType, until } from '../helpers/engine-harness.js';

let base: SlotbenchEvent[];

/** A deep copy of the recorded session under another id, changed by `plant`. */
function copy(id: string, plant: (events: SlotbenchEvent[]) => void = () => {}): SessionLike {
  const events = JSON.parse(JSON.stringify(base)) as SlotbenchEvent[];
  (events[0] as { sessionId: string }).sessionId = id;
  plant(events);
  return { header: events[0] as SessionLike['header'], events };
}

function eventsOf<T extends SlotbenchEvent['type']>(events: SlotbenchEvent[], type: T, slotId?: string) {
  return ofType(events, type).filter((e) => slotId === undefined || (e as { slotId?: string }).slotId === slotId);
}

beforeAll(async () => {
  // implement (indentation broken) → reindent (accepted) → gate pass.
  const { engine, events } = await harness('humaneval-0-indent-broken');
  await engine.start();
  base = events;
});

describe('compareSessions', () => {
  it('finds no divergence between a session and its copy', () => {
    const comparison = compareSessions(copy('a'), copy('b'));
    expect(comparison.divergence).toBeUndefined();
    expect(comparison.pairs.map((p) => [p.a?.name, p.b?.name])).toEqual([['implement', 'implement'], ['reindent', 'reindent']]);
    expect(formatComparison(comparison).at(-1)).toBe(
      'no divergence: 2 slot calls agree (prompts, sampling, tokens, code, gate verdicts) and both ended pass',
    );
    // One call is one call, not "1 slot calls".
    const firstCallOnly = (id: string) => copy(id, (events) => events.splice(events.findIndex((e) => e.type === 'slot_started' && e.slotId === 's2')));
    expect(formatComparison(compareSessions(firstCallOnly('a'), firstCallOnly('b'))).at(-1)).toBe(
      'no divergence: 1 slot call agrees (prompts, sampling, tokens, code, gate verdicts) and both ended unfinished',
    );
  });

  it('finds a planted token change: its index and both tokens', () => {
    const b = copy('b', (events) => {
      eventsOf(events, 'token', 's1')[5].text = ' while';
    });
    const comparison = compareSessions(copy('a'), b);
    const original = eventsOf(base, 'token', 's1')[5].text;
    expect(comparison.divergence).toEqual({ kind: 'token', pair: 0, index: 5, a: original, b: ' while' });
    expect(describeDivergence(comparison.divergence!, comparison)).toBe(
      `slot implement #0 (attempt 1): output token 5 differs: A ${JSON.stringify(original)} vs B " while"`,
    );
  });

  it('finds a planted sampling change in the second slot, after the first agrees', () => {
    const b = copy('b', (events) => {
      eventsOf(events, 'prompt_built', 's2')[0].request.sampling.top_k = 40;
    });
    const comparison = compareSessions(copy('a'), b);
    expect(comparison.divergence).toEqual({ kind: 'sampling', pair: 1, param: 'top_k', a: undefined, b: 40 });
    expect(formatComparison(comparison).slice(2)).toEqual([
      '1 slot call agrees before the first divergence:',
      '  slot reindent #1 (attempt 1): sampling top_k differs: A absent vs B 40',
    ]);
  });

  it('finds a planted prompt change with its char offset and context', () => {
    const b = copy('b', (events) => {
      const request = eventsOf(events, 'prompt_built', 's1')[0].request;
      request.prompt = request.prompt.replace('threshold', 'thresh0ld');
    });
    const prompt = eventsOf(base, 'prompt_built', 's1')[0].request.prompt;
    const d = compareSessions(copy('a'), b).divergence;
    expect(d).toMatchObject({ kind: 'prompt', pair: 0, offset: prompt.indexOf('threshold') + 6 });
    expect(d?.kind === 'prompt' && d.b).toContain('thresh0ld');
  });

  it('finds a gate verdict change before the flow verdict it caused', () => {
    const b = copy('b', (events) => {
      ofType(events, 'test_run')[0].verdict = 'fail';
      ofType(events, 'flow_finished')[0].verdict = 'fail';
    });
    const comparison = compareSessions(copy('a'), b);
    expect(comparison.divergence).toEqual({ kind: 'gate', pair: 0, a: ['pass'], b: ['fail'] });
    expect(formatComparison(comparison).at(-1)).toBe('flow verdicts: A pass vs B fail');
  });

  it('finds a flow verdict change when every slot agrees', () => {
    const b = copy('b', (events) => {
      ofType(events, 'flow_finished')[0].verdict = 'error';
    });
    expect(compareSessions(copy('a'), b).divergence).toEqual({ kind: 'flow', a: 'pass', b: 'error' });
  });

  it('finds a missing slot call', () => {
    const b = copy('b', (events) => {
      events.splice(0, events.length, ...events.filter((e) => (e as { slotId?: string }).slotId !== 's2'));
    });
    const comparison = compareSessions(copy('a'), b);
    expect(comparison.divergence).toEqual({ kind: 'slot', pair: 1, a: 'reindent #1 (attempt 1)', b: undefined });
    expect(describeDivergence(comparison.divergence!, comparison)).toBe('call 2: A ran slot reindent #1 (attempt 1), B has no more calls');
  });

  it('aligns by (name, attempt) when asked, so a missing first call does not shift the rest', () => {
    const b = copy('b', (events) => {
      events.splice(0, events.length, ...events.filter((e) => (e as { slotId?: string }).slotId !== 's1'));
    });
    const byOrder = compareSessions(copy('a'), b);
    expect(byOrder.divergence).toMatchObject({ kind: 'slot', pair: 0, a: 'implement #0 (attempt 1)', b: 'reindent #1 (attempt 1)' });
    const byName = compareSessions(copy('a'), b, { align: 'name' });
    expect(byName.pairs.map((p) => [p.a?.id, p.b?.id])).toEqual([['s1', undefined], ['s2', 's2']]);
    expect(byName.pairs[1].difference).toBeUndefined();
  });

  it('compares two branches of one session (a re-run at another temperature)', async () => {
    const { engine, events } = await harness('humaneval-0-canonical');
    await engine.start();
    engine.rerunSlot('s1', { temperature: 0.5 });
    await until(events, (e) => e.type === 'flow_finished' && e.branchId === 1);
    const session = { header: events[0] as SessionLike['header'], events };
    const comparison = compareSessions(session, session, { branchA: 0, branchB: 1 });
    expect(comparison.divergence).toEqual({ kind: 'sampling', pair: 0, param: 'temperature', a: 0, b: 0.5 });
    expect(comparison.b.branch).toBe(1);
  });
});

describe('firstTextDifference', () => {
  it('gives the offset and excerpts, or nothing when equal', () => {
    expect(firstTextDifference('same', 'same')).toBeUndefined();
    expect(firstTextDifference('abcdef', 'abcxef', 2)).toEqual({ offset: 3, a: '…bcde…', b: '…bcxe…' });
    expect(firstTextDifference('abc', 'abcd', 10)).toEqual({ offset: 3, a: 'abc', b: 'abcd' });
  });
});

describe('determinismReport', () => {
  it('says repeated temperature-0 runs agree when they do', () => {
    const report = determinismReport([copy('r1'), copy('r2'), copy('r3')]);
    expect(report).toMatchObject({ sessions: ['r1', 'r2', 'r3'], compared: 4, deterministic: true, changes: [], factors: [] });
    expect(formatDeterminismReport(report)).toEqual(['determinism: 3 runs, 4 answers that should repeat compared: all identical']);
  });

  it('flags a changed temperature-0 token and lists what could explain it', () => {
    const changed = copy('r2', (events) => {
      eventsOf(events, 'token', 's1')[2].text = 'X';
      const output = eventsOf(events, 'slot_output', 's1')[0];
      output.tokensCached = 37;
      output.generationSettings = { build: 'b4321' };
    });
    const report = determinismReport([copy('r1'), changed]);
    expect(report.deterministic).toBe(false);
    expect(report.changes).toEqual([
      expect.objectContaining({ sessionA: 'r1', sessionB: 'r2', slot: 'implement #0 (attempt 1)', expected: 'temperature 0', kind: 'token' }),
    ]);
    expect(report.factors[0]).toMatch(/^cache_prompt was on \(prompt tokens reused from the KV cache: A \?, B 37\)/);
    expect(report.factors[1]).toMatch(/^id_slot was not pinned/);
    expect(report.factors[2]).toBe('the server reported other generation settings (a build or server flag change?): build absent vs "b4321"');
    expect(report.factors[3]).toMatch(/^no fixed seed/);
    const text = formatDeterminismReport(report);
    expect(text[0]).toBe('determinism: 2 runs, 1 answer that should repeat compared: 1 changed');
    expect(text).toContain('possible causes:');
  });

  it('does not flag a change at temperature > 0 without a seed, but does with one', () => {
    const sampled = (id: string, seed: number | undefined, token: string) =>
      copy(id, (events) => {
        for (const p of ofType(events, 'prompt_built')) Object.assign(p.request.sampling, { temperature: 0.8 }, seed === undefined ? {} : { seed });
        eventsOf(events, 'token', 's1')[2].text = token;
      });
    const unseeded = determinismReport([sampled('a', undefined, 'x'), sampled('b', undefined, 'y')]);
    expect(unseeded).toMatchObject({ deterministic: true, compared: 0 });
    const seeded = determinismReport([sampled('a', 7, 'x'), sampled('b', 7, 'y')]);
    expect(seeded.changes[0]).toMatchObject({ expected: 'seed 7', kind: 'token' });
    expect(seeded.factors.at(-1)).toBe('seed 7 (fixed in both runs)');
  });
});
