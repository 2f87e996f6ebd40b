// Keys to actions: the input line first, then a question, then an open overlay (its panel's keys), the welcome list, the key table.

import { oneLine } from '../../core/errors.js';
import type { WorkbenchApi } from '../common/contracts.js';
import { editInput, type CommandRegistry } from './command-line.js';
import { bindingFor } from './keymap.js';
import { type KeyBinding } from '../common/contracts.js';
import { move, searchNext, type Move } from './navigation.js';

/** The welcome screen's list of recent sessions. */
export interface WelcomeList {
  count: number;
  open(row: number): Promise<void>;
}

const MOVES: Record<string, Move> = {
  down: 1, j: 1, up: -1, k: -1, pagedown: 'page-down', 'C-d': 'page-down', pageup: 'page-up', 'C-u': 'page-up',
  g: 'top', home: 'top', G: 'bottom', end: 'bottom',
};

async function guarded(api: WorkbenchApi, action: () => void | Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    api.flash(oneLine(error), 'error');
  }
}

async function inputKey(api: WorkbenchApi, registry: CommandRegistry, name: string): Promise<void> {
  const input = api.ui.input!;
  if (name === 'tab') {
    if (input.kind !== 'command') return;
    const { text, candidates } = registry.complete(input.text, api);
    api.dispatch({ type: 'input', input: { ...input, text } });
    if (candidates.length > 1) api.flash(candidates.join('  '));
    else api.dispatch({ type: 'clear-flash' });
    return;
  }
  const edit = editInput(input, name);
  api.dispatch({ type: 'clear-flash' });
  api.dispatch({ type: 'input', input: edit.submit ? undefined : edit.input });
  if (!edit.submit || !edit.input) return;
  const text = edit.input.text.trim();
  if (edit.input.kind === 'filter') {
    // Enter keeps the filter typed (empty clears it); Esc above left the old one in force.
    if (api.ui.overlay === 'panel' && api.panel?.filtered) return api.panel.filtered(text, api);
    api.dispatch({ type: 'browser', filter: text });
    api.dispatch({ type: 'panel-row', row: 0 });
    return;
  }
  if (!text) return;
  if (edit.input.kind === 'search') {
    api.dispatch({ type: 'search', pane: api.ui.focus, query: text });
    searchNext(api, 1, true);
    return;
  }
  await guarded(api, () => registry.execute(text, api));
}

/** Handle one key press (a name from `keyName`). */
export async function handleKey(api: WorkbenchApi, keys: KeyBinding[], registry: CommandRegistry, name: string, welcome?: WelcomeList): Promise<void> {
  // blessed reports Enter twice ('enter' and 'return'); one is enough.
  if (name === 'return' || name === '') return;
  if (api.ui.input) return inputKey(api, registry, name);
  if (api.ui.confirm) return guarded(api, () => api.answer(name === 'y'));
  api.dispatch({ type: 'clear-flash' });

  if (api.ui.overlay === 'confirm-quit') {
    if (name === 'y' || name === 'q' || name === 'C-c') api.quit(true);
    else api.dispatch({ type: 'overlay', overlay: undefined });
    return;
  }
  if (api.ui.overlay) {
    if (name === 'C-c') return api.quit();
    const own = api.ui.overlay === 'panel' ? bindingFor(api.panel?.keys ?? [], name, api) : undefined;
    if (own) return runBinding(api, own);
    // The command line works over an overlay too (`:diff` from a panel, `:q`).
    if (name === ':') return api.dispatch({ type: 'input', input: { kind: 'command', text: '' } });
    if (name === 'escape' || name === 'q' || name === '?' || (name === 'p' && api.ui.overlay === 'prompt')) {
      api.dispatch({ type: 'overlay', overlay: undefined });
    } else if (MOVES[name] !== undefined) move(api, MOVES[name]);
    return;
  }
  if (welcome && welcome.count > 0) {
    if (name === 'down' || name === 'j' || name === 'up' || name === 'k') {
      const by = name === 'down' || name === 'j' ? 1 : -1;
      api.dispatch({ type: 'welcome-row', row: Math.min(welcome.count - 1, Math.max(0, api.ui.welcomeRow + by)) });
      return;
    }
    if (name === 'enter') return guarded(api, () => welcome.open(api.ui.welcomeRow));
  }
  const binding = bindingFor(keys, name, api);
  if (!binding) {
    if ([...name].length === 1) api.flash(`no key "${name}": press ? for the list of keys`, 'error');
    return;
  }
  await runBinding(api, binding);
}

/** Run a binding, or say in the status line why it cannot run now. */
async function runBinding(api: WorkbenchApi, binding: KeyBinding): Promise<void> {
  const reason = binding.disabledReason?.(api);
  if (reason) return api.flash(reason, 'error');
  await guarded(api, () => binding.run(api));
}
