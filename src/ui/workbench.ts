// The workbench: one store fed by a live engine or a replay, drawn at most ~30 times a second, driven by keys.

import { resolve } from 'node:path';
import { oneLine, UserError } from '../core/errors.js';
import type { SessionSummary } from '../session/index-store.js';
import { flushAllSessions } from '../session/writer.js';
import { SLOTBENCH_VERSION } from '../version.js';
import type { BackgroundJob, KeyContext, Panel, ProblemSource, WorkbenchApi } from './common/contracts.js';
import { registerBuiltins } from './controllers/builtin-commands.js';
import { CommandRegistry } from './controllers/command-line.js';
import { type LineCommand } from './common/contracts.js';
import { handleKey, type WelcomeList } from './controllers/controller.js';
import { KEYMAP, rerunOverrides } from './controllers/keymap.js';
import { keyName } from './common/keys.js';
import { type KeyBinding } from './common/contracts.js';
import { editText, type ExternalRunner } from './edit-prompt.js';
import type { Feed } from './common/contracts.js';
import { frameScheduler } from './frame-scheduler.js';
import { composeFrame, paneBody, type FrameInput } from './frame.js';
import { nextCall, shownSlot } from '../state/selectors.js';
import { BlessedShell, type ShellStreams } from './shell/blessed-shell.js';
import { oneSafeLine } from '../text/sanitize.js';
import { WorkbenchStore } from './store.js';
import { liveRunGoing, ViewStack } from './view-stack.js';
import { loadTheme, type Theme } from './common/theme.js';
import { themeForDepth } from './common/theme-depth.js';

export interface WorkbenchOptions extends ShellStreams {
  /** Where events come from: `engineFeed(...)`, a replay player's feed, or `emptyFeed()` (welcome screen). */
  feed: Feed;
  theme: Theme;
  /** Builds the feed for another problem (`:open`); absent = `:open` says it is unavailable. */
  openProblem?: (dataset: string, id: string, current: Feed) => Promise<Feed>;
  /** Builds a replay feed for a recorded session (welcome list); absent = the list says how to replay. */
  openSession?: (file: string) => Promise<Feed>;
  /** Datasets and problems for `:open` completion and `:problems`; absent = neither. */
  problems?: ProblemSource;
  /** Builds a live run on the bundled demo model (welcome screen, `d`); absent = not offered. */
  openDemo?: () => Promise<Feed>;
  /** Rows of the session index, newest first, for the welcome screen. */
  recentSessions?: SessionSummary[];
  /** Reads those rows again (back on the welcome screen after a run); absent = the first list stays. */
  readRecentSessions?: () => Promise<SessionSummary[]>;
  /** Folder the session browser (`o`, `:sessions`) lists; absent = no browser. */
  sessionsDir?: string;
  /** Folder relative paths in commands are taken from (default: the process's). */
  cwd?: string;
  /** Session files other parts are writing now (a running probe), besides the live run's: never deleted. */
  recording?: () => string[];
  /** Configured dataset names, for the welcome screen. */
  datasets?: string[];
  /** Keys added by other modes; they take precedence over built-ins (a feed's own keys come first). */
  keys?: KeyBinding[];
  /** `:` commands added by other parts (`:probe`, replay commands). */
  commands?: LineCommand[];
  /** Model named in the status bar before any event says which. */
  modelName?: string;
  env?: NodeJS.ProcessEnv;
  /** How often the model's health is polled (ms). */
  healthIntervalMs?: number;
  themeNames?: string[];
}

export interface Workbench {
  readonly store: WorkbenchStore;
  /** The source now open (changes on `:open`). */
  readonly feed: Feed;
  /** Frames drawn so far. */
  readonly frames: number;
  /** Resolves with the exit code once the person has quit and the session is closed. */
  readonly done: Promise<number>;
  readonly api: WorkbenchApi;
  /** Add a `:` command after opening. */
  registerCommand(command: LineCommand): void;
  /** Quit without asking; a live run still going is recorded as aborted, for `reason`. */
  close(reason?: string): Promise<number>;
}

export function openWorkbench(options: WorkbenchOptions): Workbench {
  const env = options.env ?? process.env;
  const keys = (): KeyBinding[] => [...(feed.keys ?? []), ...(options.keys ?? []), ...KEYMAP];
  const registry = registerBuiltins(new CommandRegistry());
  for (const command of options.commands ?? []) registry.register(command);
  let theme: Theme;
  const views = new ViewStack(() => store.touch());
  let feed = options.feed;
  let panel: Panel | undefined;
  let recent = options.recentSessions ?? [];
  let pending: { onYes: () => void | Promise<void>; declined: string } | undefined;
  const jobs = new Set<BackgroundJob>();
  let quitting = false;
  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  const shell = new BlessedShell(options);
  theme = themeForDepth(options.theme, shell.depth);
  const scheduler = frameScheduler(() => draw());
  const store = new WorkbenchStore(() => scheduler.request());

  const ctx = (): KeyContext => ({
    run: store.run,
    ui: store.ui,
    feedKind: feed.kind,
    can: (capability) => feed.controls[capability] !== undefined,
    blocked: (capability) => feed.blocked?.(capability),
    ...(options.sessionsDir ? { sessionsDir: options.sessionsDir } : {}),
    depth: views.depth,
    jobs: jobLines(),
  });
  const jobLines = () => [...jobs].map((job) => job.describe());
  const cancelJobs = async (reason: string): Promise<number> => {
    const running = [...jobs];
    await Promise.all(running.map((job) => job.cancel(reason)));
    return running.length;
  };

  const frameInput = (): FrameInput => {
    const settings = feed.controls.settings?.();
    const note = feed.describe?.();
    return {
      run: store.run,
      ui: store.ui,
      theme,
      cols: shell.cols,
      rows: shell.rows,
      keys: keys(),
      commands: registry.list(),
      ctx: ctx(),
      ...(settings ? { settings } : {}),
      ...(feed.sessionPath ? { session: feed.sessionPath } : {}),
      ...(note ? { feedNote: note } : {}),
      ...(options.modelName ? { modelName: options.modelName } : {}),
      ...(feed.kind === 'none'
        ? {
            welcome: {
              version: SLOTBENCH_VERSION,
              ...(options.modelName ? { model: options.modelName } : {}),
              ...(store.ui.health ? { health: store.ui.health } : {}),
              datasets: options.datasets ?? [],
              recent,
              canReplay: options.openSession !== undefined,
              demo: options.openDemo !== undefined,
            },
          }
        : {}),
      ...(panel ? { panel } : {}),
    };
  };

  function draw(): void {
    shell.draw(composeFrame(frameInput()), store.ui.focus, theme);
  }

  const flash = (text: string, level: 'info' | 'error' = 'info') => store.dispatch({ type: 'flash', text, level });

  let healthBusy = false;
  const pollHealth = () => {
    const health = feed.controls.health;
    if (!health || healthBusy) return;
    healthBusy = true;
    health()
      .then((h) => {
        const old = store.ui.health;
        if (!old || old.healthy !== h.healthy || old.status !== h.status) store.dispatch({ type: 'health', ...h });
      })
      .catch((error) => store.dispatch({ type: 'health', healthy: false, status: oneLine(error) }))
      .finally(() => (healthBusy = false));
  };
  const healthTimer = setInterval(pollHealth, options.healthIntervalMs ?? 2000);
  healthTimer.unref();

  /** Open a view over the current one, which stays open below (a live run goes on) until back or quit. */
  const attach = (next: Feed) => {
    feed = next;
    const view = views.push(next, store.ui);
    store.reset(view.run);
    // A call that failed on the model may mean the server went away: ask now rather than at the next poll (the
    // subscription ends with the feed, which is closed when its view is).
    next.subscribe((event) => {
      if (event?.type === 'slot_error' && event.code !== 'aborted') pollHealth();
    });
    store.dispatch({ type: 'breakpoints', names: feed.controls.breakpoints?.() ?? [] });
    feed.start((error) => flash(oneLine(error), 'error'));
    pollHealth();
  };

  /** Close the top view and show the one below as it is now. */
  const back = async () => {
    const left = views.pop();
    if (!left) return;
    feed = views.top.feed;
    store.restore(views.top.run, views.top.ui ?? store.ui);
    store.dispatch({ type: 'breakpoints', names: feed.controls.breakpoints?.() ?? [] });
    pollHealth();
    await left.feed.close('left for the view it was opened from');
    // The run just left is in the index now: the welcome screen lists it.
    if (feed.kind === 'none' && options.readRecentSessions) {
      recent = await options.readRecentSessions().catch(() => recent);
      store.touch();
    }
  };

  const finish = async (code: number, reason?: string) => {
    scheduler.stop();
    clearInterval(healthTimer);
    process.off('uncaughtException', crash);
    process.off('unhandledRejection', crash);
    // Terminal first, so a slow shutdown never leaves the person staring at a frozen screen.
    shell.destroy();
    try {
      await cancelJobs(reason ?? 'the workbench was closed');
      for (const view of views.clear()) await view.feed.close(reason);
    } catch (error) {
      process.stderr.write(`slotbench: closing the session: ${oneSafeLine(oneLine(error))}\n`);
      code = code || 1;
    }
    resolveDone(code);
    return done;
  };

  function crash(error: unknown): void {
    shell.destroy();
    flushAllSessions();
    process.stderr.write(`slotbench: ${oneSafeLine(oneLine(error))} (this is a bug; the session file is complete up to the crash)\n`);
    if (env.SLOTBENCH_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    process.exit(70);
  }
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  const runExternal: ExternalRunner = (file, args, childEnv) => shell.runExternal(file, args, childEnv);

  const api: WorkbenchApi = {
    get run() {
      return store.run;
    },
    get ui() {
      return store.ui;
    },
    get feed() {
      return feed;
    },
    get feedKind() {
      return feed.kind;
    },
    get theme() {
      return theme;
    },
    get panel() {
      return panel;
    },
    cwd: options.cwd ?? process.cwd(),
    ...(options.problems ? { problems: options.problems } : {}),
    can: (capability) => feed.controls[capability] !== undefined,
    blocked: (capability) => feed.blocked?.(capability),
    ...(options.sessionsDir ? { sessionsDir: options.sessionsDir } : {}),
    get depth() {
      return views.depth;
    },
    get jobs() {
      return jobLines();
    },
    dispatch: store.dispatch,
    flash,
    startJob(job) {
      jobs.add(job);
      return () => {
        jobs.delete(job);
        scheduler.request();
      };
    },
    cancelJobs,
    quit(force = false) {
      if (quitting) return;
      if (!force && (views.all.some((view) => view.feed.kind === 'engine' && view.run.streamingSlot) || jobs.size > 0)) {
        store.dispatch({ type: 'overlay', overlay: 'confirm-quit' });
        return;
      }
      quitting = true;
      void finish(0);
    },
    async openProblem(dataset, id) {
      if (!options.openProblem) throw new UserError(':open is not available in this mode');
      const from = dataset ?? feed.problem?.dataset;
      if (!from) throw new UserError(':open needs a dataset here: :open DATASET PROBLEM-ID');
      flash(`opening ${id}…`);
      const next = await options.openProblem(from, id, feed);
      attach(next);
      flash(`opened ${id}: paused before the first slot (s steps${views.depth > 1 ? ', q goes back' : ''})`);
    },
    async editPrompt() {
      const waiting = nextCall(store.run, store.ui);
      if (waiting && feed.controls.overrideNext) {
        const edited = await editText(waiting.request.prompt, `next-${waiting.slotName}`, env, runExternal);
        if (edited === undefined) return flash('prompt unchanged');
        feed.controls.overrideNext({ prompt: edited });
        return flash(`the next ${waiting.slotName} call sends the edited prompt: s runs it, p shows it`);
      }
      const slot = shownSlot(store.run, store.ui);
      if (!slot?.request) throw new UserError('no request to edit yet: step into a slot first (s)');
      // Frames drawn while the editor owns the terminal go nowhere (blessed mutes its output), and blessed
      // repaints everything when it takes the terminal back.
      const edited = await editText(slot.request.prompt, `${slot.id}-${slot.name}`, env, runExternal);
      if (edited === undefined) return flash('prompt unchanged: not re-run');
      const overrides = { ...rerunOverrides(slot, feed.controls.settings!()), prompt: edited };
      feed.controls.rerun!(slot.id, overrides);
      store.dispatch({ type: 'select', slotId: undefined });
      flash(`re-running ${slot.id} with the edited prompt`);
    },
    async setTheme(name) {
      theme = themeForDepth(await loadTheme(name), shell.depth);
      scheduler.request();
    },
    themeNames: () => options.themeNames ?? ['dark', 'light', 'high-contrast', 'mono'],
    showPanel(next) {
      panel = next;
      store.dispatch({ type: 'overlay', overlay: 'panel' });
    },
    paneBody: (pane) => paneBody(frameInput(), pane),
    confirm(question, onYes, declined = 'nothing done') {
      pending = { onYes, declined };
      store.dispatch({ type: 'confirm', question });
    },
    async answer(yes) {
      const asked = pending;
      pending = undefined;
      store.dispatch({ type: 'confirm', question: undefined });
      if (!asked) return;
      if (yes) await asked.onYes();
      else flash(asked.declined);
    },
    recording: () =>
      [...views.all.flatMap(({ feed: f }) => (f.kind === 'engine' && f.sessionPath ? [f.sessionPath] : [])), ...(options.recording?.() ?? [])].map((p) =>
        resolve(p),
      ),
    back() {
      if (quitting) return;
      if (views.depth < 2) return api.quit();
      if (!liveRunGoing(views.top)) return void back();
      const what = feed.problem?.id ?? 'this run';
      api.confirm(`leave the live run of ${what}? it ends as aborted (the session keeps everything recorded)`, back, `still on ${what}`);
    },
    forgetSession(path) {
      const dir = options.sessionsDir ?? '';
      recent = recent.filter((row) => resolve(dir, row.file) !== resolve(path));
      store.dispatch({ type: 'welcome-row', row: Math.min(store.ui.welcomeRow, Math.max(0, recent.length - 1)) });
    },
    ...(options.openDemo ? { openDemo: async () => attach(await options.openDemo!()) } : {}),
    openFeed: attach,
    ...(options.openSession
      ? {
          openSession: async (file: string) => {
            attach(await options.openSession!(file));
          },
        }
      : {}),
  };

  const welcome: WelcomeList = {
    get count() {
      return feed.kind === 'none' && options.openSession ? recent.length : 0;
    },
    open: async (row) => {
      const session = recent[row];
      if (session && api.openSession) await api.openSession(session.file);
    },
  };

  shell.onKey((ch, key) => {
    if (quitting) return;
    void handleKey(api, keys(), registry, keyName(ch, key), welcome);
  });
  shell.onResize(() => scheduler.flush());

  attach(feed);
  scheduler.flush();

  return {
    store,
    get feed() {
      return feed;
    },
    get frames() {
      return scheduler.frames;
    },
    done,
    api,
    registerCommand: (command) => registry.register(command),
    close: async (reason) => {
      if (!quitting) {
        quitting = true;
        await finish(0, reason);
      }
      return done;
    },
  };
}
