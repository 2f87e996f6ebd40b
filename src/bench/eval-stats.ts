// Benchmark: `compare` statistics on two runs of 10,000 problems, bootstrap with 10,000 resamples (target < 2 s).

import { pairedBootstrapCi } from '../eval/stats/bootstrap.js';
import type { PairedDiff } from '../eval/stats/clusters.js';
import { compareRuns } from '../eval/stats/compare.js';
import type { Outcome, RunResults } from '../eval/stats/outcomes.js';
import { seededRandom } from '../eval/stats/rng.js';
import { median, type BenchResult } from './types.js';

const PROBLEMS = 10_000;
const RESAMPLES = 10_000;
const TARGET_MS = 2000;
const RUNS = 3;

/** Two runs of `problems` problems with K repeats: A passes 60%, B flips 8% of A's outcomes towards pass, 3% away. */
export function syntheticRuns(problems: number, repeats: number, classes = 0): { a: RunResults; b: RunResults } {
  const random = seededRandom(2024);
  const a: RunResults = { label: 'bench/a', problems: [] };
  const b: RunResults = { label: 'bench/b', problems: [] };
  for (let i = 0; i < problems; i++) {
    const id = `Bench/${i}`;
    const cls = classes > 0 ? { class: `c${i % classes}` } : {};
    const aOut: Outcome[] = [];
    const bOut: Outcome[] = [];
    for (let k = 0; k < repeats; k++) {
      const pass = random() < 0.6;
      const flip = random();
      aOut.push(random() < 0.005 ? 'error' : pass ? 'pass' : 'fail');
      bOut.push(!pass && flip < 0.08 ? 'pass' : pass && flip < 0.03 ? 'fail' : pass ? 'pass' : 'fail');
    }
    a.problems.push({ id, outcomes: aOut, ...cls });
    b.problems.push({ id, outcomes: bOut, ...cls });
  }
  return { a, b };
}

export async function benchEvalStats(problems = PROBLEMS, resamples = RESAMPLES): Promise<BenchResult> {
  const plain = syntheticRuns(problems, 1);
  const repeated = syntheticRuns(problems, 3, 100);
  const diffs: PairedDiff[] = Array.from({ length: problems }, (_, i) => ({ id: `d/${i}`, diff: (i % 10) / 10 - 0.4 }));
  const compare = timeMedian(() => compareRuns({ ...plain, bootstrap: { resamples } }));
  const compareRepeated = timeMedian(() => compareRuns({ ...repeated, bootstrap: { resamples } }));
  const bootstrap = timeMedian(() => pairedBootstrapCi(diffs, { resamples }));
  const verdict = compareRuns({ ...plain, bootstrap: { resamples } }).verdict.kind;
  return {
    name: 'eval stats',
    figures: {
      problems,
      resamples,
      compare_ms: round(compare.wall),
      compare_cpu_ms: round(compare.cpu),
      compare_repeat3_classes100_ms: round(compareRepeated.wall),
      compare_repeat3_classes100_cpu_ms: round(compareRepeated.cpu),
      bootstrap_alone_ms: round(bootstrap.wall),
      bootstrap_alone_cpu_ms: round(bootstrap.cpu),
      heldout_verdict: verdict,
      mode: `median of ${RUNS} after a warm-up; compare = both splits (≈${problems / 2} problems each), every statistic; bootstrap_alone = one CI over all ${problems} problems`,
    },
    target: `< ${TARGET_MS} ms CPU for ${problems.toLocaleString('en')} problems with ${resamples.toLocaleString('en')} resamples, compare and one bootstrap over all of them (single-threaded: wall = CPU on an idle machine, wall printed too)`,
    // Judged on CPU time: the work is single-threaded, and on a shared machine wall time measures the other tenants.
    ok: Math.max(compare.cpu, compareRepeated.cpu, bootstrap.cpu) < TARGET_MS,
  };
}

/** Median wall and CPU milliseconds of RUNS calls after one warm-up. */
function timeMedian(work: () => unknown): { wall: number; cpu: number } {
  work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const usage = process.cpuUsage();
    work();
    const used = process.cpuUsage(usage);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

function round(value: number): number {
  return Number(value.toFixed(1));
}
