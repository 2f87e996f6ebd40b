// Small fixed messages: the quit confirmation and the terminal-too-small notice.

import { proseLines, type Line } from '../common/text.js';
import { tagged, type PaneSize } from './pane.js';

/** Minimum terminal size the layout is designed for. */
export const MIN_COLS = 80;
export const MIN_ROWS = 24;

export function renderConfirmQuit(vm: { slotId: string; tokens: number }, size: PaneSize): string[] {
  const lines: Line[] = [
    [{ text: `${vm.slotId} is streaming (${vm.tokens} tokens so far).`, style: 'heading' }],
    [],
    ...proseLines('Quit anyway? The slot is aborted; the session file keeps every event up to now.', size.cols),
    [],
    [{ text: 'y', style: 'bar.key' }, { text: ' quit    ' }, { text: 'n', style: 'bar.key' }, { text: ' / Esc stay' }],
  ];
  return tagged(lines, size);
}

export function renderTooSmall(vm: { cols: number; rows: number }, size: PaneSize): string[] {
  const text = `The terminal is ${vm.cols}x${vm.rows}; slotbench needs at least ${MIN_COLS}x${MIN_ROWS}. Enlarge the window (q quits).`;
  return tagged(proseLines(text, size.cols, 'status.timeout'), size);
}
