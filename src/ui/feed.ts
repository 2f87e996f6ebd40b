// Where the workbench's events come from: a live engine, a replay player, or nothing (welcome screen).

import type { SlotbenchEvent } from '../core/events.js';
import type { Sampling, SlotOverrides } from '../core/sampling.js';
import type { RunState } from '../state/run-state.js';
import type { KeyBinding } from './controllers/keymap.js';

/** Model/sampling/retries in force for the next slots. */
export interface FeedSettings {
  model: string;
  sampling: Sampling;
  attempts: number;
}

/**
 * What a person can ask of the source. A live engine offers all of it; a replay player offers what makes
 * sense for a recording (step, continue, pause) and leaves the rest out, which disables those keys with a reason.
 */
export interface FeedControls {
  /** Run (or play) the next slot, then pause. */
  step(): void;
  /** Run (or play) to the end or the next breakpoint. */
  continue(): void;
  /** Pause before the next slot. */
  pause(): void;
  /** Toggle a breakpoint on a slot name; returns whether it is now set. */
  toggleBreakpoint(slotName: string): boolean;
  breakpoints(): string[];
  /** Re-run a finished slot as a new branch. */
  rerun(slotId: string, overrides: SlotOverrides): void;
  /** Abort the streaming slot. */
  abort(): void;
  /** Change model/sampling/attempts for the next slots. */
  configure(change: { model?: string; sampling?: Partial<Sampling>; attempts?: number }): void;
  settings(): FeedSettings;
  /** Configured model names (for `m` and `:model`). */
  modelNames(): string[];
  /** Health of the model in force. */
  health(): Promise<{ healthy: boolean; status: string }>;
  /** Write everything recorded so far to disk. */
  flush(): void;
}

export type FeedCapability = keyof FeedControls;

export interface Feed {
  readonly kind: 'engine' | 'replay' | 'none';
  /** Session file being written (engine) or read (replay). */
  readonly sessionPath?: string;
  /** Dataset and problem open, so `:open ID` can stay in the same dataset. */
  readonly problem?: { dataset: string; id: string };
  /** Slot names the flow can run (breakpoints before a slot has run). */
  readonly slotNames?: string[];
  readonly controls: Partial<FeedControls>;
  /** Why a control it offers cannot act right now (a replay at its end); undefined = it can. */
  blocked?(capability: FeedCapability): string | undefined;
  /** Keys of this source (replay transport), tried before the built-in ones while it is open. */
  readonly keys?: KeyBinding[];
  /** Short state for the status bar the events do not carry (e.g. replay position and speed). */
  describe?(): string | undefined;
  /**
   * A feed that keeps its own run state hands it here (a replay player re-reduces it in place to seek back);
   * the workbench then shows that state and its listener only redraws. Absent = the workbench reduces events.
   */
  readonly state?: RunState;
  /**
   * Deliver every event, at full speed, to the listener (or, for a feed with its own `state`, call it with no
   * event after each change); returns the unsubscribe function.
   */
  subscribe(listener: (event?: SlotbenchEvent) => void): () => void;
  /** Begin producing events. Errors surface as events or through `onError`. */
  start(onError: (error: unknown) => void): void;
  /** Stop and make everything recorded durable (engine: shutdown, then close the session). */
  close(): Promise<void>;
}

/** The welcome screen's feed: no problem open, only a model to report on. */
export function emptyFeed(health?: () => Promise<{ healthy: boolean; status: string }>, modelNames: string[] = []): Feed {
  return {
    kind: 'none',
    controls: { ...(health ? { health } : {}), modelNames: () => modelNames },
    subscribe: () => () => undefined,
    start: () => undefined,
    close: async () => undefined,
  };
}
