// Where each box goes for a terminal size: pure, so goldens and the blessed shell agree on every pane's size.

import type { PaneId } from '../state/ui-state.js';
import { MIN_COLS, MIN_ROWS } from './panes/message-pane.js';

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Layout {
  tooSmall: boolean;
  /** Bordered panes. */
  panes: Record<PaneId, Rect>;
  /** The whole pane area (welcome screen). */
  main: Rect;
  /** Two lines at the bottom, no border. */
  status: Rect;
  /** Bordered overlay over the panes (help, prompt, panels). */
  overlay: Rect;
  /** Small bordered dialog (quit confirmation). */
  dialog: Rect;
}

const STATUS_ROWS = 2;

/**
 * Plan over test on the left (a third of the width: test output needs columns too), stream over diff on the right
 * (code needs the most). `zoomed` = that pane takes the whole pane area (the others are not drawn).
 */
export function layout(cols: number, rows: number, zoomed?: PaneId): Layout {
  const height = Math.max(3, rows - STATUS_ROWS);
  const left = Math.max(28, Math.round(cols * 0.34));
  const right = Math.max(10, cols - left);
  const planHeight = Math.round(height * 0.55);
  const streamHeight = Math.round(height / 2);
  const overlayWidth = Math.min(cols - 4, 110);
  const dialogWidth = Math.min(cols - 4, 60);
  const main = { left: 0, top: 0, width: cols, height };
  const panes: Record<PaneId, Rect> = {
    plan: { left: 0, top: 0, width: left, height: planHeight },
    test: { left: 0, top: planHeight, width: left, height: height - planHeight },
    stream: { left, top: 0, width: right, height: streamHeight },
    diff: { left, top: streamHeight, width: right, height: height - streamHeight },
  };
  if (zoomed) panes[zoomed] = main;
  return {
    tooSmall: cols < MIN_COLS || rows < MIN_ROWS,
    panes,
    main,
    status: { left: 0, top: height, width: cols, height: STATUS_ROWS },
    overlay: { left: Math.floor((cols - overlayWidth) / 2), top: 1, width: overlayWidth, height: Math.max(3, height - 2) },
    dialog: { left: Math.floor((cols - dialogWidth) / 2), top: Math.max(0, Math.floor(height / 2) - 4), width: dialogWidth, height: 9 },
  };
}

/** Inside a border. */
export function inner(rect: Rect): { cols: number; rows: number } {
  return { cols: Math.max(1, rect.width - 2), rows: Math.max(1, rect.height - 2) };
}
