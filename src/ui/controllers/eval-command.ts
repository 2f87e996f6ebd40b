// `:eval RUN [RUN_B]` and the eval view's place in the workbench: one view at a time, followed live, Esc back from a replay.

import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { MANIFEST_FILE } from '../../eval/run-dir.js';
import { EvalRunSource } from '../../eval/run-view.js';
import type { KeyBinding, LineCommand, WorkbenchApi } from '../common/contracts.js';
import { evalView, type EvalView, type EvalViewOptions, type EvalViewRun } from './eval-view-panel.js';
import { bindingFor, KEYMAP } from './keymap.js';

/** How often a shown eval's results.jsonl is checked for new rows (ms). */
export const EVAL_POLL_MS = 1000;

/** What a composition root installs: the `:eval` command and the key that comes back from a replay. */
export interface EvalMode {
  command: LineCommand;
  keys: KeyBinding[];
  /** Open run directories (relative to the workbench's folder) and show the view; bad input is a UserError. */
  open(api: WorkbenchApi, dirs: string[]): EvalView;
  /** Show runs opened already (the `view` command checks them before the screen opens). */
  show(api: WorkbenchApi, runs: EvalViewRun[], options?: EvalViewOptions): EvalView;
}

/** Open one or two run directories, each named as the person typed it. */
export function openRuns(cwd: string, dirs: string[]): EvalViewRun[] {
  if (dirs.length < 1 || dirs.length > 2) throw new UserError(':eval needs one run directory, or two to compare: :eval RUN [RUN_B]');
  return dirs.map((dir) => ({ source: EvalRunSource.open(resolve(cwd, dir)), label: dir }));
}

/** Run directories (holding a manifest.json) in the folder being typed, for Tab: `evals/` then Tab lists its runs. */
function runDirs(cwd: string, typed: string): string[] {
  const slash = typed.lastIndexOf('/');
  const parent = typed.slice(0, slash + 1);
  try {
    return readdirSync(resolve(cwd, parent || '.'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && `${parent}${entry.name}`.startsWith(typed))
      .map((entry) => `${parent}${entry.name}`)
      .filter((dir) => existsSync(join(resolve(cwd, dir), MANIFEST_FILE)))
      .sort();
  } catch {
    return [];
  }
}

export function evalMode(pollMs = EVAL_POLL_MS): EvalMode {
  let current: EvalView | undefined;
  let timer: NodeJS.Timeout | undefined;
  const follow = bindingFor(KEYMAP, 'escape')!;

  const show: EvalMode['show'] = (api, [a, b], options) => {
    const view = evalView(a, b, options);
    current = view;
    clearInterval(timer);
    // A running eval appends rows: they show as they come. Nothing is read while the files stay the same size.
    timer = setInterval(() => {
      try {
        view.poll(api);
      } catch (error) {
        clearInterval(timer);
        api.flash(`stopped following the eval: ${(error as Error).message}`, 'error');
      }
    }, pollMs);
    timer.unref();
    api.showPanel(view.panel);
    return view;
  };

  const back: KeyBinding = {
    ...follow,
    id: 'eval-back-from-replay',
    description: `${follow.description}; in a replay opened from the eval view, back to the eval view`,
    run: (api) => {
      const from = current?.opened;
      if (!api.ui.overlay && from && api.feed.kind === 'replay' && api.feed.sessionPath && resolve(api.feed.sessionPath) === resolve(from)) {
        // The replay was opened over the view the eval came from: close it, then show the eval again.
        if ((api.depth ?? 1) > 1) api.back();
        api.showPanel(current!.panel);
        return;
      }
      return follow.run(api);
    },
  };

  const command: LineCommand = {
    name: 'eval',
    usage: 'eval RUN [RUN_B]',
    description: "an eval's results (filter, sort, search, open a session), live while it runs; with RUN_B the paired comparison",
    complete: (api, args) => runDirs(api.cwd, args.at(-1) ?? ''),
    run: (args, api) => {
      show(api, openRuns(api.cwd, args));
    },
  };
  return { command, keys: [back], show, open: (api, dirs) => show(api, openRuns(api.cwd, dirs)) };
}
