// The workbench's own `:` commands: settings for the next slots, opening problems and sessions, comparing, saving, help.

import { UserError } from '../../core/errors.js';
import type { WorkbenchApi } from '../common/contracts.js';
import { ANNOTATE_COMMANDS } from './annotate-commands.js';
import { numberArg, type CommandRegistry } from './command-line.js';
import { type LineCommand } from '../common/contracts.js';
import { DIFF_COMMAND } from './compare-command.js';
import { PROGRAM_COMMAND, WRITE_COMMAND } from './program-command.js';
import { SET_COMMAND } from './sampling-command.js';
import { openSessionBrowser } from './session-browser.js';
import { completeOpen, PROBLEMS_COMMAND } from './problem-picker.js';

function live(what: string) {
  return (api: WorkbenchApi): string | undefined => {
    if (api.can('configure')) return undefined;
    return api.feedKind === 'none' ? 'no problem is open: :open DATASET PROBLEM-ID' : `this is a replay: ${what} needs a live engine`;
  };
}

const SETTINGS = live('changing settings');

export const BUILTIN_COMMANDS: LineCommand[] = [
  {
    name: 'temp',
    aliases: ['temperature'],
    usage: 'temp T',
    description: 'temperature for the next slots (0 = greedy); r re-runs the shown slot with it',
    disabledReason: SETTINGS,
    run: ([value], api) => {
      const temperature = numberArg('temp', value, (n) => n >= 0 && n <= 10, 'a number from 0 to 10');
      api.feed.controls.configure!({ sampling: { temperature } });
      api.flash(`temperature for the next slots: ${temperature}`);
    },
  },
  {
    name: 'seed',
    usage: 'seed N|none',
    description: 'fixed sampling seed for the next slots, or none for the server default',
    complete: () => ['none'],
    disabledReason: SETTINGS,
    run: ([value], api) => {
      if (value === 'none') {
        api.feed.controls.configure!({ sampling: { seed: undefined } });
        return api.flash('seed for the next slots: server default (random)');
      }
      const seed = numberArg('seed', value, (n) => Number.isInteger(n) && n >= 0 && n <= 0xffffffff, 'an integer from 0 to 4294967295, or none');
      api.feed.controls.configure!({ sampling: { seed } });
      api.flash(`seed for the next slots: ${seed}`);
    },
  },
  {
    name: 'model',
    usage: 'model NAME',
    description: 'configured model for the next slots',
    complete: (api) => api.feed.controls.modelNames?.() ?? [],
    disabledReason: live('changing the model'),
    run: ([name], api) => {
      const names = api.feed.controls.modelNames?.() ?? [];
      if (!name || !names.includes(name)) {
        throw new UserError(`:model needs one of the configured models: ${names.join(', ')}${name ? ` (not "${name}")` : ''}`);
      }
      api.feed.controls.configure!({ model: name });
      api.flash(`model for the next slots: ${name}`);
    },
  },
  {
    name: 'attempts',
    usage: 'attempts N',
    description: 'retry budget of the flow (attempts after a failed test)',
    disabledReason: SETTINGS,
    run: ([value], api) => {
      const attempts = numberArg('attempts', value, (n) => Number.isInteger(n) && n >= 1 && n <= 100, 'an integer from 1 to 100');
      api.feed.controls.configure!({ attempts });
      api.flash(`attempts: ${attempts}`);
    },
  },
  {
    name: 'nprobs',
    usage: 'nprobs N',
    description: 'token probabilities to stream (0 = off); v shades tokens by them',
    disabledReason: SETTINGS,
    run: ([value], api) => {
      const nProbs = numberArg('nprobs', value, (n) => Number.isInteger(n) && n >= 0 && n <= 100, 'an integer from 0 to 100');
      api.feed.controls.configure!({ sampling: { n_probs: nProbs } });
      api.flash(`n_probs for the next slots: ${nProbs}`);
    },
  },
  {
    name: 'break',
    usage: 'break SLOT-NAME',
    description: 'toggle a breakpoint on a slot name, even one that has not run yet',
    complete: (api) => api.feed.slotNames ?? [],
    disabledReason: (api) => (api.can('toggleBreakpoint') ? undefined : 'breakpoints need a live engine or a replay'),
    run: ([name], api) => {
      const names = api.feed.slotNames ?? [];
      if (!name || (names.length > 0 && !names.includes(name))) {
        throw new UserError(`:break needs a slot name of this flow: ${names.join(', ')}`);
      }
      const on = api.feed.controls.toggleBreakpoint!(name);
      api.dispatch({ type: 'breakpoints', names: api.feed.controls.breakpoints?.() ?? [] });
      api.flash(`breakpoint on ${name} ${on ? 'set' : 'cleared'}`);
    },
  },
  {
    name: 'open',
    usage: 'open [DATASET] PROBLEM-ID',
    description: 'open another problem (same dataset unless given): new engine, new session; Tab completes datasets and ids',
    complete: completeOpen,
    run: async (args, api) => {
      if (args.length === 0 || args.length > 2) throw new UserError(':open needs PROBLEM-ID, or DATASET PROBLEM-ID');
      const [dataset, id] = args.length === 2 ? args : [undefined, args[0]];
      await api.openProblem(dataset, id);
    },
  },
  {
    name: 'sessions',
    usage: 'sessions',
    description: 'browse the recorded sessions (as o does): sort, filter, replay, compare, delete',
    disabledReason: (api) => (api.sessionsDir ? undefined : 'no sessions folder here: slotbench tui lists ./sessions'),
    run: (_args, api) => openSessionBrowser(api),
  },
  ...ANNOTATE_COMMANDS,
  SET_COMMAND,
  PROGRAM_COMMAND,
  WRITE_COMMAND,
  DIFF_COMMAND,
  PROBLEMS_COMMAND,
  {
    name: 'save',
    aliases: ['w'],
    usage: 'save',
    description: 'flush the session file to disk and say where it is',
    disabledReason: (api) => (api.can('flush') ? undefined : 'nothing is being recorded'),
    run: (_args, api) => {
      api.feed.controls.flush!();
      api.flash(`session saved: ${api.feed.sessionPath} (${api.run.eventCount} events)`);
    },
  },
  {
    name: 'theme',
    usage: 'theme NAME',
    description: 'switch the colour theme',
    complete: (api) => api.themeNames(),
    run: async ([name], api) => {
      if (!name) throw new UserError(`:theme needs a name: ${api.themeNames().join(', ')}`);
      await api.setTheme(name);
      api.flash(`theme: ${name}`);
    },
  },
  {
    name: 'help',
    aliases: ['h'],
    usage: 'help',
    description: 'keys and commands',
    run: (_args, api) => api.dispatch({ type: 'overlay', overlay: 'help' }),
  },
  {
    name: 'quit',
    aliases: ['q'],
    usage: 'quit',
    description: 'quit (the session file is complete)',
    run: (_args, api) => api.quit(),
  },
];

export function registerBuiltins(registry: CommandRegistry): CommandRegistry {
  for (const command of BUILTIN_COMMANDS) registry.register(command);
  return registry;
}
