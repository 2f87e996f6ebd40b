// The Python test gate: runs a program in a fresh temp dir, sandboxed and rlimited, and turns the exit into a verdict.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GateInput, GatePort } from '../core/ports.js';
import type { GateVerdict, TestRunInfo } from '../core/events.js';
import { UserError } from '../core/errors.js';
import type { ScriptCheck, WorkspaceFile } from '../core/task.js';
import { resolvePython } from './python.js';
import { findOnPath } from './gate/find-on-path.js';
import { runProcessGroup, type ProcessOutcome } from './gate/run-process.js';
import { bwrapProblem, inBwrap, signalFromBwrapExit, withLimits } from './gate/sandbox.js';

export interface PythonGateOptions {
  /** Interpreter to run; default: the real interpreter behind `SLOTBENCH_PYTHON` / `python3`. */
  python?: string;
  /** 'auto' uses bwrap when it works here; 'bwrap' requires it; 'none' runs unsandboxed. */
  sandbox?: 'auto' | 'bwrap' | 'none';
  /** Address-space limit of the test process (default 2048: glibc reserves 64 MB arenas per thread). */
  memoryMb?: number;
  /** CPU-time limit; default: the run's timeout in whole seconds, plus one. */
  cpuSeconds?: number;
  /** Bytes kept from the end of stdout and of stderr (default 64 KiB each). */
  outputCapBytes?: number;
  /** Environment to look programs up in (PATH, SLOTBENCH_PYTHON); default: this process's. */
  env?: NodeJS.ProcessEnv;
}

/** A gate that also says how it runs tests, for `doctor` and benches. */
export interface PythonGate extends GatePort {
  readonly python: string;
  readonly sandbox: 'bwrap' | 'none';
}

export const NO_BWRAP_WARNING = 'bwrap not found: tests run unsandboxed (install bubblewrap: apt-get install -y bubblewrap)';

const PROGRAM_FILE = 'program.py';

export async function createPythonGate(options: PythonGateOptions = {}): Promise<PythonGate> {
  const env = options.env ?? process.env;
  const python = options.python ?? (await resolvePython(env)).executable;
  const mode = options.sandbox ?? 'auto';
  const prlimit = await findOnPath('prlimit', env.PATH);
  const { bwrap, warning } = mode === 'none' ? { bwrap: undefined, warning: 'sandbox off: tests run unsandboxed' } : await findSandbox(mode, python, env);
  const outputCapBytes = options.outputCapBytes ?? 64 * 1024;

  const run = async ({ workspace, check, judge, timeoutMs, signal }: GateInput): Promise<TestRunInfo> => {
    if (signal?.aborted) throw aborted();
    if (check.kind !== 'script' || !('files' in workspace)) throw new UserError('command checks are not supported yet', 'gate_check');
    const program = scriptProgram(workspace.files, check);
    const workDir = await mkdtemp(join(tmpdir(), 'slotbench-gate-'));
    try {
      await writeFile(join(workDir, PROGRAM_FILE), program);
      const limits = { memoryMb: options.memoryMb ?? 2048, cpuSeconds: options.cpuSeconds ?? Math.ceil(timeoutMs / 1000) + 1 };
      const limited = withLimits([python, PROGRAM_FILE], limits, prlimit);
      const command = bwrap ? inBwrap(limited, bwrap, workDir) : limited;
      const outcome = await runProcessGroup(command, { cwd: workDir, env: testEnv(env, workDir), timeoutMs, signal, outputCapBytes });
      if (outcome.aborted) throw aborted();
      return { ...toRunInfo(command, outcome, bwrap ? 'bwrap' : 'none'), judge };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  };
  return { run, warning, python, sandbox: bwrap ? 'bwrap' : 'none' };
}

async function findSandbox(mode: 'auto' | 'bwrap', python: string, env: NodeJS.ProcessEnv): Promise<{ bwrap?: string; warning?: string }> {
  const bwrap = await findOnPath('bwrap', env.PATH);
  if (!bwrap) {
    if (mode === 'bwrap') throw new UserError('bwrap not found: install bubblewrap (apt-get install -y bubblewrap) or set sandbox to auto', 'no_sandbox');
    return { warning: NO_BWRAP_WARNING };
  }
  const probeDir = await mkdtemp(join(tmpdir(), 'slotbench-gate-'));
  try {
    const problem = await bwrapProblem(bwrap, python, probeDir);
    if (!problem) return { bwrap };
    if (mode === 'bwrap') throw new UserError(`bwrap does not work here (${problem}): fix it or set sandbox to auto`, 'no_sandbox');
    return { warning: `bwrap does not work here (${problem}): tests run unsandboxed` };
  } finally {
    await rm(probeDir, { recursive: true, force: true });
  }
}

/** One program: the candidate module, the names the tests use bound to its objects, then the tests. */
function scriptProgram(files: WorkspaceFile[], check: ScriptCheck): string {
  const module = files.find((f) => f.path === check.module)?.text ?? '';
  const bindings = Object.entries(check.bind).map(([name, target]) => `${name} = ${target}\n`).join('');
  return `${module.trimEnd()}\n\n${bindings || '\n'}${check.tests.trimEnd()}\n`;
}

/**
 * The environment of a test: only what Python needs, so a test never sees API keys or tokens from the user's
 * environment. A fixed hash seed makes set iteration order, and so a run, repeatable.
 */
export function testEnv(env: NodeJS.ProcessEnv, workDir: string): NodeJS.ProcessEnv {
  return {
    PATH: env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: workDir,
    LANG: 'C.UTF-8',
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    // Unbuffered, so a test killed by the timeout still shows what it printed.
    PYTHONUNBUFFERED: '1',
  };
}

function toRunInfo(command: string[], outcome: ProcessOutcome, sandbox: 'bwrap' | 'none'): TestRunInfo {
  // Inside bwrap a test killed by signal n shows as bwrap exiting 128+n; report both cases the same way.
  const bwrapSignal = sandbox === 'bwrap' ? signalFromBwrapExit(outcome.exitCode) : undefined;
  const signal = outcome.signal ?? (bwrapSignal === undefined ? null : signalName(bwrapSignal));
  const exitCode = signal === null ? outcome.exitCode : null;
  return {
    command,
    exitCode,
    signal,
    durationMs: Math.round(outcome.durationMs),
    verdict: verdictOf(outcome.timedOut, exitCode, signal),
    stdoutTail: outcome.stdoutTail,
    stderrTail: outcome.stderrTail,
    sandbox,
  };
}

// A MemoryError under the rlimit is Python exiting 1 with a traceback: a failing program, not a crash.
function verdictOf(timedOut: boolean, exitCode: number | null, signal: string | null): GateVerdict {
  if (timedOut) return 'timeout';
  if (signal !== null) return 'crash';
  return exitCode === 0 ? 'pass' : 'fail';
}

function signalName(n: number): string {
  return Object.entries(constants.signals).find(([, value]) => value === n)?.[0] ?? `signal ${n}`;
}

function aborted(): UserError {
  return new UserError('test run aborted', 'aborted');
}
