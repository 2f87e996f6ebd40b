// The test gate: runs a check against a workspace in fresh sandboxes under whole-test limits, and gives the verdict.

import { availableParallelism } from 'node:os';
import { UserError } from '../core/errors.js';
import type { GateInput, GatePort } from '../core/ports.js';
import type { TestRunInfo } from '../core/events.js';
import { findCgroups, type CgroupSupport } from './gate/cgroup.js';
import { findOnPath } from './gate/find-on-path.js';
import { compileHarness, harnessDir } from './gate/harness.js';
import { DEFAULT_LIMITS, type LimitSettings } from './gate/limits.js';
import { countProcessesOf } from './gate/processes.js';
import { runCheck } from './gate/run-check.js';
import { bwrapProblem, systemMounts, type SandboxBase } from './gate/sandbox.js';
import type { GateRuntime } from './gate/runtime.js';
import { Semaphore } from './gate/semaphore.js';
import { probePython, resolvePython } from './python.js';

export { testEnv } from './gate/runtime.js';

/** How a gate runs tests: interpreter, sandbox, limits (each defaults to DEFAULT_LIMITS), concurrency. */
export interface PythonGateOptions extends Partial<LimitSettings> {
  /** Interpreter to run; default: the real interpreter behind `SLOTBENCH_PYTHON` / `python3`. */
  python?: string;
  /** 'bwrap' (the default) requires a working bwrap; 'none' runs model code unsandboxed, only when asked for. */
  sandbox?: 'bwrap' | 'none';
  /** Test runs at once (each is two interpreters); default: the CPU cores. */
  maxParallel?: number;
  /** Put each run in a cgroup where one can be made (default); off only to measure what the cgroup costs. */
  cgroup?: boolean;
  /** Bytes kept from the end of stdout and of stderr (default 64 KiB each). */
  outputCapBytes?: number;
  /** Environment to look programs up in (PATH, SLOTBENCH_PYTHON); default: this process's. */
  env?: NodeJS.ProcessEnv;
}

/** A gate that also says how it runs tests, for `doctor`, the test pane and benches. */
export interface PythonGate extends GatePort {
  readonly python: string;
  readonly sandbox: 'bwrap' | 'none';
  readonly limits: LimitSettings;
  /** What holds the whole-test limits (e.g. `cgroup v1 memory+pids`), absent when no cgroup could be made. */
  readonly cgroup?: string;
  readonly maxParallel: number;
}

/** The note a run gets when the user chose `--sandbox none`. */
export const SANDBOX_OFF_WARNING = 'sandbox off (--sandbox none): model code runs unsandboxed, with your files, network and processes in reach';

let cgroupProbe: Promise<CgroupSupport | string> | undefined;

/**
 * A gate for Python checks. Refuses (UserError `no_sandbox`) when bwrap is missing or broken unless `sandbox` is
 * 'none'; says once, in `warning`, when tests run unsandboxed or without a cgroup.
 */
export async function createPythonGate(options: PythonGateOptions = {}): Promise<PythonGate> {
  const env = options.env ?? process.env;
  const info = options.python ? await probePython(options.python, env) : await resolvePython(env);
  const limits: LimitSettings = {
    memoryMb: options.memoryMb ?? DEFAULT_LIMITS.memoryMb,
    processes: options.processes ?? DEFAULT_LIMITS.processes,
    diskMb: options.diskMb ?? DEFAULT_LIMITS.diskMb,
    ...(options.cpuSeconds !== undefined ? { cpuSeconds: options.cpuSeconds } : {}),
  };
  const harness = harnessDir();
  const compiling = compileHarness(info.executable);
  const sandbox = options.sandbox === 'none' ? undefined : await requireSandbox(env, info.executable, info.dirs, limits, harness);
  await compiling;
  const cgroups = options.cgroup === false ? undefined : await (cgroupProbe ??= findCgroups());
  const warnings = [sandbox ? undefined : SANDBOX_OFF_WARNING];
  if (typeof cgroups === 'string') warnings.push(`no cgroup for tests (${cgroups}): memory and process limits hold per process only`);
  const support = typeof cgroups === 'string' ? undefined : cgroups;
  const runtime: GateRuntime = {
    python: info.executable,
    sitePackages: info.sitePackages,
    harnessDir: harness,
    sandbox,
    limits,
    prlimit: await findOnPath('prlimit', env.PATH),
    nproc: support || process.getuid?.() === 0 ? undefined : (await countProcessesOf(process.getuid?.())) + limits.processes + 64,
    cgroups: support,
    env,
    outputCapBytes: options.outputCapBytes ?? 64 * 1024,
  };
  const maxParallel = options.maxParallel ?? availableParallelism();
  const semaphore = new Semaphore(maxParallel);
  const run = (input: GateInput): Promise<TestRunInfo> => {
    if (input.signal?.aborted) return Promise.reject(aborted());
    return semaphore.use(() => runCheck(runtime, input), input.signal).catch((error: unknown) => {
      throw input.signal?.aborted ? aborted() : error;
    });
  };
  const warning = warnings.filter(Boolean).join('; ') || undefined;
  return { run, warning, python: info.executable, sandbox: sandbox ? 'bwrap' : 'none', limits, maxParallel, ...(support ? { cgroup: support.describe } : {}) };
}

/** bwrap, proven to run the interpreter; without it, a one-line error saying how to get it or how to opt out. */
async function requireSandbox(env: NodeJS.ProcessEnv, python: string, dirs: string[], limits: LimitSettings, harness: string): Promise<SandboxBase> {
  const bwrap = await findOnPath('bwrap', env.PATH);
  if (!bwrap) throw new UserError(`bwrap not found: ${installHint()}, or pass --sandbox none to run model code unsandboxed`, 'no_sandbox');
  const base: SandboxBase = { bwrap, systemMounts: systemMounts(dirs), tmpBytes: limits.diskMb * 1024 * 1024 };
  const problem = await bwrapProblem(base, python, harness);
  if (problem) throw new UserError(`bwrap does not work here (${problem}): fix it, or pass --sandbox none to run model code unsandboxed`, 'no_sandbox');
  return base;
}

/** How to get bwrap here; on macOS there is none. */
export function installHint(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'bubblewrap is Linux-only; on macOS run slotbench in a Linux VM or container (e.g. Docker with bubblewrap installed)';
  return 'install bubblewrap (apt-get install -y bubblewrap)';
}

function aborted(): UserError {
  return new UserError('test run aborted', 'aborted');
}
