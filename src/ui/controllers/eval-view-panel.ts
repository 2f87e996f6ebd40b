// The eval view as a panel: keys move, filter, sort and search the results; Enter opens a session (or two side by side).

import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { againstRun, type EvalRunSource } from '../../eval/run-view.js';
import { compareSessions } from '../../session/compare.js';
import { readSession } from '../../session/reader.js';
import {
  EVAL_FILTERS,
  EVAL_SORT_KEYS,
  evalRowKey,
  filterUnavailable,
  initialEvalView,
  pickedEvalRow,
  reduceEvalView,
  shownEvalRows,
  type EvalViewAction,
  type EvalViewRow,
  type EvalViewState,
} from '../../state/eval-view.js';
import { evalViewVm, renderEvalView, type EvalRunInfo } from '../panes/eval-view.js';
import { keyHints } from '../panes/status-bar.js';
import type { KeyBinding, Panel, WorkbenchApi } from '../common/contracts.js';
import { comparePanel } from './compare-command.js';
import { closePanelKey } from './list-keys.js';

/** One run directory opened for the view, and the name the person gave it. */
export interface EvalViewRun {
  source: EvalRunSource;
  label: string;
}

/** An eval view being shown: its panel, how to read on, and how to stop following the files. */
export interface EvalView {
  readonly panel: Panel;
  readonly state: EvalViewState;
  /** Read rows appended since the last poll; true when any arrived. */
  poll(api: WorkbenchApi): boolean;
  /** The session file opened from this view last (Esc in its replay comes back). */
  readonly opened?: string;
}

function info(run: EvalViewRun, done: number): EvalRunInfo {
  const m = run.source.manifest;
  return {
    dir: run.label,
    dataset: m.dataset.path.split('/').pop() ?? m.dataset.path,
    model: `${m.model.name}${m.model.label ? ' [test double]' : ''}`,
    flow: m.flow.name,
    expected: run.source.expected,
    done,
    repeat: m.repeat,
  };
}

function sessionFile(row: EvalViewRow | undefined, which: string): string {
  if (!row) throw new UserError(`${which} has no result for this problem yet`);
  if (!row.session) throw new UserError(`${which}: ${row.id} was not recorded (no session file in its row)`);
  if (!existsSync(row.session)) throw new UserError(`${which}: the session file of ${row.id} is gone: ${row.session}`);
  return row.session;
}

export interface EvalViewOptions {
  /** The view is the whole program (`slotbench view`): q and Esc quit rather than close it. */
  root?: boolean;
}

/** The view over one run (or two: the compare view). */
export function evalView(a: EvalViewRun, b?: EvalViewRun, options: EvalViewOptions = {}): EvalView {
  let state = reduceEvalView(initialEvalView(), { type: 'rows', rows: a.source.viewRows() });
  let opened: string | undefined;
  const compare = () => {
    if (b) state = reduceEvalView(state, { type: 'against', against: againstRun(a.source, b.source, { a: a.label, b: b.label }) });
  };
  compare();
  if (b && Object.keys(state.against?.flips ?? {}).length > 0) state = reduceEvalView(state, { type: 'filter', filter: 'flipped' });
  const update = (api: WorkbenchApi, action: EvalViewAction) => {
    state = reduceEvalView(state, action);
    // The panel row mirrors the cursor; dispatching it is also what redraws the screen.
    api.dispatch({ type: 'panel-row', row: state.cursor });
  };
  const shown = () => shownEvalRows(state);
  const none = () => (pickedEvalRow(state) ? undefined : 'no row picked');
  const go = (api: WorkbenchApi, to: (at: number, last: number) => number) => update(api, { type: 'cursor', to: to(state.cursor, shown().length - 1) });

  const back: KeyBinding = {
    id: 'eval-back',
    keys: ['escape'],
    description: 'back to the eval view',
    bar: 'back',
    run: (api) => show(api),
  };
  const keys: KeyBinding[] = [
    { id: 'eval-down', keys: ['down', 'j'], description: 'next row', bar: 'pick', run: (api) => go(api, (at) => at + 1) },
    { id: 'eval-up', keys: ['up', 'k'], description: 'previous row', run: (api) => go(api, (at) => at - 1) },
    { id: 'eval-page-down', keys: ['pagedown', 'C-d'], description: 'a page down', run: (api) => go(api, (at) => at + 10) },
    { id: 'eval-page-up', keys: ['pageup', 'C-u'], description: 'a page up', run: (api) => go(api, (at) => at - 10) },
    { id: 'eval-top', keys: ['g', 'home'], description: 'first row', run: (api) => go(api, () => 0) },
    { id: 'eval-bottom', keys: ['G', 'end'], description: 'last row', run: (api) => go(api, (_at, last) => last) },
    {
      id: 'eval-open',
      keys: ['enter'],
      description: b ? "the picked problem's two sessions side by side (Esc comes back)" : "open the picked problem's session in replay (Esc comes back)",
      bar: b ? 'sessions' : 'replay',
      disabledReason: none,
      run: async (api) => {
        const row = pickedEvalRow(state)!;
        if (b) return sideBySide(api, row);
        const file = sessionFile(row, a.label);
        if (!api.openSession) throw new UserError(`replays cannot be opened here: slotbench replay ${file}`);
        const replay = async () => {
          await api.openSession!(file);
          // From a results table, the finished run is what a person came to see; 0 goes back to its start.
          await api.feed.keys?.find((key) => key.id === 'replay-end')?.run(api);
          opened = file;
          api.flash(`replaying ${row.id} from ${a.label}: c plays, s steps a slot · Esc: back to the eval`);
        };
        // The replay opens over the current view: a live run below goes on, and Esc comes back to it.
        await replay();
      },
    },
    {
      id: 'eval-filter',
      keys: ['f'],
      description: `show the next set of rows (${EVAL_FILTERS.join(', ')}; flipped needs a second run)`,
      bar: 'filter',
      run: (api) => {
        const order = EVAL_FILTERS.filter((f) => !filterUnavailable(state, f));
        update(api, { type: 'filter', filter: order[(order.indexOf(state.filter) + 1) % order.length] });
      },
    },
    {
      id: 'eval-sort',
      keys: ['s'],
      description: `sort by the next key (${EVAL_SORT_KEYS.join(', ')})`,
      bar: 'sort',
      run: (api) => update(api, { type: 'sort', sort: EVAL_SORT_KEYS[(EVAL_SORT_KEYS.indexOf(state.sort) + 1) % EVAL_SORT_KEYS.length] }),
    },
    {
      id: 'eval-search',
      keys: ['/'],
      description: 'search ids, verdicts, classes and errors as you type (Enter keeps it, an empty one clears it)',
      bar: 'search',
      run: (api) => api.dispatch({ type: 'input', input: { kind: 'filter', text: state.search } }),
    },
    options.root
      ? { id: 'eval-quit', keys: ['q', 'escape'], description: 'quit', bar: 'quit', run: (api) => api.quit() }
      : closePanelKey('eval', 'the eval view'),
  ];

  async function sideBySide(api: WorkbenchApi, row: EvalViewRow): Promise<void> {
    const fileA = sessionFile(row, `A (${a.label})`);
    const fileB = sessionFile(state.against?.rows[evalRowKey(row)], `B (${b!.label})`);
    const [sa, sb] = await Promise.all([readSession(fileA), readSession(fileB)]);
    const panel = comparePanel(compareSessions(sa, sb), { a: 'A', b: 'B' }, `${row.id}: A ${a.label} ↔ B ${b!.label}`);
    api.showPanel({ ...panel, keys: [back] });
    api.flash(`${row.id}: A's session against B's · Esc: back to the comparison`);
  }

  function show(api: WorkbenchApi): void {
    api.showPanel(panel);
    api.dispatch({ type: 'panel-row', row: state.cursor });
  }

  const panel: Panel = {
    title: b ? 'Eval compare' : 'Eval',
    keys,
    filtered: (text, api) => update(api, { type: 'search', text }),
    render: (size) => {
      const vm = evalViewVm(state, size.ui, info(a, state.rows.length), keyHints(keys), b ? info(b, Object.keys(state.against?.rows ?? {}).length) : undefined);
      return renderEvalView(vm, size);
    },
  };

  return {
    panel,
    get state() {
      return state;
    },
    get opened() {
      return opened;
    },
    poll(api) {
      const fromA = a.source.poll();
      const fromB = b?.source.poll();
      const damaged = [...fromA.damaged, ...(fromB?.damaged ?? [])];
      if (damaged.length > 0) api.flash(`${damaged[0].file} line ${damaged[0].line} is not a result row: skipped`, 'error');
      if (fromA.added.length === 0 && (fromB?.added.length ?? 0) === 0) return false;
      state = reduceEvalView(state, { type: 'rows', rows: fromA.added });
      compare();
      if (api.ui.overlay === 'panel' && api.panel === panel) api.dispatch({ type: 'panel-row', row: state.cursor });
      return true;
    },
  };
}
