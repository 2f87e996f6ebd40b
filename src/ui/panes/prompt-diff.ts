// A line diff of two prompts for the compare view: what an edit or a different history changed, not just where.

import { createTwoFilesPatch } from 'diff';
import { clean, textLines, type Line } from '../common/text.js';
import type { StyleName } from '../common/theme.js';

/** Unchanged lines kept around each change. */
const CONTEXT = 2;

function lineStyle(line: string): StyleName | undefined {
  if (line.startsWith('@@')) return 'diff.hunk';
  if (line.startsWith('+')) return 'diff.add';
  if (line.startsWith('-')) return 'diff.del';
  return undefined;
}

/** The unified diff of prompt `a` → `b` (labelled with the sides' names), wrapped to `cols`; none when they are equal. */
export function promptDiffLines(a: string, b: string, names: { a: string; b: string }, cols: number): Line[] {
  if (a === b) return [];
  const patch = createTwoFilesPatch(`prompt ${names.a}`, `prompt ${names.b}`, a, b, '', '', { context: CONTEXT });
  // From the first hunk on: the file headers above it repeat what the heading says.
  const all = patch.split('\n');
  const body = all.slice(all.findIndex((line) => line.startsWith('@@'))).filter((line) => line !== '' && !line.startsWith('\\'));
  return body.flatMap((line) => textLines(clean(line), cols, lineStyle(line)));
}
