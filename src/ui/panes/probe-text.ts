// Shared bits of the probe panes: outcome words and styles, bars in block characters or ASCII, lines out.

import type { SampleOutcome } from '../../probe/types.js';
import { clipLine, plain, toTagged, type Line } from '../common/text.js';
import type { StyleName, Theme } from '../common/theme.js';

/** Size and look of a probe pane. Without a theme the lines are plain text (headless output, golden frames). */
export interface ProbeRenderOptions {
  cols: number;
  rows: number;
  theme?: Theme;
  /** Bars in `#` instead of block characters (terminals without UTF-8). */
  ascii?: boolean;
}

export const OUTCOME_LABEL: Record<SampleOutcome, string> = {
  pass: 'pass',
  fail: 'fail',
  parse_error: 'parse error',
  timeout: 'timeout',
  crash: 'crash',
  error: 'error',
  aborted: 'aborted',
  not_run: 'not run',
};

export const OUTCOME_STYLE: Record<SampleOutcome, StyleName> = {
  pass: 'status.passed',
  fail: 'status.failed',
  parse_error: 'status.failed',
  timeout: 'status.timeout',
  crash: 'status.error',
  error: 'status.error',
  aborted: 'status.aborted',
  not_run: 'status.aborted',
};

/** How likely a token was, in the theme's probability shades. */
export function probabilityStyle(p: number): StyleName {
  return p >= 0.5 ? 'prob.high' : p >= 0.2 ? 'prob.mid' : p >= 0.05 ? 'prob.low' : 'prob.vlow';
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A horizontal bar of `value/max` of `width` cells; any value above 0 shows at least a sliver. */
export function bar(value: number, max: number, width: number, ascii = false): string {
  if (value <= 0 || max <= 0 || width <= 0) return '';
  const cells = Math.min(1, value / max) * width;
  if (ascii) return '#'.repeat(Math.max(1, Math.round(cells)));
  let full = Math.floor(cells);
  let eighths = Math.round((cells - full) * 8);
  if (eighths === 8) {
    full++;
    eighths = 0;
  }
  const drawn = '█'.repeat(full) + EIGHTHS[eighths];
  return drawn === '' ? EIGHTHS[1] : drawn;
}

/** A probability or rate to three decimals. */
export function rate(value: number): string {
  return value.toFixed(3);
}

/** A token as a person can read it: quoted, whitespace escapes visible (`"\n"`); `null` = the sample had ended. */
export function quotedToken(token: string | null): string {
  return token === null ? '(end)' : JSON.stringify(token);
}

/** Lines clipped to the width and cut to the height: blessed content with a theme, plain text without. */
export function output(lines: Line[], options: ProbeRenderOptions): string[] {
  const { theme } = options;
  return lines.slice(0, options.rows).map((line) => {
    const clipped = clipLine(line, options.cols);
    return theme ? toTagged(clipped, theme) : plain(clipped);
  });
}
