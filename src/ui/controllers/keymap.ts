// The key table: every key as data (keys, description, why it is disabled now, status-bar label, what it does).

import type { SlotOverrides } from '../../core/sampling.js';
import type { SlotView } from '../../state/run-state.js';
import { nextCall, shownSlot } from '../../state/selectors.js';
import type { FeedSettings, KeyBinding, KeyContext } from '../common/contracts.js';
import { INSPECT_KEYS, INSPECT_TOGGLE } from './inspect-keys.js';
import { move, searchNext } from './navigation.js';
import { openSessionBrowser } from './session-browser.js';
import { ZOOM_KEY } from './zoom.js';

function replayReason(ctx: KeyContext, what: string): string | undefined {
  if (ctx.feedKind === 'none') return 'no problem is open: :open DATASET PROBLEM-ID';
  if (ctx.feedKind === 'replay') return `this is a replay: ${what} needs a live engine (slotbench tui --dataset … --problem …)`;
  return `${what} is not available here`;
}

/** Why the feed cannot do `what` now: it does not offer it at all, or not at this moment. */
function needs(ctx: KeyContext, capability: Parameters<KeyContext['can']>[0], what: string): string | undefined {
  return ctx.can(capability) ? ctx.blocked?.(capability) : replayReason(ctx, what);
}

function finished(ctx: KeyContext): boolean {
  return ctx.run.branches.get(ctx.run.currentBranch)?.finished !== undefined;
}

/** Stepping a live engine needs it waiting before a slot; a replay steps whenever it likes. */
function notPaused(ctx: KeyContext): string | undefined {
  if (ctx.feedKind !== 'engine' || ctx.run.paused) return undefined;
  if (ctx.run.streamingSlot) return 'a slot is streaming: wait for it, or abort it with x';
  if (finished(ctx)) return 'the flow has finished: re-run a slot with r to branch';
  return ctx.run.header ? 'the flow is running (tests or parsing): it pauses at the next slot after space' : 'the engine is starting';
}

function slotToRerun(ctx: KeyContext): string | undefined {
  const slot = shownSlot(ctx.run, ctx.ui);
  if (!slot) return 'no slot has run yet: step into one first (s)';
  if (slot.status === 'streaming') return `${slot.id} is still streaming: wait for it, or abort it with x`;
  return undefined;
}

/** Only what the person changed since the slot ran, so the branch event says exactly what differs. */
export function rerunOverrides(slot: SlotView, settings: FeedSettings): SlotOverrides {
  const overrides: SlotOverrides = {};
  const sampling = slot.request?.sampling;
  if (sampling && settings.sampling.temperature !== sampling.temperature) overrides.temperature = settings.sampling.temperature;
  if (sampling && settings.sampling.seed !== undefined && settings.sampling.seed !== sampling.seed) overrides.seed = settings.sampling.seed;
  if (sampling && (settings.sampling.n_probs ?? 0) !== (sampling.n_probs ?? 0)) overrides.n_probs = settings.sampling.n_probs ?? 0;
  if (slot.model && settings.model !== slot.model) overrides.model = settings.model;
  return overrides;
}

export function describeOverrides(overrides: SlotOverrides): string {
  const parts = Object.entries(overrides).map(([key, value]) => (key === 'prompt' ? 'edited prompt' : `${key === 'temperature' ? 'T' : key}=${value}`));
  return parts.length ? ` with ${parts.join(', ')}` : ' with the same settings';
}

function breakpointTarget(ctx: KeyContext): string | undefined {
  return shownSlot(ctx.run, ctx.ui)?.name ?? ctx.run.paused?.slotName;
}

const blocked = (ctx: KeyContext) => (ctx.feedKind === 'none' ? 'no problem is open: :open DATASET PROBLEM-ID' : undefined);

/** The built-in keys, in the order the status bar and help list them. */
export const KEYMAP: KeyBinding[] = [
  {
    id: 'step',
    keys: ['s'],
    description: 'run the next slot, then pause again',
    bar: 'step',
    needs: 'step',
    disabledReason: (ctx) => needs(ctx, 'step', 'stepping') ?? notPaused(ctx),
    run: (api) => {
      api.dispatch({ type: 'select', slotId: undefined });
      api.feed.controls.step!();
    },
  },
  {
    id: 'continue',
    keys: ['c'],
    description: 'run to the end of the flow or the next breakpoint',
    bar: 'continue',
    needs: 'continue',
    disabledReason: (ctx) => needs(ctx, 'continue', 'continuing') ?? notPaused(ctx),
    run: (api) => {
      api.dispatch({ type: 'select', slotId: undefined });
      api.feed.controls.continue!();
    },
  },
  {
    id: 'pause',
    keys: ['space'],
    description: 'pause before the next slot',
    needs: 'pause',
    disabledReason: (ctx) =>
      needs(ctx, 'pause', 'pausing') ??
      (ctx.feedKind !== 'engine' ? undefined : ctx.run.paused ? 'already paused' : finished(ctx) ? 'the flow has finished' : undefined),
    run: (api) => {
      api.feed.controls.pause!();
      api.flash('will pause before the next slot');
    },
  },
  {
    id: 'breakpoint',
    keys: ['b'],
    description: "toggle a breakpoint on the shown slot's name (the engine pauses before every slot of that name)",
    bar: 'break',
    needs: 'toggleBreakpoint',
    disabledReason: (ctx) => needs(ctx, 'toggleBreakpoint', 'breakpoints') ?? (breakpointTarget(ctx) ? undefined : 'no slot to break on yet'),
    run: (api) => {
      const name = breakpointTarget(api)!;
      const on = api.feed.controls.toggleBreakpoint!(name);
      api.dispatch({ type: 'breakpoints', names: api.feed.controls.breakpoints?.() ?? [] });
      api.flash(`breakpoint on ${name} ${on ? 'set' : 'cleared'}`);
    },
  },
  {
    id: 'rerun',
    keys: ['r'],
    description: 're-run the shown slot as a new branch, with the temperature/seed/model in force',
    bar: 'rerun',
    needs: 'rerun',
    disabledReason: (ctx) => needs(ctx, 'rerun', 're-running a slot') ?? slotToRerun(ctx),
    run: (api) => {
      const slot = shownSlot(api.run, api.ui)!;
      const overrides = rerunOverrides(slot, api.feed.controls.settings!());
      api.feed.controls.rerun!(slot.id, overrides);
      api.dispatch({ type: 'select', slotId: undefined });
      api.flash(`re-running ${slot.id}${describeOverrides(overrides)}`);
    },
  },
  {
    id: 'edit',
    keys: ['e'],
    description: "edit a prompt in $EDITOR: paused, the next call's before it is sent; else the shown slot's, re-run with it as a branch",
    bar: 'edit',
    needs: 'rerun',
    disabledReason: (ctx) => needs(ctx, 'rerun', 'editing a prompt') ?? (nextCall(ctx.run, ctx.ui) ? undefined : slotToRerun(ctx)),
    run: (api) => api.editPrompt(),
  },
  {
    id: 'abort',
    keys: ['x', 'C-x'],
    description: 'abort the streaming slot (re-run it with r to branch), else cancel a running probe (what it sampled is kept)',
    bar: 'abort',
    needs: 'abort',
    disabledReason: (ctx) => {
      if (ctx.run.streamingSlot && ctx.can('abort')) return undefined;
      if (ctx.jobs?.length) return undefined;
      return needs(ctx, 'abort', 'aborting') ?? 'no slot is streaming and no probe is running';
    },
    run: async (api) => {
      if (api.run.streamingSlot && api.can('abort')) {
        api.feed.controls.abort!();
        return api.flash(`aborting ${api.run.streamingSlot}`);
      }
      const running = api.jobs ?? [];
      api.flash(`cancelling ${running.join(', ')}…`);
      await api.cancelJobs('cancelled with x');
      api.flash(`cancelled ${running.join(', ')}: the samples finished so far are kept`);
    },
  },
  {
    id: 'temperature',
    keys: ['t'],
    description: 'set the temperature for the next slots (:temp T)',
    bar: 'temp',
    needs: 'configure',
    disabledReason: (ctx) => needs(ctx, 'configure', 'changing settings'),
    run: (api) => api.dispatch({ type: 'input', input: { kind: 'command', text: 'temp ' } }),
  },
  {
    id: 'seed',
    keys: ['S'],
    description: 'set the seed for the next slots (:seed N, or :seed none)',
    disabledReason: (ctx) => needs(ctx, 'configure', 'changing settings'),
    run: (api) => api.dispatch({ type: 'input', input: { kind: 'command', text: 'seed ' } }),
  },
  {
    id: 'model',
    keys: ['m'],
    description: 'switch the next slots to the next configured model (:model NAME picks one)',
    disabledReason: (ctx) => needs(ctx, 'configure', 'changing the model'),
    run: (api) => {
      const names = api.feed.controls.modelNames?.() ?? [];
      if (names.length < 2) return api.flash(`only one model is configured (${names.join(', ')}): add more in slotbench.config.json`, 'error');
      const current = api.feed.controls.settings!().model;
      const next = names[(names.indexOf(current) + 1) % names.length];
      api.feed.controls.configure!({ model: next });
      api.flash(`model for the next slots: ${next}`);
    },
  },
  {
    id: 'prompt',
    keys: ['p'],
    description: 'show the exact request (prompt and every sampling parameter): paused, of the next call before it is sent; else of the shown slot',
    bar: 'prompt',
    disabledReason: (ctx) => (shownSlot(ctx.run, ctx.ui) || nextCall(ctx.run, ctx.ui) ? undefined : ctx.run.header ? 'no slot has run yet' : 'the engine is starting'),
    run: (api) => api.dispatch({ type: 'overlay', overlay: 'prompt' }),
  },
  {
    id: 'sessions',
    keys: ['o'],
    description: 'browse the recorded sessions: sort, filter, open one in replay, delete one (:sessions)',
    disabledReason: (ctx) => (ctx.sessionsDir ? undefined : 'no sessions folder here: slotbench tui lists ./sessions'),
    run: (api) => openSessionBrowser(api),
  },
  {
    id: 'shading',
    keys: ['v'],
    description: 'shade streamed tokens by probability (needs n_probs: :nprobs 5)',
    disabledReason: blocked,
    run: (api) => {
      api.dispatch({ type: 'toggle-shading' });
      const nProbs = api.feed.controls.settings?.().sampling.n_probs ?? 0;
      if (api.ui.shading && nProbs === 0) api.flash('shading on; slots need n_probs to have probabilities: :nprobs 5, then re-run');
    },
  },
  INSPECT_TOGGLE,
  ...INSPECT_KEYS,
  ZOOM_KEY,
  {
    id: 'focus-next',
    keys: ['tab'],
    description: 'focus the next pane',
    disabledReason: blocked,
    run: (api) => api.dispatch({ type: 'focus-step', by: 1 }),
  },
  {
    id: 'focus-prev',
    keys: ['S-tab'],
    description: 'focus the previous pane',
    disabledReason: blocked,
    run: (api) => api.dispatch({ type: 'focus-step', by: -1 }),
  },
  { id: 'down', keys: ['down', 'j'], description: 'scroll down (plan: next slot)', run: (api) => move(api, 1) },
  { id: 'up', keys: ['up', 'k'], description: 'scroll up (plan: previous slot)', run: (api) => move(api, -1) },
  { id: 'page-down', keys: ['pagedown', 'C-d'], description: 'scroll a page down', run: (api) => move(api, 'page-down') },
  { id: 'page-up', keys: ['pageup', 'C-u'], description: 'scroll a page up', run: (api) => move(api, 'page-up') },
  { id: 'top', keys: ['g', 'home'], description: 'go to the top', run: (api) => move(api, 'top') },
  { id: 'bottom', keys: ['G', 'end'], description: 'go to the bottom (stream: follow new tokens)', run: (api) => move(api, 'bottom') },
  {
    id: 'follow',
    keys: ['escape'],
    description: 'close an overlay, go back to following the live slot, or go back a view',
    run: (api) => {
      if (api.ui.overlay) api.dispatch({ type: 'overlay', overlay: undefined });
      else if (api.ui.selectedSlot || (api.depth ?? 1) < 2) api.dispatch({ type: 'select', slotId: undefined });
      else api.back();
    },
  },
  {
    id: 'search',
    keys: ['/'],
    description: 'search in the focused pane',
    disabledReason: blocked,
    run: (api) => api.dispatch({ type: 'input', input: { kind: 'search', text: '' } }),
  },
  {
    id: 'search-next',
    keys: ['n'],
    description: 'next search match',
    disabledReason: (ctx) => (ctx.ui.search ? undefined : 'no search yet: press / to search'),
    run: (api) => searchNext(api, 1),
  },
  {
    id: 'search-prev',
    keys: ['N'],
    description: 'previous search match',
    disabledReason: (ctx) => (ctx.ui.search ? undefined : 'no search yet: press / to search'),
    run: (api) => searchNext(api, -1),
  },
  {
    id: 'command',
    keys: [':'],
    description: 'command line (:help lists the commands)',
    bar: 'cmd',
    run: (api) => api.dispatch({ type: 'input', input: { kind: 'command', text: '' } }),
  },
  {
    id: 'help',
    keys: ['?'],
    description: 'show every key and : command (this list)',
    bar: 'help',
    run: (api) => api.dispatch({ type: 'overlay', overlay: api.ui.overlay === 'help' ? undefined : 'help' }),
  },
  {
    id: 'back',
    keys: ['q'],
    description: 'back to the view this one was opened from (asks before leaving a live run still going); in the first view, quit',
    bar: 'quit',
    barNow: (ctx) => ((ctx.depth ?? 1) > 1 ? 'back' : 'quit'),
    run: (api) => api.back(),
  },
  {
    id: 'quit',
    keys: ['C-c'],
    description: 'quit from any view (asks first while a slot streams; every session file is complete either way)',
    run: (api) => api.quit(),
  },
];

/**
 * The binding for a key name, if any: a mode's key in play now wins over the key's usual meaning (`ctx` absent =
 * outside every mode).
 */
export function bindingFor(keys: KeyBinding[], name: string, ctx?: KeyContext): KeyBinding | undefined {
  const named = keys.filter((binding) => binding.keys.includes(name));
  return named.find((binding) => binding.active && ctx !== undefined && binding.active(ctx)) ?? named.find((binding) => !binding.active);
}

