// Benchmark: wall time of a test run through the gate against the same file run bare by the same interpreter.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestRunInfo } from '../core/events.js';
import { loadTask } from '../tools/datasets.js';
import type { GateInput } from '../core/ports.js';
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
  const program = bareProgram(input);
  const python = (await resolvePython()).executable;
  const gates: PythonGate[] = [await createPythonGate({ python, sandbox: 'none' })];
  const sandboxed = await createPythonGate({ python, sandbox: 'auto' });
  if (sandboxed.sandbox === 'bwrap') gates.push(sandboxed);

  const dir = await mkdtemp(join(tmpdir(), 'slotbench-bench-'));
  const file = join(dir, 'program.py');
  await writeFile(file, program);
  const env = testEnv(process.env, dir);
  const bare = async () => {
    const started = performance.now();
    const outcome = await runProcessGroup([python, file], { cwd: dir, env, timeoutMs: TIMEOUT_MS, outputCapBytes: 64 * 1024 });
    if (outcome.exitCode !== 0) throw new Error(`bare run failed: ${outcome.stderrTail}`);
    return performance.now() - started;
  };
  const through = (gate: PythonGate) => async () => {
    const started = performance.now();
    const info: TestRunInfo = await gate.run({ ...input, timeoutMs: TIMEOUT_MS });
    if (info.verdict !== 'pass') throw new Error(`gate run (${gate.sandbox}) gave ${info.verdict}: ${info.stderrTail}`);
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
  gates.forEach((gate, i) => {
    figures[`gate_${gate.sandbox}_ms`] = round(median(times[i + 1]));
    figures[`ratio_${gate.sandbox}`] = round(median(times[i + 1]) / bareMs, 3);
  });
  if (sandboxed.sandbox !== 'bwrap') figures.bwrap = sandboxed.warning ?? 'unavailable';
  // The gate a run gets by default is the one judged: sandboxed where bwrap works.
  const judged = figures[`ratio_${sandboxed.sandbox}`] as number;
  return { name: 'gate overhead', figures, target: `gate wall time ÷ bare interpreter run ≤ ${TARGET.toFixed(2)}`, ok: judged <= TARGET };
}

function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}
