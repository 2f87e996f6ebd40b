import { describe, expect, it } from 'vitest';
import { assembleCandidate, extractCode, normaliseTestOutput } from '../../src/flows/extract.js';

const stub = 'import math\n\n\ndef area(r):\n    """Area of a circle."""\n';

describe('extractCode', () => {
  it('takes the fenced block that defines the entry point', () => {
    const out = 'Here:\n```python\nx = 1\n```\nand\n```python\ndef area(r):\n    return 1\n```\nDone';
    expect(extractCode(out, 'area')).toEqual({ how: 'fenced', code: 'def area(r):\n    return 1' });
  });
  it('takes an unterminated block to the end', () => {
    expect(extractCode('```python\n    return r\n', 'area')).toEqual({ how: 'fenced', code: '    return r' });
  });
  it('falls back to the raw text', () => {
    expect(extractCode('    return r * r\n\n', 'area')).toEqual({ how: 'raw', code: '    return r * r' });
  });
});

describe('assembleCandidate', () => {
  it('appends a body under the stub', () => {
    expect(assembleCandidate(stub, 'area', '    return math.pi * r * r')).toBe(`${stub}    return math.pi * r * r\n`);
  });
  it('replaces the stub with a whole function, keeping what stands before it', () => {
    expect(assembleCandidate(stub, 'area', 'def area(r):\n    return 0')).toBe('import math\n\n\ndef area(r):\n    return 0\n');
  });
  it('drops an MBPP placeholder body before appending', () => {
    expect(assembleCandidate('def area(r):\n    """x"""\n    ...\n', 'area', '    return 2')).toBe('def area(r):\n    """x"""\n    return 2\n');
  });
});

describe('normaliseTestOutput', () => {
  it('removes temp paths and addresses and keeps the tail', () => {
    const text = 'Traceback:\n  File "/tmp/slotbench-abc/main.py", line 3\n<obj at 0x7f3a2b1c4d50>\nAssertionError';
    expect(normaliseTestOutput(text)).toBe('Traceback:\n  File "main.py", line 3\n<obj at 0x…>\nAssertionError');
    const long = Array.from({ length: 40 }, (_, i) => `line ${i}`).join('\n');
    expect(normaliseTestOutput(long, 5).split('\n')).toEqual(['…', 'line 35', 'line 36', 'line 37', 'line 38', 'line 39']);
  });

  it('strips terminal control sequences and caps each line and the whole (the candidate wrote part of it)', () => {
    const hostile = 'ok \x1b[31mred\x1b[0m \x1b]0;title\x07bell\x07 nul\x00 cr\r\n' + 'x'.repeat(1000);
    expect(normaliseTestOutput(hostile)).toBe(`ok red bell nul cr\n${'x'.repeat(300)}…`);
    const wide = Array.from({ length: 25 }, () => 'y'.repeat(299)).join('\n');
    const capped = normaliseTestOutput(wide);
    expect(capped.length).toBe(4001);
    expect(capped.startsWith('…')).toBe(true);
  });
});
