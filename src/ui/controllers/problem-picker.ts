// The problem picker (`:problems [DATASET]`): a dataset's problems, fuzzy-filtered as typed, the prompt previewed, Enter opens one; and `:open` completion.

import { oneLine, UserError } from '../../core/errors.js';
import type { KeyBinding, KeyContext, LineCommand, Panel, ProblemEntry, WorkbenchApi } from '../common/contracts.js';
import { keyHints } from '../panes/status-bar.js';
import { pickProblems, renderProblems } from '../panes/problems-pane.js';
import { closePanelKey, filterListKey, listKeys } from './list-keys.js';

/** The filter in force: the one being typed, else the one kept. */
function filterOf(ui: KeyContext['ui']): string {
  return ui.input?.kind === 'filter' ? ui.input.text.trim() : ui.browser.filter;
}

export function problemsPanel(api: WorkbenchApi, dataset: string, entries: ProblemEntry[]): Panel {
  const shown = (ctx: Pick<KeyContext, 'ui'>) => pickProblems(entries, filterOf(ctx.ui));
  const picked = (ctx: KeyContext) => {
    const rows = shown(ctx);
    return rows[Math.min(ctx.ui.panelRow, rows.length - 1)];
  };
  const keys: KeyBinding[] = [
    ...listKeys('problems', { count: (ctx) => shown(ctx).length, page: 10 }),
    {
      id: 'problems-open',
      keys: ['enter'],
      description: 'open the picked problem: a live run, paused before its first slot',
      bar: 'open',
      disabledReason: (ctx) => (picked(ctx) ? undefined : 'no problem picked'),
      run: async (api) => {
        const entry = picked(api)!;
        api.dispatch({ type: 'overlay', overlay: undefined });
        await api.openProblem(dataset, entry.id);
      },
    },
    filterListKey('problems', 'fuzzy-filter by id, entry point or statement'),
    closePanelKey('problems', 'the picker'),
  ];
  return {
    title: 'Problems',
    keys,
    render: (size) => {
      const rows = shown(size);
      const vm = { dataset, total: entries.length, rows, selected: Math.max(0, Math.min(size.ui.panelRow, rows.length - 1)), filter: filterOf(size.ui), hints: keyHints(keys, api) };
      return renderProblems(vm, size);
    },
  };
}

/** The dataset a command means: the one given, else the open problem's, else the first configured. */
function datasetFor(api: WorkbenchApi, given: string | undefined): string {
  const dataset = given ?? api.feed.problem?.dataset ?? api.problems?.datasets('')[0];
  if (!dataset) throw new UserError(':problems needs a dataset: :problems PATH-OR-NAME (Tab completes)');
  return dataset;
}

export const PROBLEMS_COMMAND: LineCommand = {
  name: 'problems',
  usage: 'problems [DATASET]',
  description: "list a dataset's problems (the open one's by default): fuzzy filter, preview the prompt, Enter opens one",
  disabledReason: (api) => (api.problems ? undefined : 'no datasets here'),
  complete: (api, args) => (args.length === 1 ? (api.problems?.datasets(args[0]) ?? []) : []),
  run: async (args, api) => {
    if (args.length > 1) throw new UserError(':problems takes one dataset at most');
    const dataset = datasetFor(api, args[0]);
    api.flash(`reading ${dataset}…`);
    const entries = await api.problems!.load(dataset);
    // The picker starts unfiltered (the filter line is shared with the session browser).
    api.dispatch({ type: 'browser', filter: '' });
    api.showPanel(problemsPanel(api, dataset, entries));
    api.flash(`${entries.length} problems: / filters, Enter opens`);
  },
};

/** `:open` completion: datasets (names and paths) or, after one, its problem ids (read on the first Tab). */
export function completeOpen(api: WorkbenchApi, args: string[]): string[] {
  const source = api.problems;
  if (!source) return [];
  const ids = (dataset: string): string[] => {
    const cached = source.cached(dataset);
    if (cached) return cached.map((p) => p.id);
    source.load(dataset).then(
      (entries) => api.flash(`${dataset}: ${entries.length} problems read: Tab completes their ids`),
      (error) => api.flash(oneLine(error), 'error'),
    );
    return [];
  };
  if (args.length === 1) {
    const open = api.feed.problem?.dataset;
    return [...source.datasets(args[0]), ...(open && source.cached(open) ? ids(open) : [])];
  }
  return args.length === 2 ? ids(args[0]) : [];
}
