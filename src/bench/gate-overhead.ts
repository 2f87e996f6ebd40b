// Benchmark: wall time of a test run through the gate against the same test run bare, as one program, by the same
// interpreter; and what the two-process judge, the sandbox and the cgroup each cost on top.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GateInput } from '../core/ports.js';
import { loadTask } from '../tools/datasets.js';
import { createPythonGate, testEnv, type PythonGate } from '../tools/gate.js';
import { runProcessGroup } from '../tools/gate/run-process.js';
import { resolvePython } from '../tools/python.js';
import { PROJECT_ROOT } from '../version.js';
import { median, type BenchResult } from './types.js';

const RUNS = 30;
const WARMUP = 3;
const TIMEOUT_MS = 30_000;
const TARGET = 1.1;

/** HumanEval/0's reference and its check, from the shared datasets beside the project. */
async function benchInput(): Promise<Omit<GateInput, 'timeoutMs'>> {
  const task = await loadTask(join(PROJECT_ROOT, '..', 'shared', 'datasets', 'HumanEval.jsonl'), 'HumanEval/0');
  return { workspace: { files: task.reference! }, check: task.oracle, judge: 'oracle' };
}

/** The same test as one plain program, as a person would run it by hand. */
function bareProgram(input: Omit<GateInput, 'timeoutMs'>): string {
  const { check, workspace } = input;
  if (check.kind !== 'script' || !('files' in workspace)) throw new Error('bench needs a script check');
  const module = workspace.files.find((f) => f.path === check.module)!.text;
  const bindings = Object.entries(check.bind).map(([name, target]) => `${name} = ${target}\n`).join('');
  return `${module}\n${bindings}${check.tests}`;
}

export async function benchGateOverhead(runs = RUNS): Promise<BenchResult> {
  const input = await benchInput();
  const python = (await resolvePython()).executable;
  // The gate a run gets by default is the last one: bwrap and a cgroup per run, where the machine has them.
  const gates: Array<[string, PythonGate]> = [
    ['none_nocgroup', await createPythonGate({ python, sandbox: 'none', cgroup: false })],
    ['bwrap_nocgroup', await createPythonGate({ python, sandbox: 'bwrap', cgroup: false })],
    ['bwrap', await createPythonGate({ python, sandbox: 'bwrap' })],
  ];
  const dir = await mkdtemp(join(tmpdir(), 'slotbench-bench-'));
  const file = join(dir, 'program.py');
  await writeFile(file, bareProgram(input));
  const env = testEnv(process.env, dir);
  const bare = async () => {
    const started = performance.now();
    const outcome = await runProcessGroup([python, file], { cwd: dir, env, timeoutMs: TIMEOUT_MS, outputCapBytes: 64 * 1024 });
    if (outcome.exitCode !== 0) throw new Error(`bare run failed: ${outcome.stderrTail}`);
    return performance.now() - started;
  };
  const through = ([name, gate]: [string, PythonGate]) => async () => {
    const started = performance.now();
    const info = await gate.run({ ...input, timeoutMs: TIMEOUT_MS });
    if (info.verdict !== 'pass') throw new Error(`gate run (${name}) gave ${info.verdict}: ${info.stderrTail}`);
    return performance.now() - started;
  };
  const contenders = [bare, ...gates.map(through)];
  const times: number[][] = contenders.map(() => []);
  try {
    // Interleaved, so a burst of load elsewhere on the machine hits every contender alike.
    for (let i = 0; i < runs + WARMUP; i++) {
      for (const [k, run] of contenders.entries()) {
        const ms = await run();
        if (i >= WARMUP) times[k].push(ms);
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const bareMs = median(times[0]);
  const figures: Record<string, number | string> = { python, runs, bare_ms: round(bareMs) };
  gates.forEach(([name], i) => {
    figures[`gate_${name}_ms`] = round(median(times[i + 1]));
    figures[`ratio_${name}`] = round(median(times[i + 1]) / bareMs, 3);
  });
  const ms = (name: string) => figures[`gate_${name}_ms`] as number;
  figures.two_process_cost_ms = round(ms('none_nocgroup') - bareMs);
  figures.sandbox_cost_ms = round(ms('bwrap_nocgroup') - ms('none_nocgroup'));
  figures.cgroup_cost_ms = round(ms('bwrap') - ms('bwrap_nocgroup'));
  figures.cgroup = gates[2][1].cgroup ?? 'none';
  const judged = figures.ratio_bwrap as number;
  return { name: 'gate overhead', figures, target: `gate wall time (bwrap, cgroup) ÷ bare interpreter run ≤ ${TARGET.toFixed(2)}`, ok: judged <= TARGET };
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}
