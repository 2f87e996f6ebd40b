// What key and `:` command handlers may do to the workbench: read state, dispatch UI actions, drive the feed.

import type { RunState } from '../../state/run-state.js';
import type { PaneId, UiAction, UiState } from '../../state/ui-state.js';
import type { Feed, FeedCapability } from '../feed.js';
import type { Theme } from '../theme.js';
import type { KeyBinding } from './keymap.js';

/** Size and screen state a panel draws for. */
export interface PanelSize {
  cols: number;
  rows: number;
  theme: Theme;
  scroll: number;
  ui: UiState;
}

/**
 * A view a command puts over the panes (probe results, the session browser, a comparison); pure like the panes.
 * A panel may bring its own keys (tried before the overlay's Esc/q/scrolling) and a scrollable body.
 */
export interface Panel {
  title: string;
  /** Lines of blessed content (through the text helpers, so untrusted text is escaped). */
  render(size: PanelSize): string[];
  /** The part that scrolls, as plain text, and how many rows of it show (for j/k, PgDn); absent = nothing scrolls. */
  body?(size: Omit<PanelSize, 'theme' | 'scroll'>): { lines: string[]; rows: number };
  /** Keys of this panel: they act while it is open, before the overlay's own. */
  keys?: KeyBinding[];
}

/** The read-only facts key bindings decide on: pure, so the key table can be tested without a screen. */
export interface KeyContext {
  run: RunState;
  ui: UiState;
  feedKind: Feed['kind'];
  can(capability: FeedCapability): boolean;
  /** Why a control the feed offers cannot act right now (a replay at its end); absent or undefined = it can. */
  blocked?(capability: FeedCapability): string | undefined;
  /** Folder the session browser lists; absent = no browser here. */
  sessionsDir?: string;
}

export interface WorkbenchApi extends KeyContext {
  readonly feed: Feed;
  readonly theme: Theme;
  /** The panel shown (or last shown) over the panes. */
  readonly panel?: Panel;
  /** Folder relative paths typed in commands are taken from. */
  readonly cwd: string;
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
  /** Open a recorded session (replay), when a replay opener is installed. */
  openSession?(file: string): Promise<void>;
  /** Ask a yes/no question in the status line; `y` runs `onYes`, any other key drops it and flashes `declined`. */
  confirm(question: string, onYes: () => void | Promise<void>, declined?: string): void;
  /** Answer the open question (the key handler calls this). */
  answer(yes: boolean): Promise<void>;
  /** Session files being written right now (the live run, a running probe): never deleted from the browser. */
  recording(): string[];
  /** A session file was deleted: forget it wherever the workbench lists it. */
  forgetSession(path: string): void;
}
