// Small fixed messages: the quit confirmation and the terminal-too-small notice.

import { clean, proseLines, type Line } from '../common/text.js';
import { tagged, type PaneSize } from './pane.js';

/** Minimum terminal size the layout is designed for. */
export const MIN_COLS = 80;
export const MIN_ROWS = 24;

/** What quitting would cut short: the streaming slot, and the jobs running behind the panes (probes). */
export interface ConfirmQuitVm {
  slot?: { id: string; tokens: number };
  jobs: string[];
}

export function renderConfirmQuit(vm: ConfirmQuitVm, size: PaneSize): string[] {
  const running: Line[] = [
    ...(vm.slot ? [[{ text: `${vm.slot.id} is streaming (${vm.slot.tokens} tokens so far).`, style: 'heading' as const }]] : []),
    ...vm.jobs.map((job): Line => [{ text: `still running: ${clean(job)}`, style: 'heading' }]),
  ];
  const what = vm.jobs.length > 0 ? 'Running samples are aborted (their server slots freed)' : 'The slot is aborted';
  const lines: Line[] = [
    ...(running.length ? running : [[{ text: 'Nothing is running.', style: 'heading' as const }]]),
    [],
    ...proseLines(`Quit anyway? ${what}; every session file keeps what was recorded up to now.`, size.cols),
    [],
    [{ text: 'y', style: 'bar.key' }, { text: ' quit    ' }, { text: 'n', style: 'bar.key' }, { text: ' / Esc stay' }],
  ];
  return tagged(lines, size);
}

export function renderTooSmall(vm: { cols: number; rows: number }, size: PaneSize): string[] {
  const text = `The terminal is ${vm.cols}x${vm.rows}; slotbench needs at least ${MIN_COLS}x${MIN_ROWS}. Enlarge the window (q quits).`;
  return tagged(proseLines(text, size.cols, 'status.timeout'), size);
}
