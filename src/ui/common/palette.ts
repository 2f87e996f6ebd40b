// The xterm 256-colour palette as RGB, and the palette index nearest to a colour.

export type Rgb = readonly [number, number, number];

// xterm's defaults for the 16 basic colours; terminals differ, but not in which ones are dark or light.
const BASIC_RGB: Rgb[] = [
  [0, 0, 0], [205, 0, 0], [0, 205, 0], [205, 205, 0], [0, 0, 238], [205, 0, 205], [0, 205, 205], [229, 229, 229],
  [127, 127, 127], [255, 0, 0], [0, 255, 0], [255, 255, 0], [92, 92, 255], [255, 0, 255], [0, 255, 255], [255, 255, 255],
];
const CUBE_LEVELS = [0, 95, 135, 175, 215, 255];

/** The colour of a palette index (0–255) in xterm's default palette. */
export function paletteRgb(index: number): Rgb {
  if (index < 16) return BASIC_RGB[index];
  if (index >= 232) return [8 + 10 * (index - 232), 8 + 10 * (index - 232), 8 + 10 * (index - 232)];
  const cube = index - 16;
  return [CUBE_LEVELS[Math.floor(cube / 36)], CUBE_LEVELS[Math.floor(cube / 6) % 6], CUBE_LEVELS[cube % 6]];
}

/** `#rrggbb` as RGB. */
export function hexRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** "Redmean" distance: cheap, and closer to what eyes see than plain RGB distance. */
export function distance([r1, g1, b1]: Rgb, [r2, g2, b2]: Rgb): number {
  const mean = (r1 + r2) / 2;
  return (2 + mean / 256) * (r1 - r2) ** 2 + 4 * (g1 - g2) ** 2 + (2 + (255 - mean) / 256) * (b1 - b2) ** 2;
}

/**
 * The index among 16–255 nearest to `rgb` (the basic 16 vary by terminal, the rest do not). blessed's own matcher
 * cannot be used: its cache keeps the 8-colour answers it computed at load, so #6c6c6c came out yellow even at 256.
 */
export function nearestIndex(rgb: Rgb): number {
  let best = 16;
  for (let i = 17; i < 256; i++) if (distance(paletteRgb(i), rgb) < distance(paletteRgb(best), rgb)) best = i;
  return best;
}
