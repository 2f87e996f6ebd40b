// The session player: recorded pace (÷ speed, long gaps cut), pause, steps, seeks; driven by a fake clock.

import { describe, expect, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { SessionPlayer, type PlayerChange, type Scheduler } from '../../src/session/player.js';
import { reduceAll, type RunState } from '../../src/state/run-state.js';

/** A clock that moves only when told to, running due timers in time order. */
class FakeClock implements Scheduler {
  private time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.ids;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }
  get pending(): number {
    return this.timers.length;
  }
}

const header: SlotbenchEvent = {
  type: 'session_started', t: 0, formatVersion: 1, slotbenchVersion: 'test', sessionId: 'p', startedAt: '2026-01-01T00:00:00Z',
  flow: 'implement', task: { kind: 'dataset', id: 'HumanEval/0', dataset: 'd' }, model: { name: 'm', kind: 'scripted' },
  sampling: { temperature: 0, n_predict: 8, cache_prompt: true }, attempts: 2,
};

/** Two slots; between them a 10 s idle stretch (a person thinking before a re-run). */
const EVENTS: SlotbenchEvent[] = [
  header,
  { type: 'flow_started', t: 1, flow: 'implement', branchId: 0 },
  { type: 'slot_started', t: 10, slotId: 's1', name: 'implement', ordinal: 0, attempt: 1, branchId: 0 },
  { type: 'token', t: 20, slotId: 's1', text: 'ret' },
  { type: 'token', t: 30, slotId: 's1', text: 'urn' },
  { type: 'slot_output', t: 40, slotId: 's1', text: 'return', tokenCount: 2, stopType: 'eos', durationMs: 30 },
  { type: 'slot_result', t: 41, slotId: 's1', status: 'ok' },
  { type: 'slot_started', t: 10_041, slotId: 's2', name: 'implement', ordinal: 1, attempt: 2, branchId: 0 },
  { type: 'token', t: 10_051, slotId: 's2', text: 'pass' },
  { type: 'slot_output', t: 10_061, slotId: 's2', text: 'pass', tokenCount: 1, stopType: 'eos', durationMs: 20 },
  { type: 'flow_finished', t: 10_070, verdict: 'pass', reason: 'ok', branchId: 0, attempts: 2, durationMs: 10_069 },
];

function setup(events = EVENTS) {
  const clock = new FakeClock();
  const player = new SessionPlayer(events, { scheduler: clock });
  const changes: PlayerChange[] = [];
  player.on((c) => changes.push(c));
  return { clock, player, changes };
}

/** The parts of a state that matter, without the redraw counter. */
function essence(state: RunState) {
  const { version: _version, ...rest } = state;
  return rest;
}

describe('SessionPlayer', () => {
  it('plays at the recorded pace: events appear when their time comes', () => {
    const { clock, player } = setup();
    player.play({ speed: 1 });
    expect(player.position).toBe(0);
    clock.advance(0);
    expect(player.position).toBe(1);
    clock.advance(19);
    expect(player.position).toBe(3);
    expect(player.state.slots.get('s1')?.text).toBe('');
    clock.advance(1);
    expect(player.state.slots.get('s1')?.text).toBe('ret');
    expect(player.playing).toBe(true);
  });

  it('divides recorded time by the speed', () => {
    const { clock, player } = setup();
    player.play({ speed: 4 });
    clock.advance(5); // 20 ms of recording
    expect(player.state.slots.get('s1')?.text).toBe('ret');
    clock.advance(2); // 28 ms
    expect(player.state.slots.get('s1')?.text).toBe('ret');
    clock.advance(1); // 32 ms
    expect(player.state.slots.get('s1')?.text).toBe('return');
  });

  it('cuts a long idle gap to 2 s and says how long it really was', () => {
    const { clock, player, changes } = setup();
    player.play({ speed: 1 });
    clock.advance(41);
    expect(player.position).toBe(7);
    clock.advance(1999);
    expect(player.position).toBe(7);
    clock.advance(1);
    expect(player.state.slots.has('s2')).toBe(true);
    expect(changes.find((c) => c.reason === 'gap')).toEqual({ reason: 'gap', position: 8, gap: { recordedMs: 10_000, playedMs: 2000 } });
    clock.advance(100);
    expect(player.position).toBe(EVENTS.length);
    expect(player.playing).toBe(false);
    expect(changes.at(-1)?.reason).toBe('end');
    expect(clock.pending).toBe(0);
  });

  it('pauses: nothing moves until play again, which resumes from the last applied event', () => {
    const { clock, player } = setup();
    player.play();
    clock.advance(25);
    player.pause();
    expect(player.playing).toBe(false);
    const at = player.position;
    clock.advance(5000);
    expect(player.position).toBe(at);
    player.play();
    clock.advance(9); // the next token is 10 ms after the last applied one
    expect(player.position).toBe(at);
    clock.advance(1);
    expect(player.position).toBe(at + 1);
  });

  it('a listener that pauses on a tick stops playback', () => {
    const { clock, player } = setup();
    player.on((c) => c.reason === 'tick' && player.state.slots.has('s1') && player.pause());
    player.play();
    clock.advance(20_000);
    expect(player.position).toBe(3);
    expect(clock.pending).toBe(0);
  });

  it('plays instantly to the end', () => {
    const { player, changes } = setup();
    player.play({ speed: 'instant' });
    expect(player.position).toBe(EVENTS.length);
    expect(changes.map((c) => c.reason)).toEqual(['end']);
    expect(essence(player.state)).toEqual(essence(reduceAll(EVENTS)));
  });

  it('steps one event, and slot by slot (a start, then its answer)', () => {
    const { player } = setup();
    expect(player.stepEvent()).toBe(true);
    expect(player.position).toBe(1);
    player.stepSlot();
    expect(player.position).toBe(3);
    expect(player.state.streamingSlot).toBe('s1');
    player.stepSlot();
    expect(player.position).toBe(6);
    expect(player.state.slots.get('s1')?.status).toBe('done');
    player.stepSlot();
    expect(player.state.slots.has('s2')).toBe(true);
    player.jumpToEnd();
    expect(player.stepEvent()).toBe(false);
    expect(player.stepSlot()).toBe(false);
  });

  it('jumps to a slot by id or by its index, forwards and backwards, with the same state as a fresh reduce', () => {
    const { player } = setup();
    player.jumpToEnd();
    const versionAtEnd = player.state.version;
    expect(player.jumpToSlot('s1')).toBe(true);
    expect(player.position).toBe(6);
    expect(essence(player.state)).toEqual(essence(reduceAll(EVENTS.slice(0, 6))));
    expect(player.state.version).toBeGreaterThan(versionAtEnd);
    expect(player.jumpToSlot(1)).toBe(true);
    expect(player.position).toBe(10);
    expect(player.state.slots.get('s2')?.text).toBe('pass');
    expect(player.jumpToSlot('s9')).toBe(false);
    expect(player.jumpToSlot(2)).toBe(false);
    expect(player.position).toBe(10);
  });

  it('keeps the same state object across a backward seek, so views may hold it', () => {
    const { player } = setup();
    const state = player.state;
    player.jumpToEnd();
    expect(state.branches.get(0)?.finished?.verdict).toBe('pass');
    player.jumpToStart();
    expect(player.state).toBe(state);
    expect(state.header).toBeUndefined();
    expect(state.slots.size).toBe(0);
    expect(state.branches.get(0)?.finished).toBeUndefined();
    expect(player.position).toBe(0);
  });

  it('playing through gives the same final state as reducing the whole session', () => {
    const { clock, player } = setup();
    player.play({ speed: 2 });
    clock.advance(60_000);
    expect(essence(player.state)).toEqual(essence(reduceAll(EVENTS)));
  });

  it('a seek while playing keeps playing from the new position', () => {
    const { clock, player } = setup();
    player.play();
    clock.advance(5);
    player.jumpToSlot('s1');
    expect(player.playing).toBe(true);
    clock.advance(1);
    expect(player.position).toBe(7);
  });

  it('refuses a speed that is not positive', () => {
    const { player } = setup();
    expect(() => player.play({ speed: 0 })).toThrow(/speed must be > 0/);
  });
});
