// `slotbench diff A B`: two sessions aligned slot by slot; the first divergence. Exit 0 when they agree, 1 when not.

import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { compareSessions, describeDivergence, formatComparison } from '../../session/compare.js';
import { readSession } from '../../session/reader.js';
import { safeJson, stripControl } from '../../ui/sanitize.js';
import { printWarnings, type Command } from '../io.js';
import { numberOption, withNegativeNumbers } from '../numbers.js';

export const DIFF_USAGE = 'slotbench diff A.jsonl B.jsonl [--align order|name] [--branch-a N] [--branch-b N] [--json] (exit 1 when they diverge)';

const OPTIONS = {
  align: { type: 'string', default: 'order' },
  'branch-a': { type: 'string' },
  'branch-b': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

const BRANCH_RULE = { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER };

export const diffCommand: Command = async (argv, io) => {
  const { values, positionals } = parseArgs({ args: withNegativeNumbers(argv, OPTIONS), options: OPTIONS, allowPositionals: true, strict: true });
  if (positionals.length !== 2) throw new UserError(`diff needs two session files: ${DIFF_USAGE}`);
  if (values.align !== 'order' && values.align !== 'name') throw new UserError(`--align must be "order" or "name", got "${values.align}"`);
  const branch = (flag: string, value: string | undefined) => numberOption(value, `${flag} (a branch id)`, BRANCH_RULE) ?? 0;
  const [a, b] = await Promise.all(positionals.map((p) => readSession(resolve(io.cwd, p))));
  printWarnings(io, [...a.warnings, ...b.warnings]);

  const comparison = compareSessions(a, b, {
    align: values.align,
    branchA: branch('--branch-a', values['branch-a']),
    branchB: branch('--branch-b', values['branch-b']),
  });
  if (values.json) {
    const slot = (s: { id: string; name: string; ordinal: number; attempt: number } | undefined) =>
      s ? { id: s.id, name: s.name, ordinal: s.ordinal, attempt: s.attempt } : null;
    io.stdout.write(safeJson({
      a: comparison.a,
      b: comparison.b,
      identical: comparison.divergence === undefined,
      divergence: comparison.divergence ?? null,
      description: comparison.divergence ? describeDivergence(comparison.divergence, comparison) : null,
      pairs: comparison.pairs.map((p) => ({ a: slot(p.a), b: slot(p.b), difference: p.difference?.kind ?? null })),
    }) + '\n');
  } else {
    for (const line of formatComparison(comparison)) io.stdout.write(`${stripControl(line)}\n`);
  }
  return comparison.divergence ? 1 : 0;
};
