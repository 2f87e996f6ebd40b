// Panels and questions in the key handler: a panel's keys first, a question takes the next key, `:` over an overlay.

import { describe, expect, it } from 'vitest';
import { initialUiState, reduceUi } from '../../src/state/ui-state.js';
import type { Panel } from '../../src/ui/common/contracts.js';
import { fakeWorkbench } from '../helpers/fake-workbench.js';

function panel(pressed: string[]): Panel {
  return {
    title: 'test',
    render: () => [],
    keys: [
      { id: 'p-escape', keys: ['escape'], description: 'the panel keeps Esc for itself', run: () => void pressed.push('escape') },
      { id: 'p-s', keys: ['s'], description: 'shadows the step key', disabledReason: () => 'not now', run: () => void pressed.push('s') },
    ],
  };
}

describe('panels and questions', () => {
  it("gives an open panel's keys precedence over the overlay's and the workbench's, with their reasons", async () => {
    const pressed: string[] = [];
    const w = await fakeWorkbench({ feed: { kind: 'engine', controls: { step: () => void pressed.push('step') } } });
    w.api.showPanel(panel(pressed));
    await w.press('escape', 's');
    expect(pressed).toEqual(['escape']);
    expect(w.flashes.at(-1)).toEqual({ text: 'not now', level: 'error' });
    expect(w.api.ui.overlay).toBe('panel');
    await w.press('q');
    expect(w.api.ui.overlay).toBeUndefined();
  });

  it('opens the command line over an overlay', async () => {
    const w = await fakeWorkbench({ feed: { kind: 'engine' } });
    w.api.dispatch({ type: 'overlay', overlay: 'help' });
    await w.press(':');
    expect(w.api.ui.input).toEqual({ kind: 'command', text: '' });
  });

  it('lets the next key answer a question: y runs it, anything else (even q) keeps things as they are', async () => {
    let deleted = 0;
    const w = await fakeWorkbench({ feed: { kind: 'engine' } });
    w.api.confirm('delete it?', () => void deleted++, 'kept it');
    await w.press('q');
    expect(deleted).toBe(0);
    expect(w.flashes.at(-1)?.text).toBe('kept it');
    expect(w.api.ui.confirm).toBeUndefined();
    w.api.confirm('delete it?', () => void deleted++);
    await w.press('y');
    expect(deleted).toBe(1);
    await w.press('y');
    expect(deleted).toBe(1);
  });

  it('resets the panel row with the overlay, and keeps the browser settings across a new source', () => {
    let ui = reduceUi(initialUiState(), { type: 'overlay', overlay: 'panel' });
    ui = reduceUi(ui, { type: 'panel-row', row: 4 });
    ui = reduceUi(ui, { type: 'browser', sort: 'tokens', filter: 'mbpp' });
    expect(reduceUi(ui, { type: 'overlay', overlay: undefined }).panelRow).toBe(0);
    const fresh = reduceUi(ui, { type: 'reset' });
    expect(fresh.browser).toEqual({ sort: 'tokens', filter: 'mbpp' });
    expect(fresh.panelRow).toBe(0);
    expect(reduceUi(ui, { type: 'panel-row', row: -2 }).panelRow).toBe(0);
  });
});
