// Doctor's checks of the test gate: which interpreter runs pytest, which sandbox a run will use, which limits hold.

import { availableParallelism } from 'node:os';
import type { GateConfig } from '../../config/config.js';
import { installHint } from '../../tools/gate.js';
import { DEFAULT_LIMITS } from '../../tools/gate/limits.js';
import type { PythonInfo } from '../../tools/python.js';

/** One line of doctor's report. */
export interface DoctorCheck {
  ok: boolean;
  /** A missing optional check does not fail the doctor. */
  optional?: boolean;
  name: string;
  detail: string;
}

/** The machine facts the gate checks look at; tests replace them. */
export interface GateProbes {
  /** The interpreter that has pytest (throws a UserError when none has). */
  pytestPython(env: NodeJS.ProcessEnv): Promise<PythonInfo>;
  which(name: string, searchPath: string | undefined): Promise<string | undefined>;
  /** Why bwrap cannot run `python` in the gate's sandbox here, or undefined when it can. */
  sandboxProblem(bwrap: string, python: PythonInfo): Promise<string | undefined>;
  /** What would hold the whole-test limits (e.g. `cgroup v1 memory+pids`), or why nothing can. */
  cgroups(): Promise<{ ok: boolean; detail: string }>;
}

/** The pytest, sandbox and limits lines of doctor's report, for the config's `gate` block. */
export async function gateChecks(probes: GateProbes, env: NodeJS.ProcessEnv, python: PythonInfo, gate: GateConfig, platform = process.platform): Promise<DoctorCheck[]> {
  return [await pytestCheck(probes, env, python), await sandboxCheck(probes, env, python, gate, platform), await limitsCheck(probes, env, gate)];
}

async function pytestCheck(probes: GateProbes, env: NodeJS.ProcessEnv, python: PythonInfo): Promise<DoctorCheck> {
  try {
    const found = await probes.pytestPython(env);
    return { ok: true, optional: true, name: 'pytest', detail: `${found.executable} has it: command checks run pytest with it` };
  } catch {
    return {
      ok: false,
      optional: true,
      name: 'pytest',
      detail: `needed only for command checks (install: apt-get install -y python3-pytest for /usr/bin/python3, or ${python.executable} -m pip install pytest)`,
    };
  }
}

async function sandboxCheck(probes: GateProbes, env: NodeJS.ProcessEnv, python: PythonInfo, gate: GateConfig, platform: NodeJS.Platform): Promise<DoctorCheck> {
  if (gate.sandbox === 'none') {
    return { ok: true, name: 'sandbox', detail: 'none (gate.sandbox in the config): model code runs unsandboxed, with your files, network and processes in reach' };
  }
  const optOut = 'or run with --sandbox none to accept running model code unsandboxed';
  const bwrap = await probes.which('bwrap', env.PATH);
  if (!bwrap) return { ok: false, name: 'sandbox', detail: `bwrap not found: ${installHint(platform)}; ${optOut}` };
  const problem = await probes.sandboxProblem(bwrap, python);
  if (problem) return { ok: false, name: 'sandbox', detail: `${bwrap} does not work here (${problem}): fix it, ${optOut}` };
  return { ok: true, name: 'sandbox', detail: `bwrap (${bwrap}): no network, no host files besides the interpreter and the task, own pids` };
}

async function limitsCheck(probes: GateProbes, env: NodeJS.ProcessEnv, gate: GateConfig): Promise<DoctorCheck> {
  const memory = gate.memoryMb ?? DEFAULT_LIMITS.memoryMb;
  const processes = gate.processes ?? DEFAULT_LIMITS.processes;
  const disk = gate.diskMb ?? DEFAULT_LIMITS.diskMb;
  const cpu = gate.cpuSeconds !== undefined ? `${gate.cpuSeconds} s` : 'the timeout + 1 s';
  const parallel = gate.maxParallel ?? availableParallelism();
  const limits = `${memory} MiB memory, ${processes} processes, ${disk} MiB disk per test; CPU ${cpu} per process; ${parallel} at once`;
  const cgroups = await probes.cgroups();
  const rlimits = (await probes.which('prlimit', env.PATH)) ? 'prlimit' : 'sh ulimit (install util-linux for prlimit)';
  if (!cgroups.ok) {
    return { ok: false, optional: true, name: 'limits', detail: `${limits}; per process only (${rlimits}): ${cgroups.detail}` };
  }
  return { ok: true, name: 'limits', detail: `${limits}; held by ${cgroups.detail} and ${rlimits}` };
}
