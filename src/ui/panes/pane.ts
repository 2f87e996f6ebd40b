// What every pane render function gets besides its view model, and shared row helpers.

import { clipLine, lineWidth, toTagged, type Line } from '../common/text.js';
import type { Theme } from '../common/theme.js';

/** Inner size of the pane (inside its border) and the theme to style with. */
export interface PaneSize {
  cols: number;
  rows: number;
  theme: Theme;
}

/** Left part clipped so the right part (a status word) always shows. */
export function withRight(left: Line, right: Line, cols: number): Line {
  const rightWidth = lineWidth(right);
  if (rightWidth + 2 > cols) return clipLine([...left, { text: ' ' }, ...right], cols);
  const room = cols - rightWidth - 1;
  const clipped = clipLine(left, room);
  return [...clipped, { text: ' '.repeat(cols - lineWidth(clipped) - rightWidth) }, ...right];
}

/** Lines to blessed content, never more than `rows`. */
export function tagged(lines: Line[], size: PaneSize): string[] {
  return lines.slice(0, size.rows).map((line) => toTagged(clipLine(line, size.cols), size.theme));
}

/** "1.23 s" / "850 ms". */
export function seconds(ms: number | undefined): string {
  if (ms === undefined) return '–';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
