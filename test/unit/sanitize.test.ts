// Terminal safety of text from outside: control sequences, control characters and bidi controls never pass.

import { describe, expect, it } from 'vitest';
import { oneSafeLine, safeJson, stripControl } from '../../src/text/sanitize.js';

const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

describe('stripControl', () => {
  it.each(BIDI.map((c) => [c.codePointAt(0)!.toString(16).toUpperCase(), c]))('strips the bidi control U+%s', (_name, c) => {
    expect(stripControl(`evil${c}txt.exe`)).toBe('eviltxt.exe');
  });

  it('strips OSC 52 (clipboard), a title change, BEL and CSI, keeping the text, newlines and tabs', () => {
    const hostile = 'id\u001b]52;c;cm0gLXJmIH4=\u0007-\u001b]0;pwned\u001b\\x\u0007\u001b[31mred\u001b[0m\tok\nnext';
    expect(stripControl(hostile)).toBe('id-xred\tok\nnext');
  });

  it('keeps right-to-left letters themselves: only the controls go', () => {
    expect(stripControl('שלום مرحبا')).toBe('שלום مرحبا');
  });
});

describe('oneSafeLine', () => {
  it('folds line breaks and tab runs into spaces after stripping', () => {
    expect(oneSafeLine('a\n  b\r\n\tc\u001b[2Jd\u202E\t\te')).toBe('a b cd e');
  });
});

describe('safeJson', () => {
  it('writes DEL, C1 controls, bidi controls and line separators as escapes, and parses back to the same value', () => {
    const value = { label: `a\u009b31mb\u202Ec\u2028d\u007f`, n: 1, nested: ['\u2066x\u2069'] };
    const text = safeJson(value);
    expect(text).not.toMatch(/[\u007f-\u009f\u202A-\u202E\u2066-\u2069\u2028\u2029]/);
    expect(text).toContain('\\u202e');
    expect(JSON.parse(text)).toEqual(value);
  });
});
