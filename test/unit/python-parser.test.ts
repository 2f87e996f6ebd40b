// The Python parser: errors (tree + indentation, checked against CPython), token equality for re-indent, normal form.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CodeParser } from '../../src/core/ports.js';
import type { Task } from '../../src/core/task.js';
import { loadTasks } from '../../src/tools/datasets.js';
import { loadPythonParser } from '../../src/tools/python-parser.js';
import { resolvePython } from '../../src/tools/python.js';
import { sharedDir } from '../helpers/shared.js';

let parser: CodeParser;
let humanEval: Task[];

beforeAll(async () => {
  parser = await loadPythonParser();
  humanEval = await loadTasks(join(sharedDir(), 'datasets', 'HumanEval.jsonl'));
});

const reference = (n: number) => humanEval[n].reference![0].text;

/** HumanEval/0's reference with the inner `for` pulled back to the level of the outer one. */
function brokenZero(): string {
  return reference(0).replace('\n        for idx2,', '\n    for idx2,');
}

describe('errors', () => {
  it('is empty for code that parses', () => {
    expect(parser.errors(reference(0))).toEqual([]);
  });

  it('finds a wrongly dedented body, which tree-sitter alone accepts', () => {
    const errors = parser.errors(brokenZero());
    expect(errors).toHaveLength(1);
    const line = brokenZero().split('\n').findIndex((l) => l.includes('for idx2,')) + 1;
    expect(errors[0]).toMatchObject({ line, column: 5, text: expect.stringMatching(/^expected an indented block after line/) });
  });

  it('reports unexpected indents, bad dedents and an opener at the end', () => {
    expect(parser.errors('x = 1\n    y = 2\n')).toEqual([{ line: 2, column: 5, text: 'unexpected indent', indentation: true }]);
    expect(parser.errors('def f(x):\n    y = x\n  return y\n')[0].text).toBe('unindent does not match any outer indentation level');
    expect(parser.errors('def f(x):\n    # nothing yet\n')[0]).toMatchObject({ line: 1, text: 'expected an indented block after line 1' });
  });

  it('reports syntax errors with line, column and a snippet', () => {
    const errors = parser.errors('def f(x):\n    return x +* 2\n');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].line).toBe(2);
    expect(errors[0].column).toBeGreaterThan(1);
    expect(errors[0].text.length).toBeGreaterThan(0);
  });

  it('ignores brackets, continuations, strings and comments when checking indentation', () => {
    const code = [
      'def f(a,',
      '      b):',
      '    x = [1,',
      '  2]',
      '    y = """',
      'not: indentation',
      '"""',
      '    z = a + \\',
      '            b',
      '# a comment at column 0',
      '    if x: return y',
      '    return {"k":',
      '        z}',
      '',
    ].join('\n');
    expect(parser.errors(code)).toEqual([]);
  });

  it('agrees with CPython on HumanEval and MBPP references, as given and re-indented', async () => {
    const mbpp = await loadTasks(join(sharedDir(), 'datasets', 'mbpp.jsonl'));
    const references = [...humanEval, ...mbpp].map((t) => t.reference![0].text);
    const cases = references.flatMap((code) => [code, ...[2, -2, 4, -4, 1].map((shift) => shiftOneLine(code, shift))]);
    const python = (await resolvePython()).executable;
    const script = [
      'import ast, json, sys',
      'out = []',
      'for c in json.load(sys.stdin):',
      '    try:',
      '        ast.parse(c); out.append(True)',
      '    except SyntaxError:',
      '        out.append(False)',
      'print(json.dumps(out))',
    ].join('\n');
    const cpython: boolean[] = JSON.parse(execFileSync(python, ['-c', script], { input: JSON.stringify(cases) }).toString());
    const disagreements = cases.filter((c, i) => (parser.errors(c).length === 0) !== cpython[i]);
    expect(disagreements).toEqual([]);
    expect(cpython.filter((ok) => !ok).length).toBeGreaterThan(1000);
  });
});

let seed = 7;
/** Deterministic pseudo-random numbers in [0, 1), so the perturbations are the same every run. */
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}

/** Move one non-blank line by `shift` columns (left only where it has that many leading spaces). */
function shiftOneLine(code: string, shift: number): string {
  const lines = code.split('\n');
  const candidates = lines.map((_, i) => i).filter((i) => lines[i].trim() !== '' && (shift > 0 || lines[i].startsWith(' '.repeat(-shift))));
  if (candidates.length === 0) return code;
  const at = candidates[Math.floor(random() * candidates.length)];
  lines[at] = shift > 0 ? ' '.repeat(shift) + lines[at] : lines[at].slice(-shift);
  return lines.join('\n');
}

describe('sameTokens', () => {
  it('is true for re-indented code, including its docstring', () => {
    const original = reference(0);
    const reindented = original
      .split('\n')
      .map((l) => l.replace(/^( +)/, (s) => '\t'.repeat(s.length / 4)))
      .join('\n');
    expect(parser.sameTokens(brokenZero(), original)).toBe(true);
    expect(parser.sameTokens(reindented, original)).toBe(true);
    expect(parser.sameTokens('def f(x):\n  """Doc\n  more"""\n  return x  # why\n', 'def f(x):\n    """Doc\n    more"""\n    return x\n')).toBe(true);
  });

  it('is false for a changed operator, identifier, number or string contents', () => {
    const original = reference(0);
    expect(parser.sameTokens(original, original.replace('distance < threshold', 'distance <= threshold'))).toBe(false);
    expect(parser.sameTokens(original, original.replace('abs(elem - elem2)', 'abs(elem - elem)'))).toBe(false);
    expect(parser.sameTokens('x = 10', 'x = 1')).toBe(false);
    expect(parser.sameTokens('s = "a b"', 's = "ab"')).toBe(false);
    expect(parser.sameTokens("s = 'x'", 's = "x"')).toBe(false);
    expect(parser.sameTokens('return x', 'returnx')).toBe(false);
  });

  it('counts code that is commented out or in', () => {
    expect(parser.sameTokens('x = 1\ny = 2\n', 'x = 1\n# y = 2\n')).toBe(false);
  });

  it('reads tokens the way Python does', () => {
    expect(parser.sameTokens('a**=2', 'a ** = 2')).toBe(false);
    expect(parser.sameTokens('x = 1e-5', 'x = 1e - 5')).toBe(false);
    expect(parser.sameTokens('s = "a # b"', 's = "a')).toBe(false);
    expect(parser.sameTokens("s = r'\\'' + f'{x}'", "s = r'\\''  +  f'{x}'")).toBe(true);
  });
});

describe('normalise', () => {
  it('is equal for renamed variables and parameters, comments, docstrings and layout', () => {
    const a = 'def add(x, y):\n    """Add."""\n    total = x + y  # sum\n    return total\n';
    const b = 'def add(first, second):\n    result = (first\n              + second)\n    return result\n';
    expect(parser.normalise(a)).toBe(parser.normalise(b));
  });

  it('differs for different logic', () => {
    const base = 'def f(xs):\n    return sorted(xs)[0]\n';
    expect(parser.normalise(base)).not.toBe(parser.normalise('def f(xs):\n    return sorted(xs)[-1]\n'));
    expect(parser.normalise(base)).not.toBe(parser.normalise('def f(xs):\n    return max(xs)\n'));
    expect(parser.normalise(base)).not.toBe(parser.normalise('def f(xs):\n    return sorted(xs, reverse=True)[0]\n'));
    expect(parser.normalise('def f(a, b):\n    return a - b\n')).not.toBe(parser.normalise('def f(a, b):\n    return b - a\n'));
  });

  it('drops redundant parentheses but not grouping', () => {
    expect(parser.normalise('y = (a + b) * c')).not.toBe(parser.normalise('y = a + b * c'));
    expect(parser.normalise('y = a + (b * c)')).toBe(parser.normalise('y = a + b * c'));
    expect(parser.normalise('return (not (x))')).toBe(parser.normalise('return not x'));
  });

  it('keeps block structure', () => {
    const inside = 'def f(xs):\n    for x in xs:\n        print(x)\n        print(x)\n';
    const after = 'def f(xs):\n    for x in xs:\n        print(x)\n    print(x)\n';
    expect(parser.normalise(inside)).not.toBe(parser.normalise(after));
  });

  it('keeps attribute, keyword-argument and imported names', () => {
    const form = parser.normalise('import math\nfrom typing import List\ndef f(xs: List[int]):\n    xs.sort(key=abs)\n    return math.sqrt(len(xs))\n');
    for (const name of ['math', 'List', 'sort', 'key', 'abs', 'sqrt', 'len']) expect(form).toContain(name);
    expect(form).not.toContain('xs');
  });

  it('renames the same way in HumanEval/0 with other names', () => {
    const renamed = reference(0).replaceAll('elem2', 'other').replaceAll('idx2', 'j').replaceAll('distance', 'd');
    expect(parser.normalise(renamed)).toBe(parser.normalise(reference(0)));
  });
});
