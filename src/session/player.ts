// A transport over recorded events: play at recorded pace, pause, step, seek; feeds a RunState through the reducer.

import type { SlotbenchEvent } from '../core/events.js';
import { initialRunState, reduce, type RunState } from '../state/run-state.js';

/** Playback speed: a multiple of the recorded pace, or everything at once. */
export type PlaySpeed = number | 'instant';

/** Time and timers, injectable so tests drive playback without waiting. */
export interface Scheduler {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realScheduler: Scheduler = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What a listener hears after the state moved (read `player.state` then). */
export interface PlayerChange {
  reason: 'play' | 'pause' | 'step' | 'seek' | 'tick' | 'gap' | 'end';
  position: number;
  /** On 'gap': a recorded idle stretch longer than `maxGapMs`, and the time it was played in (before speed). */
  gap?: { recordedMs: number; playedMs: number };
}

export interface PlayerOptions {
  scheduler?: Scheduler;
  /** Longest recorded gap played as is; longer ones are cut to this (and reported), default 2 s. */
  maxGapMs?: number;
}

/** Events that end a `stepSlot`: a slot appears, or its answer is complete. */
const SLOT_MARKS = new Set<SlotbenchEvent['type']>(['slot_started', 'slot_output', 'slot_error']);

/**
 * Plays `events` into `state`. Position p means events [0, p) are applied. Seeking backwards re-reduces from the
 * start into the same state object (it is as fast as loading), so views may keep a reference to `state`.
 */
export class SessionPlayer {
  readonly state: RunState = initialRunState();
  private readonly scheduler: Scheduler;
  private readonly maxGapMs: number;
  /** Playback timeline: recorded times with long gaps cut, so a seek never has to recompute it. */
  private readonly timeline: Float64Array;
  private readonly listeners: ((change: PlayerChange) => void)[] = [];
  private pos = 0;
  private rate = 1;
  private timer: unknown;
  private anchorWall = 0;
  private anchorTime = 0;

  constructor(
    readonly events: readonly SlotbenchEvent[],
    options: PlayerOptions = {},
  ) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.maxGapMs = options.maxGapMs ?? 2000;
    this.timeline = new Float64Array(events.length);
    for (let i = 1; i < events.length; i++) {
      this.timeline[i] = this.timeline[i - 1] + Math.min(Math.max(0, events[i].t - events[i - 1].t), this.maxGapMs);
    }
  }

  get position(): number {
    return this.pos;
  }

  get length(): number {
    return this.events.length;
  }

  get playing(): boolean {
    return this.timer !== undefined;
  }

  get speed(): number {
    return this.rate;
  }

  /** Listen to every move; returns the unsubscribe function. */
  on(listener: (change: PlayerChange) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Play from here at `speed` × the recorded pace; 'instant' applies everything left at once. */
  play({ speed = 1 }: { speed?: PlaySpeed } = {}): void {
    this.stopTimer();
    if (speed === 'instant') {
      this.advanceTo(this.events.length);
      this.notify('end');
      return;
    }
    if (!(speed > 0)) throw new RangeError(`play speed must be > 0, got ${speed}`);
    this.rate = speed;
    if (this.pos >= this.events.length) {
      this.notify('end');
      return;
    }
    this.anchor();
    this.notify('play');
    this.schedule();
  }

  pause(): void {
    if (!this.playing) return;
    this.stopTimer();
    this.notify('pause');
  }

  /** Apply one event (pauses playback). False at the end. */
  stepEvent(): boolean {
    this.stopTimer();
    if (this.pos >= this.events.length) return false;
    this.advanceTo(this.pos + 1);
    this.notify('step');
    return true;
  }

  /** Apply events up to and including the next slot start or slot answer (pauses playback). False at the end. */
  stepSlot(): boolean {
    this.stopTimer();
    if (this.pos >= this.events.length) return false;
    let end = this.pos;
    while (end < this.events.length && !SLOT_MARKS.has(this.events[end].type)) end++;
    this.advanceTo(Math.min(end + 1, this.events.length));
    this.notify('step');
    return true;
  }

  /**
   * Go to just after a slot's answer: by slot id, or by its index among all slots of the session (from 0).
   * False (and no move) when there is no such slot.
   */
  jumpToSlot(target: string | number): boolean {
    let seen = -1;
    const start = this.events.findIndex((e) => e.type === 'slot_started' && (typeof target === 'string' ? e.slotId === target : ++seen === target));
    if (start < 0) return false;
    const slotId = (this.events[start] as { slotId: string }).slotId;
    let end = start + 1;
    while (end < this.events.length) {
      const e = this.events[end];
      if ((e.type === 'slot_output' || e.type === 'slot_error') && e.slotId === slotId) break;
      if (e.type === 'slot_started') {
        end--;
        break;
      }
      end++;
    }
    this.seek(Math.min(end + 1, this.events.length));
    return true;
  }

  jumpToStart(): void {
    this.seek(0);
  }

  jumpToEnd(): void {
    this.seek(this.events.length);
  }

  /** Go to `position` (0…length); keeps playing if it was. */
  seek(position: number): void {
    const target = Math.max(0, Math.min(Math.trunc(position), this.events.length));
    const wasPlaying = this.playing;
    this.stopTimer();
    if (target < this.pos) this.rebuild();
    this.advanceTo(target);
    this.notify('seek');
    if (wasPlaying && this.pos < this.events.length) {
      this.anchor();
      this.schedule();
    }
  }

  /** Stop timers (the view is closing). */
  dispose(): void {
    this.stopTimer();
    this.listeners.length = 0;
  }

  private tick(): void {
    this.timer = undefined;
    const due = this.anchorTime + (this.scheduler.now() - this.anchorWall) * this.rate;
    let end = this.pos;
    while (end < this.events.length && this.timeline[end] <= due) end++;
    const gap = this.longGapIn(this.pos, end);
    this.advanceTo(end);
    // Scheduled before listeners run, so they see `playing` and a pause() from them cancels it.
    const ended = this.pos >= this.events.length;
    if (!ended) this.schedule();
    if (gap) this.notify('gap', gap);
    this.notify(ended ? 'end' : 'tick');
  }

  private schedule(): void {
    const due = this.anchorTime + (this.scheduler.now() - this.anchorWall) * this.rate;
    const wait = Math.max(0, (this.timeline[this.pos] - due) / this.rate);
    this.timer = this.scheduler.setTimeout(() => this.tick(), wait);
  }

  /** Playback time now is the time of the last applied event. */
  private anchor(): void {
    this.anchorWall = this.scheduler.now();
    this.anchorTime = this.pos > 0 ? this.timeline[this.pos - 1] : this.timeline[0] ?? 0;
  }

  /** The longest gap that was cut among events [from, to), if any. */
  private longGapIn(from: number, to: number): PlayerChange['gap'] {
    let longest: PlayerChange['gap'];
    for (let i = Math.max(1, from); i < to; i++) {
      const recordedMs = this.events[i].t - this.events[i - 1].t;
      if (recordedMs > this.maxGapMs && recordedMs > (longest?.recordedMs ?? 0)) longest = { recordedMs, playedMs: this.maxGapMs };
    }
    return longest;
  }

  private advanceTo(target: number): void {
    while (this.pos < target) reduce(this.state, this.events[this.pos++]);
  }

  /** Reset the state in place; `version` keeps rising so views that compare versions still redraw. */
  private rebuild(): void {
    const version = this.state.version;
    const state = this.state as unknown as Record<string, unknown>;
    for (const key of Object.keys(state)) delete state[key];
    Object.assign(this.state, initialRunState(), { version: version + 1 });
    this.pos = 0;
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private notify(reason: PlayerChange['reason'], gap?: PlayerChange['gap']): void {
    const change: PlayerChange = { reason, position: this.pos, ...(gap ? { gap } : {}) };
    for (const listener of [...this.listeners]) listener(change);
  }
}
