// Screen-only state of the workbench (focus, scroll, selection, overlays, input line, search) and its reducer.


/** The four panes of the workbench, in Tab order. */
export const PANES = ['plan', 'stream', 'diff', 'test'] as const;
export type PaneId = (typeof PANES)[number];

/** What covers the panes, if anything. `panel` is a view registered by a command (probes, replay). */
export type Overlay = 'help' | 'prompt' | 'confirm-quit' | 'panel';

/** The one-line input at the bottom: the `:` command line, a search, or the session browser's filter (applied as typed). */
export interface InputLine {
  kind: 'command' | 'search' | 'filter';
  text: string;
}

export interface UiState {
  focus: PaneId;
  /** Top line of each pane; 'end' keeps the bottom in view as text arrives. */
  scroll: Record<PaneId, number | 'end'>;
  /** Slot picked in the plan; absent = follow the live slot. */
  selectedSlot?: string;
  overlay?: Overlay;
  overlayScroll: number;
  input?: InputLine;
  /** The last search, the pane it was made in, and the line of the match shown (n/N go on from there). */
  search?: { pane: PaneId; query: string; hit?: number };
  /** One-line message in the status bar until the next key. */
  flash?: { text: string; level: 'info' | 'error' };
  /** Shade streamed tokens by probability (needs n_probs). */
  shading: boolean;
  /** Slot names the engine pauses before (mirrored from the engine, which owns them). */
  breakpoints: string[];
  /** Health of the model in force, as last polled. */
  health?: { healthy: boolean; status: string };
  /** Row picked on the welcome screen (recent sessions). */
  welcomeRow: number;
  /** Row picked in an interactive panel (session browser, probe samples); back to 0 when the overlay changes. */
  panelRow: number;
  /** A yes/no question in the status line (deleting a session); the next key answers it. */
  confirm?: string;
  /** The session browser's sort key and filter, kept while the workbench runs. */
  browser: { sort: SessionSortKey; filter: string };
  /** The focused pane fills the screen (tmux's prefix-z); Tab moves the zoom to the next pane. */
  zoom: boolean;
  /** The token inspector's cursor: a token of a slot in the stream pane (absent = not inspecting). */
  inspect?: { slotId: string; index: number };
}

/** What the session list sorts by. */
export type SessionSortKey = 'date' | 'verdict' | 'duration' | 'tokens' | 'problem';
export const SORT_KEYS: SessionSortKey[] = ['date', 'verdict', 'duration', 'tokens', 'problem'];

export type UiAction =
  | { type: 'focus'; pane: PaneId }
  | { type: 'focus-step'; by: 1 | -1 }
  | { type: 'scroll'; pane: PaneId; to: number | 'end' }
  | { type: 'select'; slotId: string | undefined }
  | { type: 'overlay'; overlay: Overlay | undefined }
  | { type: 'overlay-scroll'; to: number }
  | { type: 'input'; input: InputLine | undefined }
  | { type: 'search'; pane: PaneId; query: string; hit?: number }
  | { type: 'flash'; text: string; level: 'info' | 'error' }
  | { type: 'clear-flash' }
  | { type: 'toggle-shading' }
  | { type: 'breakpoints'; names: string[] }
  | { type: 'health'; healthy: boolean; status: string }
  | { type: 'welcome-row'; row: number }
  | { type: 'panel-row'; row: number }
  | { type: 'confirm'; question: string | undefined }
  | { type: 'browser'; sort?: SessionSortKey; filter?: string }
  | { type: 'zoom'; on: boolean }
  | { type: 'inspect'; at: { slotId: string; index: number } | undefined }
  | { type: 'reset' };

export function initialUiState(): UiState {
  return {
    focus: 'stream',
    scroll: { plan: 0, stream: 'end', diff: 0, test: 0 },
    overlayScroll: 0,
    shading: false,
    breakpoints: [],
    welcomeRow: 0,
    panelRow: 0,
    browser: { sort: 'date', filter: '' },
    zoom: false,
  };
}

/** Apply one action; returns a new state (the UI state is small, so copying keeps it simple to reason about). */
export function reduceUi(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'focus':
      return { ...state, focus: action.pane };
    case 'focus-step': {
      const i = PANES.indexOf(state.focus);
      return { ...state, focus: PANES[(i + action.by + PANES.length) % PANES.length] };
    }
    case 'scroll':
      return { ...state, scroll: { ...state.scroll, [action.pane]: action.to } };
    case 'select': {
      // A new slot to look at starts from its top (stream: its live end).
      const scroll = { ...state.scroll, stream: 'end' as const, diff: 0, test: 0 };
      const { selectedSlot: _old, inspect: _inspected, ...rest } = state;
      return action.slotId === undefined ? { ...rest, scroll } : { ...rest, selectedSlot: action.slotId, scroll };
    }
    case 'overlay': {
      const { overlay: _old, ...rest } = state;
      const fresh = { ...rest, overlayScroll: 0, panelRow: 0 };
      return action.overlay === undefined ? fresh : { ...fresh, overlay: action.overlay };
    }
    case 'overlay-scroll':
      return { ...state, overlayScroll: Math.max(0, action.to) };
    case 'input': {
      const { input: _old, ...rest } = state;
      return action.input === undefined ? rest : { ...rest, input: action.input };
    }
    case 'search':
      return { ...state, search: { pane: action.pane, query: action.query, ...(action.hit !== undefined ? { hit: action.hit } : {}) } };
    case 'flash':
      return { ...state, flash: { text: action.text, level: action.level } };
    case 'clear-flash': {
      if (!state.flash) return state;
      const { flash: _old, ...rest } = state;
      return rest;
    }
    case 'toggle-shading':
      return { ...state, shading: !state.shading };
    case 'breakpoints':
      return { ...state, breakpoints: [...action.names] };
    case 'health':
      return { ...state, health: { healthy: action.healthy, status: action.status } };
    case 'welcome-row':
      return { ...state, welcomeRow: Math.max(0, action.row) };
    case 'panel-row':
      return { ...state, panelRow: Math.max(0, action.row) };
    case 'confirm': {
      const { confirm: _old, ...rest } = state;
      return action.question === undefined ? rest : { ...rest, confirm: action.question };
    }
    case 'browser':
      return { ...state, browser: { sort: action.sort ?? state.browser.sort, filter: action.filter ?? state.browser.filter } };
    case 'zoom':
      return { ...state, zoom: action.on };
    case 'inspect': {
      const { inspect: _old, ...rest } = state;
      return action.at === undefined ? rest : { ...rest, inspect: { ...action.at } };
    }
    case 'reset':
      // A new source: keep the person's preferences, forget where they were (and whose health was shown).
      return { ...initialUiState(), shading: state.shading, browser: state.browser };
  }
}
