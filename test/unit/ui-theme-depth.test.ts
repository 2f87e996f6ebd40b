// Every built-in theme at 8, 16 and 256 colours: reduced to colours the terminal has, each legible on its background,
// and drawn by the blessed shell with exactly those colours (no grey turned black, no grey turned yellow).

import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { COLOUR_INDEX, colourIndex, loadTheme, STYLE_NAMES, styled, THEME_NAMES, type Theme } from '../../src/ui/common/theme.js';
import { backgroundRgb, colourRgb, contrast, MIN_CONTRAST, themeForDepth, type ColourDepth } from '../../src/ui/common/theme-depth.js';
import type { Frame } from '../../src/ui/frame.js';
import { BlessedShell } from '../../src/ui/shell/blessed-shell.js';

const DEPTHS: ColourDepth[] = [8, 16, 256];
const CASES = THEME_NAMES.flatMap((name) => DEPTHS.map((depth) => [name, depth] as const));

/** Foreground colours (palette indexes) set by the SGR sequences in `output`. */
function foregrounds(output: string): number[] {
  const found: number[] = [];
  for (const [, params] of output.matchAll(/\x1b\[([\d;]*)m/g)) {
    const codes = params.split(';').map(Number);
    for (let i = 0; i < codes.length; i++) {
      const code = codes[i];
      if (code === 38 && codes[i + 1] === 5) found.push(codes[(i += 2)]);
      else if (code >= 30 && code <= 37) found.push(code - 30);
      else if (code >= 90 && code <= 97) found.push(code - 90 + 8);
    }
  }
  return found;
}

let shell: BlessedShell | undefined;
afterEach(() => {
  shell?.destroy();
  shell = undefined;
});

/** Draw one line per style through the real shell into a fake terminal; what it wrote. */
async function drawStyles(theme: Theme, depth: ColourDepth): Promise<string> {
  const output = Object.assign(new PassThrough(), { columns: 60, rows: STYLE_NAMES.length + 4, isTTY: true });
  let written = '';
  output.on('data', (chunk) => (written += String(chunk)));
  shell = new BlessedShell({ input: new PassThrough(), output, terminal: 'xterm-256color', colourDepth: depth });
  const adapted = themeForDepth(theme, depth);
  const content = STYLE_NAMES.map((style) => styled(adapted, style, style));
  const frame = { layout: {} as Frame['layout'], status: [], tooSmall: { label: 'styles', content } } satisfies Frame;
  shell.draw(frame, 'plan', adapted);
  await new Promise((resolve) => setImmediate(resolve));
  return written;
}

describe.each(CASES)('theme %s at %i colours', (name, depth) => {
  it('uses only colours the terminal has, each legible against what it is drawn on', async () => {
    const theme = themeForDepth(await loadTheme(name), depth);
    for (const style of STYLE_NAMES) {
      const { fg, bg, inverse } = theme.styles[style];
      for (const colour of [fg, bg]) if (colour && depth < 256) expect(COLOUR_INDEX[colour], `${style}: ${colour}`).toBeLessThan(depth);
      if (!fg || inverse) continue;
      const against = bg ? colourRgb(bg) : backgroundRgb(theme);
      expect(contrast(colourRgb(fg), against), `${style}: ${fg} on ${bg ?? theme.background}`).toBeGreaterThanOrEqual(MIN_CONTRAST);
    }
  });

  it('is drawn by the shell with those colours and no others', async () => {
    const theme = await loadTheme(name);
    const adapted = themeForDepth(theme, depth);
    const drawn = new Set(foregrounds(await drawStyles(theme, depth)));
    const meant = new Set(
      STYLE_NAMES.flatMap((style) => adapted.styles[style].fg ?? [])
        .map(colourIndex),
    );
    for (const index of drawn) {
      if (depth < 256) expect(index).toBeLessThan(depth);
      expect(meant, `fg ${index} drawn but no style asks for it`).toContain(index);
    }
    for (const index of meant) expect(drawn, `fg ${index} never drawn`).toContain(index);
    if (theme.background === 'dark') expect(drawn.has(0) && !meant.has(0)).toBe(false);
  });
});

describe('greys on few colours', () => {
  it('dark: grey becomes white at 8 colours (not black) and stays grey at 16', async () => {
    const dark = await loadTheme('dark');
    expect(themeForDepth(dark, 8).styles.muted.fg).toBe('white');
    expect(themeForDepth(dark, 16).styles.muted.fg).toBe('grey');
    expect(themeForDepth(dark, 256).styles.muted.fg).toBe('grey');
  });

  it('light: #6c6c6c becomes black at 8 colours and bright black at 16, never yellow', async () => {
    const light = await loadTheme('light');
    expect(themeForDepth(light, 8).styles.muted.fg).toBe('black');
    expect(themeForDepth(light, 16).styles.muted.fg).toBe('brightblack');
    expect(themeForDepth(light, 8).styles['status.timeout'].fg).not.toMatch(/yellow/);
  });
});
