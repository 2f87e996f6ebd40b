// What key and `:` command handlers may do to the workbench: read state, dispatch UI actions, drive the feed.

import type { RunState } from '../../state/run-state.js';
import type { PaneId, UiAction, UiState } from '../../state/ui-state.js';
import type { Feed, FeedCapability } from '../feed.js';
import type { Theme } from '../theme.js';

/** A view a command puts over the panes (probe histograms, replay details); pure like the panes. */
export interface Panel {
  title: string;
  /** Lines of blessed content (through the text helpers, so untrusted text is escaped). */
  render(size: { cols: number; rows: number; theme: Theme; scroll: number }): string[];
}

/** The read-only facts key bindings decide on: pure, so the key table can be tested without a screen. */
export interface KeyContext {
  run: RunState;
  ui: UiState;
  feedKind: Feed['kind'];
  can(capability: FeedCapability): boolean;
}

export interface WorkbenchApi extends KeyContext {
  readonly feed: Feed;
  readonly theme: Theme;
  dispatch(action: UiAction): void;
  flash(text: string, level?: 'info' | 'error'): void;
  /** Quit; asks first while a slot streams unless `force`. */
  quit(force?: boolean): void;
  /** Open another problem: new engine, new session. `dataset` absent = the open one's. */
  openProblem(dataset: string | undefined, id: string): Promise<void>;
  /** Edit the shown slot's prompt in $EDITOR, then re-run it with the edited prompt. */
  editPrompt(): Promise<void>;
  setTheme(name: string): Promise<void>;
  themeNames(): string[];
  showPanel(panel: Panel): void;
  /** A pane's scrollable body as plain text at the current size, and how many rows of it show. */
  paneBody(pane: PaneId | 'overlay'): { lines: string[]; rows: number };
  /** Open a recorded session from the welcome list (replay), when a replay opener is installed. */
  openSession?(file: string): Promise<void>;
}
