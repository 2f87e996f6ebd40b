// The workbench's state: run state reduced from events at full speed, UI state from actions; both wake the drawer.

import type { SlotbenchEvent } from '../core/events.js';
import { initialRunState, reduce, type RunState } from '../state/run-state.js';
import { initialUiState, reduceUi, type UiAction, type UiState } from '../state/ui-state.js';

export class WorkbenchStore {
  run: RunState = initialRunState();
  ui: UiState = initialUiState();

  /** `changed` is called after every event and action; it should only schedule a frame. */
  constructor(private readonly changed: () => void) {}

  /** Feed subscriber: every event reaches the reducer, however fast they come (a feed with its own state sends none). */
  readonly onEvent = (event?: SlotbenchEvent): void => {
    if (event) reduce(this.run, event);
    this.changed();
  };

  /** The run state moved elsewhere (a view's own reducer): only redraw. */
  readonly touch = (): void => this.changed();

  readonly dispatch = (action: UiAction): void => {
    this.ui = reduceUi(this.ui, action);
    this.changed();
  };

  /** A new source (another problem, a replay): its run state (or a fresh one), UI preferences kept. */
  reset(run: RunState = initialRunState()): void {
    this.run = run;
    this.ui = reduceUi(this.ui, { type: 'reset' });
    this.changed();
  }

  /** Back to a view left earlier: its run state and the screen state it had, with nothing left open over it. */
  restore(run: RunState, ui: UiState): void {
    this.run = run;
    const { overlay: _overlay, input: _input, confirm: _confirm, flash: _flash, ...kept } = ui;
    // Preferences changed meanwhile (shading, the browser's sort and filter) carry back.
    this.ui = { ...kept, overlayScroll: 0, panelRow: 0, shading: this.ui.shading, browser: this.ui.browser };
    this.changed();
  }
}
