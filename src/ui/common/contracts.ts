// The workbench's contracts: feeds, key bindings, `:` commands, panels, and what their handlers may do. Types only.

import type { AnnotationChange } from '../../core/annotation.js';
import type { SlotbenchEvent } from '../../core/events.js';
import type { AnnotateResult } from '../../session/annotate.js';
import type { Sampling, SlotOverrides } from '../../core/sampling.js';
import type { RunState } from '../../state/run-state.js';
import type { PaneId, UiAction, UiState } from '../../state/ui-state.js';
import type { Theme } from './theme.js';

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
  /** Takes the filter typed in the input line (Enter); absent = it is the session browser's. */
  filtered?(text: string, api: WorkbenchApi): void;
  /** Notes and tags the session this panel has picked (`:note`, `:tag` act on it); absent = on the session on screen. */
  annotate?(change: AnnotationChange, api: WorkbenchApi): Promise<AnnotateResult>;
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
  /** Views open, this one included (a replay opened from a live run = 2); absent = 1. q/Esc go back when above 1. */
  depth?: number;
  /** What runs behind the panes now (a probe), one line each; absent or empty = nothing. */
  jobs?: string[];
}

/** Work a command runs on behind the panes (a probe): quitting asks first and stops it; `x` cancels it. */
export interface BackgroundJob {
  /** One line: what runs and how far it got (`probe implement: 4/20 samples`). */
  describe(): string;
  /** Stop it (in-flight work aborted, what it recorded kept); resolves once its records are durable. */
  cancel(reason: string): Promise<void>;
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
  /** Quit; asks first while a slot streams or a job runs, unless `force`. */
  quit(force?: boolean): void;
  /** Close this view and show the one it was opened from (asks before cutting a live run short); quit in the first. */
  back(): void;
  /** Register work that runs on behind the panes; call the returned function once it has ended by itself. */
  startJob(job: BackgroundJob): () => void;
  /** Cancel every job running (`x` with no slot streaming); resolves once they are stopped. */
  cancelJobs(reason: string): Promise<number>;
  /** Open another problem: new engine, new session. `dataset` absent = the open one's. */
  openProblem(dataset: string | undefined, id: string): Promise<void>;
  /** Edit the shown slot's prompt in $EDITOR, then re-run it with the edited prompt. */
  editPrompt(): Promise<void>;
  setTheme(name: string): Promise<void>;
  themeNames(): string[];
  showPanel(panel: Panel): void;
  /** A pane's scrollable body as plain text at the current size, and how many rows of it show. */
  paneBody(pane: PaneId | 'overlay'): { lines: string[]; rows: number };
  /** The datasets and their problems, for `:open` completion and the problem picker; absent = neither. */
  readonly problems?: ProblemSource;
  /** Open a live run on the bundled demo model, when the package has one. */
  openDemo?(): Promise<void>;
  /** Show a source built elsewhere (a resumed run) over this view; q comes back. */
  openFeed(feed: Feed): void;
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

/** One problem of a dataset as the picker lists it. */
export interface ProblemEntry {
  id: string;
  /** The function the model writes. */
  entryPoint: string;
  /** First line of the statement that says what to do. */
  summary: string;
  /** The problem as the model sees it: the file it completes (the preview). */
  statement: string;
  /** Verdict of the newest recorded session on it, if any. */
  lastVerdict?: string;
}

/** Datasets and their problems, read on demand by the composition root (the workbench does no file I/O itself). */
export interface ProblemSource {
  /** Dataset names from the config, and files/folders whose path starts with `prefix` (for completion). */
  datasets(prefix: string): string[];
  /** The problems of a dataset already read, or undefined (then `load` reads them). */
  cached(dataset: string): ProblemEntry[] | undefined;
  load(dataset: string): Promise<ProblemEntry[]>;
}

/** One key of the key table, as data: the status bar, `?` help and the README table are generated from these. */
export interface KeyBinding {
  id: string;
  /** Key names as `keyName` produces them: `s`, `S`, `C-c`, `S-tab`, `pagedown`, `space`. */
  keys: string[];
  description: string;
  /** Short label in the status bar; absent = listed only in `?` help. */
  bar?: string;
  /** The label when it depends on the moment (q: back or quit); absent = `bar`. */
  barNow?(ctx: KeyContext): string;
  /**
   * The feed control the key drives: a source without it (a replay has no `rerun`) leaves the key out of the status
   * bar, which then shows the keys that do work there; pressing it still says why it does nothing.
   */
  needs?: FeedCapability;
  /**
   * Whether the key is in play at all now (a mode's keys, such as the token inspector's); absent = always.
   * A key not in play is passed over, so the same key can mean something else outside the mode.
   */
  active?(ctx: KeyContext): boolean;
  /** Why the key does nothing right now (shown as a flash); undefined = enabled. */
  disabledReason?(ctx: KeyContext): string | undefined;
  run(api: WorkbenchApi): void | Promise<void>;
}

/** A `:` command. */
export interface LineCommand {
  name: string;
  aliases?: string[];
  /** e.g. `temp T` (shown after the colon in help). */
  usage: string;
  description: string;
  /** Candidates for the argument being typed. */
  complete?(api: WorkbenchApi, args: string[]): string[];
  /** What the command would act on, shown beside the input line while it is typed (`probes s1 implement`). */
  hint?(ctx: KeyContext, args: string[]): string | undefined;
  /** Why the command cannot run now; undefined = it can. */
  disabledReason?(api: WorkbenchApi): string | undefined;
  /** Throws a UserError with a one-line message for bad arguments. */
  run(args: string[], api: WorkbenchApi): void | Promise<void>;
}

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
  /**
   * Change the call the engine waits before (paused, nothing sent yet): an edited prompt, another temperature; for
   * that one call, recorded with the slot when it runs. The pause is announced again with the changed request.
   */
  overrideNext(overrides: SlotOverrides): void;
  settings(): FeedSettings;
  /** Configured model names (for `m` and `:model`). */
  modelNames(): string[];
  /** Health of the model in force. */
  health(): Promise<{ healthy: boolean; status: string }>;
  /** Write everything recorded so far to disk. */
  flush(): void;
  /** Note or tag the session being recorded: the event goes through its recorder (file and row) and into the state. */
  annotate(change: AnnotationChange): Promise<AnnotateResult>;
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
  /** Stop and make everything recorded durable; a live run still going ends as aborted, for `reason`. */
  close(reason?: string): Promise<void>;
}
