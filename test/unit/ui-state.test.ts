import { describe, expect, it } from 'vitest';
import { initialUiState, reduceUi, type UiState } from '../../src/state/ui-state.js';

describe('ui-state reducer', () => {
  it('cycles focus through the four panes in both directions', () => {
    let state = initialUiState();
    expect(state.focus).toBe('stream');
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      state = reduceUi(state, { type: 'focus-step', by: 1 });
      seen.push(state.focus);
    }
    expect(seen).toEqual(['diff', 'test', 'plan', 'stream']);
    expect(reduceUi(state, { type: 'focus-step', by: -1 }).focus).toBe('plan');
  });

  it('selecting a slot resets the slot-specific scroll positions; deselecting follows live again', () => {
    let state: UiState = { ...initialUiState(), scroll: { plan: 0, stream: 12, diff: 5, test: 7 } };
    state = reduceUi(state, { type: 'select', slotId: 's3' });
    expect(state.selectedSlot).toBe('s3');
    expect(state.scroll).toEqual({ plan: 0, stream: 'end', diff: 0, test: 0 });
    state = reduceUi(state, { type: 'select', slotId: undefined });
    expect('selectedSlot' in state).toBe(false);
  });

  it('opens and closes overlays, resetting the overlay scroll', () => {
    let state = reduceUi(initialUiState(), { type: 'overlay', overlay: 'help' });
    state = reduceUi(state, { type: 'overlay-scroll', to: 9 });
    expect(state).toMatchObject({ overlay: 'help', overlayScroll: 9 });
    state = reduceUi(state, { type: 'overlay', overlay: undefined });
    expect(state.overlay).toBeUndefined();
    expect(state.overlayScroll).toBe(0);
    expect(reduceUi(state, { type: 'overlay-scroll', to: -3 }).overlayScroll).toBe(0);
  });

  it('keeps the input line and flash until cleared', () => {
    let state = reduceUi(initialUiState(), { type: 'input', input: { kind: 'command', text: 'temp' } });
    state = reduceUi(state, { type: 'flash', text: 'hello', level: 'info' });
    expect(state.input?.text).toBe('temp');
    expect(state.flash?.text).toBe('hello');
    state = reduceUi(reduceUi(state, { type: 'clear-flash' }), { type: 'input', input: undefined });
    expect(state.flash).toBeUndefined();
    expect(state.input).toBeUndefined();
  });

  it('reset forgets position and health but keeps the shading preference', () => {
    let state = reduceUi(initialUiState(), { type: 'toggle-shading' });
    state = reduceUi(state, { type: 'select', slotId: 's1' });
    state = reduceUi(state, { type: 'health', healthy: false, status: 'down' });
    state = reduceUi(state, { type: 'focus', pane: 'diff' });
    state = reduceUi(state, { type: 'reset' });
    expect(state.shading).toBe(true);
    expect(state.selectedSlot).toBeUndefined();
    expect(state.health).toBeUndefined();
    expect(state.focus).toBe('stream');
  });
});
