// `slotbench view RUN [RUN_B]`: the eval view in the workbench, on its own (q quits); the runs are checked before the screen opens.

import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { VIEW_SPEC } from '../command-specs.js';
import type { Command } from '../io.js';
import { parseCommand } from '../options.js';

export const viewCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommand(VIEW_SPEC, argv);
  const [{ evalMode, openRuns }, { openWorkbench }, { replayFeed }, { emptyFeed }, { readSession }, theme, { loadConfig }] = await Promise.all([
    import('../../ui/controllers/eval-command.js'),
    import('../../ui/workbench.js'),
    import('../../ui/replay-feed.js'),
    import('../../ui/feed.js'),
    import('../../session/reader.js'),
    import('../../ui/common/theme.js'),
    import('../../config/config.js'),
  ]);
  // Bad input is one line before anything draws.
  const runs = openRuns(io.cwd, positionals);
  if (!io.stdout.isTTY) throw new UserError('the eval view needs a terminal (stdout is not one): `slotbench compare A B` prints a comparison as text');
  const config = await loadConfig(io.cwd).catch(() => undefined);
  const mode = evalMode();
  const names = positionals.join(' ↔ ');
  const workbench = openWorkbench({
    feed: { ...emptyFeed(), describe: () => `eval view: ${names}` },
    theme: await theme.loadTheme(theme.chooseThemeName(values.theme, config?.theme, io.env), io.cwd),
    env: io.env,
    cwd: io.cwd,
    openSession: async (file) => replayFeed(await readSession(resolve(io.cwd, file)), { atEnd: true }),
    keys: mode.keys,
    commands: [mode.command],
    themeNames: await theme.themeNames(),
  });
  mode.show(workbench.api, runs, { root: true });
  return workbench.done;
};
