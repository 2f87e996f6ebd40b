// Colour depth detection: COLORTERM, the TERM families, and terminfo's `colors` in both compiled formats.

import { describe, expect, it } from 'vitest';
import { detectColourDepth, readTerminfoColours, terminfoColours } from '../../src/ui/shell/colour-depth.js';
import { scratchDir } from '../helpers/scratch.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A compiled terminfo entry holding only numbers: ncurses' 16-bit format, or its extended 32-bit one. */
function entry(colours: number, wide: boolean, names = 'x|test entry'): Buffer {
  const width = wide ? 4 : 2;
  const nameBytes = Buffer.from(`${names}\0`);
  const bools = 3;
  const header = Buffer.alloc(12);
  header.writeInt16LE(wide ? 0o1036 : 0o432, 0);
  header.writeInt16LE(nameBytes.length, 2);
  header.writeInt16LE(bools, 4);
  header.writeInt16LE(15, 6);
  const pad = (12 + nameBytes.length + bools) % 2;
  const numbers = Buffer.alloc(15 * width, 0xff);
  if (wide) numbers.writeInt32LE(colours, 13 * 4);
  else numbers.writeInt16LE(colours, 13 * 2);
  return Buffer.concat([header, nameBytes, Buffer.alloc(bools + pad, 1), numbers]);
}

describe('terminal colour depth', () => {
  it('reads `colors` from both compiled terminfo formats, and refuses what is not one', () => {
    expect(terminfoColours(entry(8, false))).toBe(8);
    expect(terminfoColours(entry(256, true))).toBe(256);
    expect(terminfoColours(entry(0x1000000, true, 'direct|even names'))).toBe(0x1000000);
    expect(terminfoColours(Buffer.from('not terminfo at all'))).toBeUndefined();
    expect(terminfoColours(entry(-1, false))).toBeUndefined();
  });

  it('finds an entry under $TERMINFO by first letter or its hex code', () => {
    const dir = scratchDir('sb-terminfo-');
    mkdirSync(join(dir, 'f'));
    writeFileSync(join(dir, 'f', 'foot-ish'), entry(256, true));
    mkdirSync(join(dir, '6b'));
    writeFileSync(join(dir, '6b', 'kitty-ish'), entry(16, false));
    const env = { TERMINFO: dir, TERMINFO_DIRS: dir, HOME: dir };
    expect(readTerminfoColours('foot-ish', env)).toBe(256);
    expect(readTerminfoColours('kitty-ish', env)).toBe(16);
    expect(readTerminfoColours('../f/foot-ish', env)).toBeUndefined();
    expect(detectColourDepth({ ...env, TERM: 'foot-ish' })).toBe(256);
    expect(detectColourDepth({ ...env, TERM: 'kitty-ish' })).toBe(16);
  });

  it('trusts COLORTERM and the *-256color families before terminfo, which blessed misreads for tmux and screen', () => {
    const eight = () => 8;
    for (const term of ['tmux-256color', 'screen-256color', 'xterm-256color', 'rxvt-unicode-256color', 'xterm-direct']) {
      expect(detectColourDepth({ TERM: term }, eight)).toBe(256);
    }
    expect(detectColourDepth({ TERM: 'screen', COLORTERM: 'truecolor' }, eight)).toBe(256);
    expect(detectColourDepth({ TERM: 'xterm', COLORTERM: '24bit' }, eight)).toBe(256);
  });

  it('otherwise goes by terminfo, and by the name when there is none', () => {
    const none = () => undefined;
    expect(detectColourDepth({ TERM: 'screen' }, () => 8)).toBe(8);
    expect(detectColourDepth({ TERM: 'xterm-88color' }, () => 88)).toBe(16);
    expect(detectColourDepth({ TERM: 'foot' }, () => 256)).toBe(256);
    expect(detectColourDepth({ TERM: 'xterm-16color' }, none)).toBe(16);
    expect(detectColourDepth({ TERM: 'vt100' }, none)).toBe(8);
    expect(detectColourDepth({}, none)).toBe(8);
  });
});
