// A theme for the terminal's colour depth: every colour it cannot show becomes the nearest one it can that stays legible.

import { distance, hexRgb, paletteRgb, type Rgb } from './palette.js';
import { BASIC_COLOUR_NAMES, COLOUR_INDEX, STYLE_NAMES, withStyles, type StyleName, type StyleSpec, type Theme } from './theme.js';

/** Colours a terminal shows: the 8 basic ones, those and their bright variants, or the xterm 256-colour palette. */
export type ColourDepth = 8 | 16 | 256;

/** Contrast below this (WCAG ratio) against the background counts as unreadable: yellow or cyan on white, black on black. */
export const MIN_CONTRAST = 2;

/** A theme colour (blessed name or #rrggbb) as RGB. */
export function colourRgb(colour: string): Rgb {
  return colour.startsWith('#') ? hexRgb(colour) : paletteRgb(COLOUR_INDEX[colour]);
}

function luminance([r, g, b]: Rgb): number {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio of two colours, 1 (same) to 21 (black on white). */
export function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The background a theme is drawn on, for contrast: the terminal's own, assumed black or white. */
export function backgroundRgb(theme: Pick<Theme, 'background'>): Rgb {
  return theme.background === 'light' ? [255, 255, 255] : [0, 0, 0];
}

const isGrey = ([r, g, b]: Rgb) => Math.max(r, g, b) - Math.min(r, g, b) < 24;

/**
 * The basic colour (index below `depth`) nearest to `rgb`; for text, only among those legible on `against`. A grey
 * stays a grey (or black/white): a muted line must not turn magenta.
 */
function nearestBasic(rgb: Rgb, depth: 8 | 16, against: Rgb | undefined): number {
  const all = [...Array(depth).keys()];
  const legible = against ? all.filter((i) => contrast(paletteRgb(i), against) >= MIN_CONTRAST) : all;
  const pool = legible.length > 0 ? legible : all;
  const greys = pool.filter((i) => isGrey(paletteRgb(i)));
  const candidates = isGrey(rgb) && greys.length > 0 ? greys : pool;
  return candidates.reduce((best, i) => (distance(paletteRgb(i), rgb) < distance(paletteRgb(best), rgb) ? i : best));
}

function reduce(colour: string, depth: 8 | 16, against: Rgb | undefined): string {
  const index = colour.startsWith('#') ? undefined : COLOUR_INDEX[colour];
  const keeps = index !== undefined && index < depth && (!against || contrast(paletteRgb(index), against) >= MIN_CONTRAST);
  return keeps ? colour : BASIC_COLOUR_NAMES[nearestBasic(colourRgb(colour), depth, against)];
}

/** `theme` as a terminal of `depth` colours can show it legibly; unchanged at 256. */
export function themeForDepth(theme: Theme, depth: ColourDepth): Theme {
  if (depth === 256) return theme;
  const styles = {} as Record<StyleName, StyleSpec>;
  for (const style of STYLE_NAMES) {
    const spec = { ...theme.styles[style] };
    if (spec.bg) spec.bg = reduce(spec.bg, depth, undefined);
    // Inverse video swaps the two: the terminal's own colours, legible by construction.
    if (spec.fg) spec.fg = reduce(spec.fg, depth, spec.inverse ? undefined : spec.bg ? colourRgb(spec.bg) : backgroundRgb(theme));
    styles[style] = spec;
  }
  return withStyles({ name: theme.name, background: theme.background }, styles);
}
