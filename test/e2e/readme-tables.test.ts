// README.md's command and key tables are exactly what `slotbench help --markdown` and `slotbench keys --markdown` print.

import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { scratchDir } from '../helpers/scratch.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');

/** The text between `<!-- BEGIN GENERATED: what -->` and its END line. */
function generatedBlock(readme: string, what: string): string {
  const begin = `<!-- BEGIN GENERATED: ${what} -->\n`;
  const end = `<!-- END GENERATED: ${what} -->`;
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no block marked "${what}"`);
  return readme.slice(from + begin.length, to);
}

describe('README tables', () => {
  it.each([['help', '--markdown'], ['keys', '--markdown']])(
    'the block of `slotbench %s %s` is its output (regenerate by pasting it between the markers)',
    async (...args) => {
      const printed = await execa('node', [BIN, ...args], { cwd: scratchDir('sb-readme-'), stripFinalNewline: false });
      const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
      expect(generatedBlock(readme, `slotbench ${args.join(' ')}`)).toBe(printed.stdout);
    },
  );

  it('lists every command with its options, and the workbench\'s :probe', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const command of ['tui', 'run', 'probe', 'replay', 'rerun', 'diff', 'sessions', 'doctor']) expect(readme).toContain(`### \`slotbench ${command} `);
    expect(readme).toMatch(/^\| `--tail LINES` \|/m);
    expect(readme).toMatch(/^\| `:probe \[N\] \[T\[,T…\]\]` \|/m);
  });
});
