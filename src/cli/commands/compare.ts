// `slotbench compare RUN_A RUN_B`: what differs in how they ran first, then the paired statistics and one verdict.

import { resolve } from 'node:path';
import { runResults } from '../../eval/eval-row.js';
import { fingerprintDiff } from '../../eval/manifest.js';
import { renderComparison } from '../../eval/report-text.js';
import { readRunDir } from '../../eval/run-dir.js';
import { compareRuns } from '../../eval/stats/compare.js';
import { safeJson, stripControl } from '../../text/sanitize.js';
import { COMPARE_SPEC } from '../command-specs.js';
import { printWarnings, type Command } from '../io.js';
import { parseCommand } from '../options.js';

export const compareCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommand(COMPARE_SPEC, argv);
  const [a, b] = positionals.map((p) => readRunDir(resolve(io.cwd, p)));
  const noise = values.noise !== undefined ? readRunDir(resolve(io.cwd, values.noise)) : undefined;
  printWarnings(io, [a, b, ...(noise ? [noise] : [])].flatMap((r) => r.warnings));

  const differences = fingerprintDiff(a.manifest.fingerprint, b.manifest.fingerprint);
  const comparison = compareRuns({
    a: runResults(positionals[0], a.rows),
    b: runResults(positionals[1], b.rows),
    ...(noise ? { noise: runResults(values.noise!, noise.rows) } : {}),
    differingSettings: differences.map((d) => d.key),
  });
  if (values.json) {
    io.stdout.write(safeJson({ differences, comparison }) + '\n');
    return 0;
  }
  const md = values.md;
  const lines = [
    md ? '### what differs between A and B' : 'what differs between A and B:',
    ...(differences.length === 0
      ? [`${md ? '- ' : '  '}nothing in the fingerprint: the two runs had the same settings`]
      : differences.map((d) => `${md ? '- ' : '  '}${stripControl(d.key)}: ${stripControl(d.a)} → ${stripControl(d.b)}`)),
    '',
    ...renderComparison(comparison, md ? 'markdown' : 'text'),
  ];
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
};
