// How many colours the terminal shows, found the way terminal programs find it: COLORTERM, TERM, then terminfo.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ColourDepth } from '../common/theme-depth.js';

// Terminfo's compiled formats: 16-bit numbers, and ncurses 6's extended format with 32-bit ones (which blessed cannot
// read: it falls back to plain xterm and 8 colours for tmux-256color and screen-256color).
const MAGIC_16 = 0o432;
const MAGIC_32 = 0o1036;
/** Index of `colors` (max_colors) among terminfo's numeric capabilities. */
const MAX_COLORS = 13;

/** `colors` from a compiled terminfo entry, or undefined when the bytes are not one. */
export function terminfoColours(entry: Buffer): number | undefined {
  if (entry.length < 12) return undefined;
  const magic = entry.readInt16LE(0);
  if (magic !== MAGIC_16 && magic !== MAGIC_32) return undefined;
  const [namesSize, boolCount, numCount] = [entry.readInt16LE(2), entry.readInt16LE(4), entry.readInt16LE(6)];
  if (numCount <= MAX_COLORS) return undefined;
  let offset = 12 + namesSize + boolCount;
  offset += offset % 2;
  const width = magic === MAGIC_32 ? 4 : 2;
  const at = offset + MAX_COLORS * width;
  if (at + width > entry.length) return undefined;
  const value = width === 4 ? entry.readInt32LE(at) : entry.readInt16LE(at);
  return value > 0 ? value : undefined;
}

/** Folders searched for terminfo entries, in ncurses' order. */
function terminfoDirs(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  if (env.TERMINFO) dirs.push(env.TERMINFO);
  dirs.push(join(env.HOME ?? homedir(), '.terminfo'));
  for (const dir of (env.TERMINFO_DIRS ?? '').split(':')) dirs.push(dir || '/usr/share/terminfo');
  dirs.push('/etc/terminfo', '/lib/terminfo', '/usr/share/terminfo', '/usr/lib/terminfo', '/usr/share/lib/terminfo');
  return dirs;
}

/** `colors` of the terminfo entry for `term`, if one can be read. */
export function readTerminfoColours(term: string, env: NodeJS.ProcessEnv): number | undefined {
  if (!/^[\w.+-]+$/.test(term)) return undefined;
  // Linux files entries under their first letter, macOS under its hex code.
  const subdirs = [term[0], term.charCodeAt(0).toString(16)];
  for (const dir of terminfoDirs(env)) {
    for (const sub of subdirs) {
      try {
        const colours = terminfoColours(readFileSync(join(dir, sub, term)));
        if (colours !== undefined) return colours;
      } catch {
        // Not in this folder: try the next.
      }
    }
  }
  return undefined;
}

/**
 * The terminal's colour depth. COLORTERM=truecolor/24bit and TERM=*-256color (tmux-256color, screen-256color,
 * xterm-256color …) or *-direct mean 256 (all blessed draws); otherwise terminfo's `colors`, else 8.
 */
export function detectColourDepth(env: NodeJS.ProcessEnv, readColours = readTerminfoColours): ColourDepth {
  const term = env.TERM ?? '';
  if (/^(truecolor|24bit)$/i.test(env.COLORTERM ?? '')) return 256;
  if (/-(256colou?r|direct)$/i.test(term) || /truecolor/i.test(term)) return 256;
  const colours = term ? readColours(term, env) : undefined;
  if (colours !== undefined) return colours >= 256 ? 256 : colours >= 16 ? 16 : 8;
  return /-16colou?r$/i.test(term) ? 16 : 8;
}
