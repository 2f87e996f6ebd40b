// CodeParser.definitions: name, kind and range of every function, class and method, so flows can splice by range.

import { describe, expect, it } from 'vitest';
import { loadPythonParser } from '../../src/tools/python-parser.js';

const parser = await loadPythonParser();

const MODULE = [
  'import os',
  '',
  '@cache',
  'def first(a):',
  '    def inner():',
  '        return 1',
  '    return inner()',
  '',
  'class Shape:',
  '    """é—😀 wide text before a method"""',
  '    @property',
  '    def area(self):',
  '        return 0',
  '',
  '    class Inner:',
  '        def deep(self): pass',
  '',
  'async def last(): return "é"',
  '',
].join('\n');

describe('definitions', () => {
  const found = parser.definitions(MODULE);

  it('names every top-level function and class and the methods of classes, in order', () => {
    expect(found.map((d) => [d.name, d.kind, d.line])).toEqual([
      ['first', 'function', 4],
      ['Shape', 'class', 9],
      ['Shape.area', 'method', 12],
      ['Shape.Inner', 'class', 15],
      ['Shape.Inner.deep', 'method', 16],
      ['last', 'function', 18],
    ]);
  });

  it('gives string ranges that cut out exactly the definition, decorators included', () => {
    const text = (name: string) => {
      const d = found.find((f) => f.name === name)!;
      return MODULE.slice(d.start, d.end);
    };
    expect(text('first')).toBe('@cache\ndef first(a):\n    def inner():\n        return 1\n    return inner()');
    expect(text('Shape.area')).toBe('@property\n    def area(self):\n        return 0');
    expect(text('last')).toBe('async def last(): return "é"');
  });

  it('splices a replacement by range', () => {
    const area = found.find((f) => f.name === 'Shape.area')!;
    const spliced = MODULE.slice(0, area.start) + 'def area(self):\n        return 42' + MODULE.slice(area.end);
    expect(parser.errors(spliced)).toEqual([]);
    expect(parser.definitions(spliced).map((d) => d.name)).toEqual(found.map((d) => d.name));
  });

  it('finds nothing in a module without definitions, and survives broken code', () => {
    expect(parser.definitions('x = 1\n')).toEqual([]);
    expect(parser.definitions('def ok():\n    return 1\n\ndef broken(:\n').map((d) => d.name)).toContain('ok');
  });
});
