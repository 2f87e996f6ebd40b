import { describe, expect, it } from 'vitest';
import { initialRunState } from '../../src/state/run-state.js';
import { initialUiState, reduceUi, type PaneId, type UiState } from '../../src/state/ui-state.js';
import type { WorkbenchApi } from '../../src/ui/common/contracts.js';
import { move, searchNext } from '../../src/ui/controllers/navigation.js';
import { loadTheme } from '../../src/ui/common/theme.js';

async function fake(lines: string[], rows: number, focus: PaneId = 'diff') {
  const theme = await loadTheme('mono');
  let ui: UiState = reduceUi(initialUiState(), { type: 'focus', pane: focus });
  const flashes: string[] = [];
  const api = {
    run: initialRunState(),
    get ui() {
      return ui;
    },
    theme,
    feedKind: 'engine',
    can: () => true,
    dispatch: (action) => (ui = reduceUi(ui, action)),
    flash: (text: string) => void flashes.push(text),
    paneBody: () => ({ lines, rows }),
  } as Partial<WorkbenchApi> as WorkbenchApi;
  return { api, flashes };
}

const LINES = Array.from({ length: 50 }, (_, i) => `line ${i}${i % 20 === 7 ? ' needle' : ''}`);

describe('scrolling and search', () => {
  it('scrolls by lines and pages within the body, never past its last page', async () => {
    const { api } = await fake(LINES, 10);
    move(api, 1);
    expect(api.ui.scroll.diff).toBe(1);
    move(api, 'page-down');
    expect(api.ui.scroll.diff).toBe(10);
    move(api, 'bottom');
    expect(api.ui.scroll.diff).toBe(40);
    move(api, 5);
    expect(api.ui.scroll.diff).toBe(40);
    move(api, 'top');
    expect(api.ui.scroll.diff).toBe(0);
    move(api, -1);
    expect(api.ui.scroll.diff).toBe(0);
  });

  it('the stream pane leaves follow mode when scrolled up and returns to it at the bottom', async () => {
    const { api } = await fake(LINES, 10, 'stream');
    expect(api.ui.scroll.stream).toBe('end');
    move(api, -3);
    expect(api.ui.scroll.stream).toBe(37);
    move(api, 'bottom');
    expect(api.ui.scroll.stream).toBe('end');
  });

  it('jumps to search matches in order, wrapping around, and says when there is none', async () => {
    const { api, flashes } = await fake(LINES, 10);
    api.dispatch({ type: 'search', pane: 'diff', query: 'NEEDLE' });
    searchNext(api, 1, true);
    expect(api.ui.scroll.diff).toBe(7);
    expect(flashes.at(-1)).toBe('"NEEDLE": match 1 of 3');
    searchNext(api, 1);
    expect(api.ui.scroll.diff).toBe(27);
    searchNext(api, 1);
    expect(api.ui.scroll.diff).toBe(47);
    searchNext(api, 1);
    expect(api.ui.scroll.diff).toBe(7);
    searchNext(api, -1);
    expect(api.ui.scroll.diff).toBe(47);
    api.dispatch({ type: 'search', pane: 'diff', query: 'absent' });
    searchNext(api, 1, true);
    expect(flashes.at(-1)).toBe('"absent" not found in the diff pane');
  });

  it('scrolls an open overlay instead of the focused pane', async () => {
    const { api } = await fake(LINES, 10);
    api.dispatch({ type: 'overlay', overlay: 'help' });
    move(api, 'page-down');
    expect(api.ui.overlayScroll).toBe(9);
    expect(api.ui.scroll.diff).toBe(0);
  });
});
