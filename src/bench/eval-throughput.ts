// Benchmark: an eval's problems/s over all of HumanEval with an instant scripted model, against the same 164 test
// programs run bare with the same parallelism; and the memory of a 164 × 3-repeat eval.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
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

const PARALLEL = 2;
const TARGET = 0.9;

/** The reference body of each task, as a model would answer inside the open code block. */
function referenceScript(tasks: Task[]): ScriptedModel {
  const answers = Object.fromEntries(
    tasks.map((t) => {
      const stub = t.files[0].text;
      const body = t.reference![0].text.slice(stub.length);
      return [t.ref.id, [{ slot: 'implement', text: `${body}\n\`\`\`\n` }]];
    }),
  );
  return new ScriptedModel({ label: 'benchmark: reference answers', answers: [], tasks: answers }, { maxParallel: PARALLEL });
}

/** The same check as one plain program (candidate, bindings, tests), as a person would run it by hand. */
function bareProgram(task: Task): string {
  const check = task.oracle;
  if (check.kind !== 'script') throw new Error('HumanEval tasks have script checks');
  const bindings = Object.entries(check.bind).map(([name, target]) => `${name} = ${target}\n`).join('');
  return `${task.reference![0].text}\n\n${bindings}${check.tests}`;
}

export async function benchEvalThroughput(): Promise<BenchResult> {
  const dataset = join(PROJECT_ROOT, '..', 'shared', 'datasets', 'HumanEval.jsonl.gz');
  const tasks = await loadTasks(dataset);
  const python = (await resolvePython()).executable;
  const dir = await mkdtemp(join(tmpdir(), 'slotbench-bench-eval-'));
  try {
    const bareStarted = performance.now();
    const programs = await Promise.all(tasks.map(async (t, i) => {
      const file = join(dir, `p${i}.py`);
      await writeFile(file, bareProgram(t));
      return file;
    }));
    await runPool(programs, async (file) => {
      const outcome = await runProcessGroup([python, file], { cwd: dir, env: testEnv(process.env, dir), timeoutMs: 30_000, outputCapBytes: 64 * 1024 });
      if (outcome.exitCode !== 0) throw new Error(`bare ${file} failed: ${outcome.stderrTail.slice(-200)}`);
      return { failedOnModel: false };
    }, { concurrency: PARALLEL });
    const bareSeconds = (performance.now() - bareStarted) / 1000;

    const one = await timedEval(dir, 'once', dataset, tasks, 1, python);
    const three = await timedEval(dir, 'thrice', dataset, tasks, 3, python);
    const ratio = tasks.length / one.seconds / (tasks.length / bareSeconds);
    return {
      name: 'eval-throughput',
      target: `eval problems/s ÷ bare test programs/s ≥ ${TARGET} (164 HumanEval, ${PARALLEL} at a time, instant scripted model)`,
      ok: ratio >= TARGET && one.passed === tasks.length,
      figures: {
        problems: tasks.length,
        parallel: PARALLEL,
        bare_problems_per_s: round(tasks.length / bareSeconds),
        eval_problems_per_s: round(tasks.length / one.seconds),
        ratio: round(ratio, 3),
        passed: `${one.passed}/${tasks.length}`,
        sandbox: one.sandbox,
        eval_164x3_seconds: round(three.seconds),
        eval_164x3_peak_rss_mb: round(three.peakRssMb),
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function timedEval(root: string, name: string, dataset: string, tasks: Task[], repeat: number, python: string) {
  const model = referenceScript(tasks);
  const [gate, parser] = await Promise.all([createPythonGate(), loadPythonParser()]);
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
    parallel: PARALLEL,
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
      parallel: PARALLEL,
    });
    return {
      seconds: (performance.now() - started) / 1000,
      passed: outcome.rows.filter((r) => r.verdict === 'pass' && r.repeat === 1).length,
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
