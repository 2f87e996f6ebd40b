import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { chooseThemeName, loadTheme, parseTheme, STYLE_NAMES, styled, THEME_NAMES, THEMES_DIR } from '../../src/ui/common/theme.js';

async function darkJson(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(join(THEMES_DIR, 'dark.json'), 'utf8')) as Record<string, unknown>;
}

describe('themes', () => {
  it.each(THEME_NAMES)('built-in theme %s loads and defines every style', async (name) => {
    const theme = await loadTheme(name);
    expect(Object.keys(theme.styles).sort()).toEqual([...STYLE_NAMES].sort());
  });

  it('mono uses no colour at all', async () => {
    const mono = await loadTheme('mono');
    for (const spec of Object.values(mono.styles)) {
      expect(spec.fg).toBeUndefined();
      expect(spec.bg).toBeUndefined();
    }
  });

  it('names the file and the key of a bad colour', async () => {
    const json = { ...(await darkJson()), 'diff.add': 'chartreuse' };
    expect(() => parseTheme(json, 'themes/dark.json')).toThrow(UserError);
    expect(() => parseTheme(json, 'themes/dark.json')).toThrow('themes/dark.json: "diff.add" must be a colour name or #rrggbb');
  });

  it('rejects unknown styles, missing styles and bad style fields', async () => {
    const base = await darkJson();
    expect(() => parseTheme({ ...base, 'diff.plus': 'green' }, 't.json')).toThrow('t.json: unknown style "diff.plus"');
    const { 'status.passed': _gone, ...missing } = base;
    expect(() => parseTheme(missing, 't.json')).toThrow('t.json: missing style "status.passed"');
    expect(() => parseTheme({ ...base, muted: { fg: 'grey', blink: true } }, 't.json')).toThrow('"muted.blink" is not a style field');
    expect(() => parseTheme({ ...base, muted: { bold: 'yes' } }, 't.json')).toThrow('"muted.bold" must be true or false');
    expect(() => parseTheme({ ...base, muted: { bg: '#12345' } }, 't.json')).toThrow('"muted.bg" must be a colour name or #rrggbb');
    expect(() => parseTheme([], 't.json')).toThrow('t.json: must hold a JSON object');
  });

  it('says which themes exist when the name is unknown', async () => {
    await expect(loadTheme('neon')).rejects.toThrow(/unknown theme "neon": choose one of .*dark.*mono/);
  });

  it('picks --theme, then config, then mono for NO_COLOR, then dark', () => {
    expect(chooseThemeName('light', 'dark', { NO_COLOR: '1' })).toBe('light');
    expect(chooseThemeName(undefined, 'high-contrast', { NO_COLOR: '1' })).toBe('high-contrast');
    expect(chooseThemeName(undefined, undefined, { NO_COLOR: '1' })).toBe('mono');
    expect(chooseThemeName(undefined, undefined, { NO_COLOR: '' })).toBe('dark');
    expect(chooseThemeName(undefined, undefined, {})).toBe('dark');
  });

  it('turns styles into balanced blessed tags (palette index; a hex colour its 256-colour entry)', async () => {
    const theme = parseTheme({ ...(await darkJson()), 'diff.add': { fg: 'lightgreen', bold: true }, 'diff.del': '#FF0000', muted: '#6c6c6c' }, 't.json');
    expect(styled(theme, 'diff.add', 'x')).toBe('{10-fg}{bold}x{/bold}{/10-fg}');
    expect(styled(theme, 'diff.del', 'y')).toBe('{196-fg}y{/196-fg}');
    // blessed's own matcher answers 3 (yellow) for this grey.
    expect(styled(theme, 'muted', 'z')).toBe('{242-fg}z{/242-fg}');
    expect(styled(theme, 'text', 'plain')).toBe('plain');
  });
});
