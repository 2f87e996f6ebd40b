// The workbench's views as a stack: opening a replay or a problem pushes; back (q, Esc) closes the top and shows the one below.

import type { SlotbenchEvent } from '../core/events.js';
import { initialRunState, reduce, type RunState } from '../state/run-state.js';
import type { UiState } from '../state/ui-state.js';
import type { Feed } from './common/contracts.js';

/** One open view: its source, the run state reduced from it, and where the person was when they left it. */
export interface View {
  readonly feed: Feed;
  readonly run: RunState;
  /** Screen state saved when another view was opened over this one. */
  ui?: UiState;
  unsubscribe(): void;
}

/**
 * A view below the top keeps receiving its events (a live run goes on streaming while a replay is looked at), so
 * going back shows it as it is now, not as it was left.
 */
export class ViewStack {
  private readonly views: View[] = [];

  /** `changed` is called when the top view's state moves (it schedules a frame). */
  constructor(private readonly changed: () => void) {}

  get top(): View {
    return this.views[this.views.length - 1];
  }

  get depth(): number {
    return this.views.length;
  }

  /** Every open view, bottom first. */
  get all(): readonly View[] {
    return this.views;
  }

  /** Open `feed` over the current view (whose screen state is kept as `ui`); it starts receiving events at once. */
  push(feed: Feed, ui?: UiState): View {
    if (this.top && ui) this.top.ui = ui;
    const run = feed.state ?? initialRunState();
    const view: View = { feed, run, unsubscribe: () => undefined };
    const listener = (event?: SlotbenchEvent) => {
      // A feed with its own state has reduced the event already.
      if (event && !feed.state) reduce(run, event);
      if (this.top === view) this.changed();
    };
    view.unsubscribe = feed.subscribe(listener);
    this.views.push(view);
    return view;
  }

  /** Take the top view off (the caller closes its feed); the one below is the top again. */
  pop(): View | undefined {
    if (this.views.length < 2) return undefined;
    const view = this.views.pop()!;
    view.unsubscribe();
    return view;
  }

  /** Take every view off, top first (quitting). */
  clear(): View[] {
    const views = [...this.views].reverse();
    for (const view of views) view.unsubscribe();
    this.views.length = 0;
    return views;
  }
}

/** Whether leaving this view would cut a live run short: an engine whose current branch has not finished, or is streaming. */
export function liveRunGoing(view: View): boolean {
  if (view.feed.kind !== 'engine') return false;
  return view.run.streamingSlot !== undefined || !view.run.branches.get(view.run.currentBranch)?.finished;
}
