// Themes: named styles loaded from themes/*.json, validated, and turned into blessed tags for the panes.

import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { PROJECT_ROOT } from '../../version.js';
import { hexRgb, nearestIndex } from './palette.js';

/** Every style a pane may ask for; a theme file must define each one. */
export const STYLE_NAMES = [
  'text',
  'muted',
  'heading',
  'border',
  'border.focus',
  'title',
  'title.focus',
  'selected',
  'current',
  'breakpoint',
  'status.pending',
  'status.streaming',
  'status.parsed',
  'status.repaired',
  'status.passed',
  'status.failed',
  'status.timeout',
  'status.error',
  'status.aborted',
  'diff.add',
  'diff.del',
  'diff.hunk',
  'diff.header',
  'prob.high',
  'prob.mid',
  'prob.low',
  'prob.vlow',
  'search.match',
  'bar',
  'bar.key',
  'bar.disabled',
  'bar.info',
  'bar.error',
] as const;

export type StyleName = (typeof STYLE_NAMES)[number];

/** How one style looks. Colours are blessed colour names or #rrggbb. */
export interface StyleSpec {
  fg?: string;
  bg?: string;
  bold?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

/** The terminal background a theme is made for: colours are kept legible against it when the terminal has few. */
export type ThemeBackground = 'dark' | 'light';

export interface Theme {
  name: string;
  /** From the file's `"background"` (default `dark`). */
  background: ThemeBackground;
  styles: Record<StyleName, StyleSpec>;
  /** Opening and closing tags per style, computed once. */
  tags: Record<StyleName, { open: string; close: string }>;
}

/** Built-in themes, in the order `:theme` completes them. */
export const THEME_NAMES = ['dark', 'light', 'high-contrast', 'mono'] as const;

export const THEMES_DIR = join(PROJECT_ROOT, 'themes');

// blessed's colour names (colors.js) → palette index; tags use the index because blessed's tag parser only
// knows a few spellings of each name.
export const COLOUR_INDEX: Readonly<Record<string, number>> = {
  black: 0, red: 1, green: 2, yellow: 3, blue: 4, magenta: 5, cyan: 6, white: 7,
  lightblack: 8, lightred: 9, lightgreen: 10, lightyellow: 11, lightblue: 12, lightmagenta: 13, lightcyan: 14, lightwhite: 15,
  brightblack: 8, brightred: 9, brightgreen: 10, brightyellow: 11, brightblue: 12, brightmagenta: 13, brightcyan: 14, brightwhite: 15,
  grey: 8, gray: 8, lightgrey: 7, lightgray: 7, brightgrey: 7, brightgray: 7,
};

const SPEC_KEYS = ['fg', 'bg', 'bold', 'underline', 'inverse'] as const;

/** The 16 basic colours by palette index, in names both the theme files and blessed know. */
export const BASIC_COLOUR_NAMES = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
  'brightblack', 'brightred', 'brightgreen', 'brightyellow', 'brightblue', 'brightmagenta', 'brightcyan', 'brightwhite',
] as const;

function isColour(value: unknown): value is string {
  return typeof value === 'string' && (value in COLOUR_INDEX || /^#[0-9a-fA-F]{6}$/.test(value));
}

/** The palette index blessed draws a theme colour with: a name's own, the nearest 256-colour entry of a #rrggbb. */
export function colourIndex(colour: string): number {
  return colour.startsWith('#') ? nearestIndex(hexRgb(colour)) : COLOUR_INDEX[colour];
}

function colourTag(colour: string, where: 'fg' | 'bg'): string {
  return `{${colourIndex(colour)}-${where}}`;
}

function tagsOf(spec: StyleSpec): { open: string; close: string } {
  const parts: string[] = [];
  if (spec.fg) parts.push(colourTag(spec.fg, 'fg'));
  if (spec.bg) parts.push(colourTag(spec.bg, 'bg'));
  if (spec.bold) parts.push('{bold}');
  if (spec.underline) parts.push('{underline}');
  if (spec.inverse) parts.push('{inverse}');
  const close = parts.map((tag) => tag.replace('{', '{/')).reverse();
  return { open: parts.join(''), close: close.join('') };
}

/** Validate a parsed theme file; errors name the file and the key. A string value is shorthand for `{fg}`. */
export function parseTheme(json: unknown, file: string, name = basename(file).replace(/\.json$/, '')): Theme {
  const fail = (message: string): never => {
    throw new UserError(`${file}: ${message}`, 'theme');
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('must hold a JSON object of style names');
  const entries = json as Record<string, unknown>;
  for (const key of Object.keys(entries)) {
    if (key !== 'description' && key !== 'background' && !(STYLE_NAMES as readonly string[]).includes(key)) {
      fail(`unknown style "${key}" (styles: ${STYLE_NAMES.join(', ')})`);
    }
  }
  const background = entries.background ?? 'dark';
  if (background !== 'dark' && background !== 'light') fail('"background" must be "dark" or "light"');
  const styles = {} as Record<StyleName, StyleSpec>;
  for (const style of STYLE_NAMES) {
    const value = entries[style];
    if (value === undefined) fail(`missing style "${style}"`);
    let spec: StyleSpec;
    if (typeof value === 'string') {
      if (!isColour(value)) fail(`"${style}" must be a colour name or #rrggbb`);
      spec = { fg: value };
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      spec = {};
      for (const [key, field] of Object.entries(value)) {
        if (!(SPEC_KEYS as readonly string[]).includes(key)) fail(`"${style}.${key}" is not a style field (fields: ${SPEC_KEYS.join(', ')})`);
        if (key === 'fg' || key === 'bg') {
          if (!isColour(field)) fail(`"${style}.${key}" must be a colour name or #rrggbb`);
          spec[key] = field as string;
        } else {
          if (typeof field !== 'boolean') fail(`"${style}.${key}" must be true or false`);
          spec[key as 'bold' | 'underline' | 'inverse'] = field as boolean;
        }
      }
    } else {
      fail(`"${style}" must be a colour name, #rrggbb, or an object {fg, bg, bold, underline, inverse}`);
    }
    styles[style] = spec!;
  }
  return withStyles({ name, background: background as ThemeBackground }, styles);
}

/** A theme from its styles, with the tags computed once. */
export function withStyles(base: Pick<Theme, 'name' | 'background'>, styles: Record<StyleName, StyleSpec>): Theme {
  const tags = {} as Theme['tags'];
  for (const style of STYLE_NAMES) tags[style] = tagsOf(styles[style]);
  return { ...base, styles, tags };
}

/** A name of a built-in theme, or a path to a theme file (anything with a slash or ending in .json). */
export async function loadTheme(nameOrPath: string, cwd = process.cwd()): Promise<Theme> {
  const isPath = nameOrPath.includes('/') || nameOrPath.endsWith('.json');
  const file = isPath ? resolve(cwd, nameOrPath) : join(THEMES_DIR, `${nameOrPath}.json`);
  const shown = isPath ? nameOrPath : `themes/${nameOrPath}.json`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    const known = await themeNames();
    throw new UserError(`unknown theme "${nameOrPath}": choose one of ${known.join(', ')} or give a path to a theme .json file`, 'theme');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${shown}: not valid JSON (${(error as Error).message})`, 'theme');
  }
  return parseTheme(json, isPath ? relative(cwd, file) || file : shown, basename(file).replace(/\.json$/, ''));
}

/** Theme names available in themes/. */
export async function themeNames(): Promise<string[]> {
  try {
    const files = await readdir(THEMES_DIR);
    return files.filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
  } catch {
    return [...THEME_NAMES];
  }
}

/** Which theme to use: --theme, then config `theme`, then `mono` when NO_COLOR is set, then `dark`. */
export function chooseThemeName(flag: string | undefined, configured: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (configured) return configured;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'mono';
  return 'dark';
}

/** Wrap already-escaped text in a style's tags. */
export function styled(theme: Theme, style: StyleName, escaped: string): string {
  const tags = theme.tags[style];
  return tags.open ? `${tags.open}${escaped}${tags.close}` : escaped;
}
