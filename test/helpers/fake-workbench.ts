// A workbench without a screen for controller tests: the real key handler, command registry and UI reducer over a feed.

import { initialRunState, type RunState } from '../../src/state/run-state.js';
import { initialUiState, reduceUi, type UiState } from '../../src/state/ui-state.js';
import type { Panel, WorkbenchApi } from '../../src/ui/common/contracts.js';
import { registerBuiltins } from '../../src/ui/controllers/builtin-commands.js';
import { CommandRegistry } from '../../src/ui/controllers/command-line.js';
import { handleKey } from '../../src/ui/controllers/controller.js';
import { KEYMAP } from '../../src/ui/controllers/keymap.js';
import type { Feed } from '../../src/ui/common/contracts.js';
import { loadTheme, type Theme } from '../../src/ui/common/theme.js';
import { untag } from '../golden/screen.js';

export interface FakeOptions {
  feed?: Partial<Feed> & { kind: Feed['kind'] };
  run?: RunState;
  sessionsDir?: string;
  cwd?: string;
  /** Extra files being written (a probe). */
  recording?: string[];
  /** Installed as the replay opener; records what was opened. */
  canOpen?: boolean;
}

export interface FakeWorkbench {
  api: WorkbenchApi;
  flashes: { text: string; level: string }[];
  opened: string[];
  /** Feeds shown over the view with `openFeed` (a resumed run). */
  feeds: Feed[];
  forgotten: string[];
  /** Press keys by name (`j`, `enter`, `escape`), one after another. */
  press(...names: string[]): Promise<void>;
  /** The open panel drawn as plain text at a size (the overlay's inner size). */
  panelText(cols?: number, rows?: number): string[];
}

let theme: Theme | undefined;

export async function fakeWorkbench(options: FakeOptions = {}): Promise<FakeWorkbench> {
  theme ??= await loadTheme('mono');
  const feed: Feed = {
    kind: 'none',
    controls: {},
    subscribe: () => () => undefined,
    start: () => undefined,
    close: async () => undefined,
    ...options.feed,
  };
  let ui: UiState = initialUiState();
  let panel: Panel | undefined;
  let pending: { onYes: () => void | Promise<void>; declined: string } | undefined;
  const flashes: FakeWorkbench['flashes'] = [];
  const opened: string[] = [];
  const feeds: Feed[] = [];
  const forgotten: string[] = [];
  const registry = registerBuiltins(new CommandRegistry());
  const api: WorkbenchApi = {
    run: options.run ?? initialRunState(),
    get ui() {
      return ui;
    },
    feed,
    feedKind: feed.kind,
    theme: theme!,
    get panel() {
      return panel;
    },
    cwd: options.cwd ?? process.cwd(),
    can: (c) => feed.controls[c] !== undefined,
    blocked: (c) => feed.blocked?.(c),
    ...(options.sessionsDir ? { sessionsDir: options.sessionsDir } : {}),
    dispatch: (action) => (ui = reduceUi(ui, action)),
    flash: (text, level = 'info') => {
      flashes.push({ text, level });
      ui = reduceUi(ui, { type: 'flash', text, level });
    },
    quit: () => undefined,
    back: () => undefined,
    startJob: () => () => undefined,
    cancelJobs: async () => 0,
    openProblem: async () => undefined,
    editPrompt: async () => undefined,
    setTheme: async () => undefined,
    themeNames: () => ['mono'],
    showPanel: (next) => {
      panel = next;
      ui = reduceUi(ui, { type: 'overlay', overlay: 'panel' });
    },
    paneBody: (pane) => (pane === 'overlay' && ui.overlay === 'panel' && panel?.body ? panel.body({ cols: 108, rows: 34, ui }) : { lines: [], rows: 34 }),
    openFeed: (next) => void feeds.push(next),
    ...(options.canOpen ? { openSession: async (file: string) => void opened.push(file) } : {}),
    confirm: (question, onYes, declined = 'nothing done') => {
      pending = { onYes, declined };
      ui = reduceUi(ui, { type: 'confirm', question });
    },
    answer: async (yes) => {
      const asked = pending;
      pending = undefined;
      ui = reduceUi(ui, { type: 'confirm', question: undefined });
      if (asked && yes) await asked.onYes();
      else if (asked) api.flash(asked.declined);
    },
    recording: () => [...(feed.kind === 'engine' && feed.sessionPath ? [feed.sessionPath] : []), ...(options.recording ?? [])],
    forgetSession: (path) => void forgotten.push(path),
  };
  return {
    api,
    flashes,
    opened,
    feeds,
    forgotten,
    press: async (...names) => {
      for (const name of names) await handleKey(api, [...(feed.keys ?? []), ...KEYMAP], registry, name);
    },
    panelText: (cols = 108, rows = 34) => (panel ? panel.render({ cols, rows, theme: theme!, scroll: ui.overlayScroll, ui }).map(untag) : []),
  };
}
