// Keys every list panel shares (sessions, probe samples, problems, eval view): the cursor, `/` filter, Esc close.

import type { KeyContext, WorkbenchApi } from '../common/contracts.js';
import type { KeyBinding } from '../common/contracts.js';

export interface ListKeysOptions {
  /** Rows in the list now. */
  count(ctx: KeyContext): number;
  /** Rows a page moves by; absent = the page keys are left to the panel's scrolling body. */
  page?: number;
  /** Run after the cursor moved (e.g. scroll a detail view back to its top). */
  moved?(api: WorkbenchApi): void;
}

export function listKeys(prefix: string, options: ListKeysOptions): KeyBinding[] {
  const go = (api: WorkbenchApi, to: (at: number, last: number) => number) => {
    const last = options.count(api) - 1;
    if (last < 0) return;
    const row = Math.max(0, Math.min(last, to(Math.min(api.ui.panelRow, last), last)));
    api.dispatch({ type: 'panel-row', row });
    options.moved?.(api);
  };
  const bindings: KeyBinding[] = [
    { id: `${prefix}-down`, keys: ['down', 'j'], description: 'next row', bar: 'pick', run: (api) => go(api, (at) => at + 1) },
    { id: `${prefix}-up`, keys: ['up', 'k'], description: 'previous row', run: (api) => go(api, (at) => at - 1) },
    { id: `${prefix}-top`, keys: ['g', 'home'], description: 'first row', run: (api) => go(api, () => 0) },
    { id: `${prefix}-bottom`, keys: ['G', 'end'], description: 'last row', run: (api) => go(api, (_at, last) => last) },
  ];
  const page = options.page;
  if (page === undefined) return bindings;
  return [
    ...bindings,
    { id: `${prefix}-page-down`, keys: ['pagedown', 'C-d'], description: 'a page down', run: (api) => go(api, (at) => at + page) },
    { id: `${prefix}-page-up`, keys: ['pageup', 'C-u'], description: 'a page up', run: (api) => go(api, (at) => at - page) },
  ];
}

/** Esc closes the panel: `what` as the help says it (`the browser`). */
export function closePanelKey(prefix: string, what: string): KeyBinding {
  return { id: `${prefix}-close`, keys: ['escape'], description: `close ${what}`, bar: 'close', run: (api) => api.dispatch({ type: 'overlay', overlay: undefined }) };
}

/** `/` filters the list as you type: `by` says what a filter matches. */
export function filterListKey(prefix: string, by: string): KeyBinding {
  return {
    id: `${prefix}-filter`,
    keys: ['/'],
    description: `${by} as you type (Enter keeps it, an empty one clears it)`,
    bar: 'filter',
    run: (api) => api.dispatch({ type: 'input', input: { kind: 'filter', text: '' } }),
  };
}
