// `slotbench diff A B`: two sessions aligned slot by slot; the first divergence. Exit 0 when they agree, 1 when not.

import { UserError } from '../../core/errors.js';
import { compareSessions, describeDivergence, formatComparison } from '../../session/compare.js';
import { locateSession } from '../../session/locate.js';
import { sessionsDir } from '../../session/paths.js';
import { readSession } from '../../session/reader.js';
import { reduceAll } from '../../state/run-state.js';
import { decidingBranch } from '../../state/selectors.js';
import { safeJson, stripControl } from '../../text/sanitize.js';
import { DIFF_SPEC } from '../command-specs.js';
import { printWarnings, type Command } from '../io.js';
import { parseCommand } from '../options.js';

export const diffCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommand(DIFF_SPEC, argv);
  const align = values.align ?? 'order';
  if (align !== 'order' && align !== 'name') throw new UserError(`--align must be "order" or "name", got "${align}"`);
  const [a, b] = await Promise.all(positionals.map(async (p) => readSession(await locateSession(p, io.cwd, sessionsDir(io.cwd)))));
  printWarnings(io, [...a.warnings, ...b.warnings]);
  // Unless told otherwise, each side is the branch that decided its session's result.
  const branch = (flag: string, value: string | undefined, session: typeof a) => {
    if (value === undefined) return decidingBranch(reduceAll(session.events));
    const n = Number(value);
    if (!(Number.isInteger(n) && n >= 0)) throw new UserError(`${flag} must be a branch id (an integer ≥ 0), got "${value}"`);
    return n;
  };
  const comparison = compareSessions(a, b, {
    align,
    branchA: branch('--branch-a', values['branch-a'], a),
    branchB: branch('--branch-b', values['branch-b'], b),
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
