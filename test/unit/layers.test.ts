// The layers of STYLE.md as a rule: every import in src/ runs down (or across peers), none closes a cycle, core stays pure.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';

const SRC = join(PROJECT_ROOT, 'src');

/**
 * Layers from the bottom up; a file may import its own layer or any layer below. Path prefixes are relative to src/,
 * the longest prefix wins. Peers on one layer may import each other as long as no cycle forms.
 */
const LAYERS: [rank: number, prefixes: string[]][] = [
  [0, ['text/', 'core/', 'version.ts']],
  [1, ['config/', 'state/']],
  [2, ['tools/', 'model/', 'session/', 'flows/']],
  [3, ['runner/', 'probe/', 'eval/']],
  [4, ['ui/common/']],
  [5, ['ui/panes/']],
  [6, ['ui/controllers/']],
  [7, ['ui/']],
  [8, ['cli/', 'bench/']],
];

/** What core may import from outside: nothing that does I/O or draws (`diff` is pure text work). */
const CORE_PACKAGES = new Set(['diff']);

function layerOf(file: string): number {
  let best: { rank: number; length: number } | undefined;
  for (const [rank, prefixes] of LAYERS) {
    for (const prefix of prefixes) {
      if (file.startsWith(prefix) && (!best || prefix.length > best.length)) best = { rank, length: prefix.length };
    }
  }
  if (!best) throw new Error(`src/${file} is in no layer: add its folder to LAYERS in test/unit/layers.test.ts`);
  return best.rank;
}

interface Import {
  from: string;
  /** Relative to src/ for project files, the package name otherwise. */
  to: string;
  typeOnly: boolean;
  external: boolean;
}

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function importsOf(file: string): Import[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const found: Import[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[3] ?? match[4];
    const typeOnly = match[2] !== undefined;
    if (specifier.startsWith('.')) {
      const target = relative(SRC, resolve(SRC, dirname(file), specifier)).replace(/\.js$/, '.ts');
      found.push({ from: file, to: target, typeOnly, external: false });
    } else {
      found.push({ from: file, to: specifier, typeOnly, external: true });
    }
  }
  return found;
}

const files = sourceFiles();
const imports = files.flatMap(importsOf);

describe('layers', () => {
  it('every import runs down the layers or across peers', () => {
    const upward = imports
      .filter((i) => !i.external && layerOf(i.to) > layerOf(i.from))
      .map((i) => `${i.from} → ${i.to}`);
    expect(upward).toEqual([]);
  });

  it('no module imports itself through others (no cycles, type imports included)', () => {
    const edges = new Map<string, string[]>();
    for (const i of imports.filter((i) => !i.external)) edges.set(i.from, [...(edges.get(i.from) ?? []), i.to]);
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of edges.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('core imports no I/O, terminal or network package', () => {
    const impure = imports
      .filter((i) => i.from.startsWith('core/') && i.external && !CORE_PACKAGES.has(i.to))
      .map((i) => `${i.from} → ${i.to}`);
    expect(impure).toEqual([]);
  });

  it('every import resolves to a file in src/ (the rule above sees all of them)', () => {
    const known = new Set(files);
    expect(imports.filter((i) => !i.external && !known.has(i.to)).map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('no source file is over 400 lines', () => {
    const long = files
      .map((file) => ({ file, lines: readFileSync(join(SRC, file), 'utf8').split('\n').length }))
      .filter((f) => f.lines > 400)
      .map((f) => `${f.file}: ${f.lines}`);
    expect(long).toEqual([]);
  });
});
