// Bench: many `slotbench run` (and `probe`) processes at once in one folder (scripted model, real gate); rows lost = 0.

import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSummaries } from '../session/index-store.js';
import { resolvePython } from '../tools/python.js';
import { PROJECT_ROOT } from '../version.js';
import { median, type BenchResult } from './types.js';

const MAIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const DATASET = join(PROJECT_ROOT, '..', 'shared', 'datasets', 'HumanEval.jsonl.gz');
const SCRIPTS = join(PROJECT_ROOT, 'test', 'fixtures', 'scripts');

export interface ConcurrencyOptions {
  /** `slotbench run` processes started at once per round. */
  runs: number;
  /** `slotbench probe` processes started with them (each records one session of several flows). */
  probes: number;
  rounds: number;
}

/** One round's count: what the processes wrote against what the index lists. */
export interface RoundCount {
  sessions: number;
  /** Session files with no row. */
  rowsLost: number;
  /** Finished sessions whose row lacks the verdict. */
  verdictsLost: number;
  /** Processes that did not exit 0. */
  failed: number;
  ms: number;
}

export async function benchIndexConcurrency(options: ConcurrencyOptions = { runs: 16, probes: 2, rounds: 20 }): Promise<BenchResult> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const counts: RoundCount[] = [];
  for (let round = 0; round < options.rounds; round++) counts.push(await countRound(options));
  const sum = (key: keyof RoundCount) => counts.reduce((n, c) => n + c[key], 0);
  const lost = sum('rowsLost') + sum('verdictsLost');
  return {
    name: 'index-concurrency',
    figures: {
      rounds: options.rounds,
      processesPerRound: `${options.runs} run + ${options.probes} probe`,
      sessionsWritten: sum('sessions'),
      rowsLost: sum('rowsLost'),
      verdictsLost: sum('verdictsLost'),
      roundsLosingRows: counts.filter((c) => c.rowsLost + c.verdictsLost > 0).length,
      processesFailed: sum('failed'),
      msPerRound: Math.round(median(counts.map((c) => c.ms))),
    },
    target: `0 rows and 0 verdicts lost over ${options.rounds} rounds of ${options.runs} concurrent runs and ${options.probes} probes`,
    ok: lost === 0 && sum('failed') === 0 && sum('sessions') === options.rounds * (options.runs + options.probes),
  };
}

/** Start every process at once in a fresh folder, wait for all, and count the index against the files. */
export async function countRound(options: Omit<ConcurrencyOptions, 'rounds'>): Promise<RoundCount> {
  const cwd = await mkdtemp(join(tmpdir(), 'slotbench-bench-index-'));
  try {
    // Resolved once here: 16 processes each starting a pyenv shim (~2.5 s alone) on two cores overran its 30 s
    // limit, and this bench measures the index, not interpreter lookup.
    const python = (await resolvePython()).executable;
    const started = performance.now();
    const node = (args: string[]) => execa('node', [MAIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1', SLOTBENCH_PYTHON: python } });
    const problem = ['--dataset', DATASET, '--problem', 'HumanEval/0'];
    const results = await Promise.all([
      ...Array.from({ length: options.runs }, () => node(['run', ...problem, '--model-script', join(SCRIPTS, 'humaneval-0-canonical.json')])),
      ...Array.from({ length: options.probes }, () =>
        node(['probe', ...problem, '--model-script', join(SCRIPTS, 'humaneval-0-probe-mixed.json'), '--n', '2', '--temperature', '0.8'])),
    ]);
    const ms = performance.now() - started;
    const dir = join(cwd, 'sessions');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.jsonl'));
    const rows = new Map((await readSummaries(dir)).map((r) => [r.file, r]));
    let verdictsLost = 0;
    for (const file of files) {
      const row = rows.get(file);
      if (row && row.verdict === undefined && (await readFile(join(dir, file), 'utf8')).includes('"type":"flow_finished"')) verdictsLost++;
    }
    return {
      sessions: files.length,
      rowsLost: files.filter((f) => !rows.has(f)).length,
      verdictsLost,
      failed: results.filter((r) => r.exitCode !== 0).length,
      ms,
    };
  } finally {
    await rm(cwd, { recursive: true, force: true });
  }
}
