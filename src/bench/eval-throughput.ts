// Benchmark: an eval's problems/s over all of HumanEval with an instant scripted model, against the same 164 test
// programs run bare with the same parallelism (and through the gate alone, to split the gap); and the memory of a
// 164 × 3-repeat eval.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SAMPLING } from '../core/sampling.js';
import type { Task } from '../core/task.js';
import { runEval } from '../eval/eval-runner.js';
import { buildManifest } from '../eval/manifest.js';
import { createRunDir } from '../eval/run-dir.js';
import { implementFlow } from '../flows/implement.js';
import { ScriptedModel } from '../model/scripted.js';
import { runPool } from '../runner/pool.js';
import { loadTasks } from '../tools/datasets.js';
import { createPythonGate, testEnv } from '../tools/gate.js';
import { runProcessGroup } from '../tools/gate/run-process.js';
import { loadPythonParser } from '../tools/python-parser.js';
import { resolvePython } from '../tools/python.js';
import { PROJECT_ROOT } from '../version.js';
import type { BenchResult } from './types.js';

/** Test programs at once, in every pass. */
const PARALLEL = 2;
const TARGET = 0.9;

/** The reference body of each task, as a model would answer inside the open code block. */
function referenceScript(tasks: Task[], slots: number): ScriptedModel {
  const answers = Object.fromEntries(
    tasks.map((t) => {
      const stub = t.files[0].text;
      const body = t.reference![0].text.slice(stub.length);
      return [t.ref.id, [{ slot: 'implement', text: `${body}\n\`\`\`\n` }]];
    }),
  );
  return new ScriptedModel({ label: 'benchmark: reference answers', answers: [], tasks: answers }, { maxParallel: slots });
}

/** The same check as one plain program (candidate, bindings, tests), as a person would run it by hand. */
function bareProgram(task: Task): string {
  const check = task.oracle;
  if (check.kind !== 'script') throw new Error('HumanEval tasks have script checks');
  const bindings = Object.entries(check.bind).map(([name, target]) => `${name} = ${target}\n`).join('');
  return `${task.reference![0].text}\n\n${bindings}${check.tests}`;
}

interface Context {
  root: string;
  dataset: string;
  tasks: Task[];
  python: string;
  programs: string[];
}

export async function benchEvalThroughput(): Promise<BenchResult> {
  const dataset = join(PROJECT_ROOT, '..', 'shared', 'datasets', 'HumanEval.jsonl.gz');
  const tasks = await loadTasks(dataset);
  const python = (await resolvePython()).executable;
  const root = await mkdtemp(join(tmpdir(), 'slotbench-bench-eval-'));
  try {
    const programs = await Promise.all(tasks.map(async (t, i) => {
      const file = join(root, `p${i}.py`);
      await writeFile(file, bareProgram(t));
      return file;
    }));
    const context: Context = { root, dataset, tasks, python, programs };
    const loadBefore = loadavg()[0];
    // Each pass twice, the second round in reverse order, so a load that rises or falls during the bench (the machine
    // is shared) weighs on every pass alike.
    const passes = { bare: () => barePass(context), gate: () => gatePass(context), eval: () => evalPass(context, PARALLEL), pipelined: () => evalPass(context, 2 * PARALLEL) };
    const seconds: Record<keyof typeof passes, number> = { bare: 0, gate: 0, eval: 0, pipelined: 0 };
    const order = Object.keys(passes) as Array<keyof typeof passes>;
    for (const name of [...order, ...[...order].reverse()]) seconds[name] += await passes[name]();
    const loadAfter = loadavg()[0];
    const three = await timedEval(context, 'thrice', 3, PARALLEL);

    const rate = (s: number) => (2 * tasks.length) / s;
    const ratio = seconds.bare / seconds.eval;
    return {
      name: 'eval-throughput',
      target: `eval problems/s ÷ bare test programs/s ≥ ${TARGET} (164 HumanEval, ${PARALLEL} tests at a time, instant scripted model)`,
      ok: ratio >= TARGET,
      figures: {
        problems: tasks.length,
        tests_at_once: PARALLEL,
        bare_problems_per_s: round(rate(seconds.bare)),
        gate_alone_problems_per_s: round(rate(seconds.gate)),
        eval_problems_per_s: round(rate(seconds.eval)),
        ratio: round(ratio, 3),
        gate_alone_vs_bare: round(seconds.bare / seconds.gate, 3),
        eval_vs_gate_alone: round(seconds.gate / seconds.eval, 3),
        eval_overhead_ms_per_problem: round(((seconds.eval - seconds.gate) * 1000 * PARALLEL) / (2 * tasks.length), 1),
        [`pipelined_ratio (${2 * PARALLEL} problems at once, still ${PARALLEL} tests)`]: round(seconds.bare / seconds.pipelined, 3),
        passed: `${three.passed}/${3 * tasks.length} (164 × 3)`,
        sandbox: three.sandbox,
        eval_164x3_seconds: round(three.seconds),
        eval_164x3_peak_rss_mb: round(three.peakRssMb),
        load_average_1min: `${round(loadBefore, 1)} at the start, ${round(loadAfter, 1)} after the timed passes`,
      },
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Every program run by the interpreter, nothing around it; seconds. */
async function barePass({ root, python, programs }: Context): Promise<number> {
  const started = performance.now();
  await runPool(programs, async (file) => {
    const outcome = await runProcessGroup([python, file], { cwd: root, env: testEnv(process.env, root), timeoutMs: 30_000, outputCapBytes: 64 * 1024 });
    if (outcome.exitCode !== 0) throw new Error(`bare ${file} failed: ${outcome.stderrTail.slice(-200)}`);
    return { failedOnModel: false };
  }, { concurrency: PARALLEL });
  return (performance.now() - started) / 1000;
}

/** The gate (sandbox, judge and worker processes, limits) on the reference candidates, without an eval around it. */
async function gatePass({ tasks }: Context): Promise<number> {
  const gate = await createPythonGate({ maxParallel: PARALLEL });
  const started = performance.now();
  await runPool(tasks, async (task) => {
    const run = await gate.run({ workspace: { files: task.reference! }, check: task.oracle, judge: 'oracle', timeoutMs: 30_000 });
    if (run.verdict !== 'pass') throw new Error(`gate judged the reference of ${task.ref.id} ${run.verdict}`);
    return { failedOnModel: false };
  }, { concurrency: PARALLEL });
  return (performance.now() - started) / 1000;
}

/** The whole eval (flow, sessions recorded, rows appended) with `width` problems at once; seconds, all passing. */
async function evalPass(context: Context, width: number): Promise<number> {
  const run = await timedEval(context, `eval-${width}-${Math.random().toString(36).slice(2)}`, 1, width);
  if (run.passed !== context.tasks.length) throw new Error(`the eval passed ${run.passed} of ${context.tasks.length} reference answers`);
  return run.seconds;
}

async function timedEval({ root, dataset, tasks, python }: Context, name: string, repeat: number, width: number) {
  const model = referenceScript(tasks, width);
  const [gate, parser] = await Promise.all([createPythonGate({ maxParallel: PARALLEL }), loadPythonParser()]);
  const dir = join(root, name);
  const manifest = await buildManifest({
    datasetPath: dataset,
    selection: { split: 'all', limit: null, idsFile: null, problems: tasks.length, problemIds: tasks.map((t) => t.ref.id) },
    repeat,
    flow: 'implement',
    flowOptions: { repair: 'on' },
    attempts: 1,
    model: model.identity,
    info: await model.info(),
    sampling: DEFAULT_SAMPLING,
    gate: { timeoutMs: 30_000, sandbox: gate.sandbox, python },
    parallel: width,
  });
  createRunDir(dir, manifest);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const started = performance.now();
  try {
    const outcome = await runEval({
      dir,
      tasks,
      repeat,
      flow: implementFlow,
      flowOptions: { repair: 'on' },
      models: { get: () => model, names: () => ['scripted'] },
      model: 'scripted',
      sampling: DEFAULT_SAMPLING,
      attempts: 1,
      gateTimeoutMs: 30_000,
      tools: { gate, parser },
      parallel: width,
    });
    return {
      seconds: (performance.now() - started) / 1000,
      passed: outcome.rows.filter((r) => r.verdict === 'pass').length,
      peakRssMb: peak / 1024 / 1024,
      sandbox: gate.sandbox,
    };
  } finally {
    clearInterval(sampler);
  }
}

function round(value: number, digits = 2): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}
