// What a gate settles once (interpreter, sandbox, limits, cgroups) and how it wraps each test process with it.

import { delimiter } from 'node:path';
import type { ResourceLimits } from '../../core/events.js';
import type { CgroupSupport } from './cgroup.js';
import { withRlimits, type LimitSettings } from './limits.js';
import { HARNESS_MOUNT, inBwrap, type SandboxBase, type SandboxPlacement } from './sandbox.js';

/** The resolved set-up every run of a gate shares. */
export interface GateRuntime {
  /** The real interpreter (past any shim). */
  python: string;
  /** Its site-packages dirs, which the harness (run with -S, skipping site's start-up cost) puts on sys.path. */
  sitePackages: string[];
  /** The harness dir on the host. */
  harnessDir: string;
  /** bwrap and its mounts; absent when tests run unsandboxed (`--sandbox none`). */
  sandbox?: SandboxBase;
  limits: LimitSettings;
  prlimit?: string;
  /** RLIMIT_NPROC where it is the only process limit and means something (not root, no pids cgroup). */
  nproc?: number;
  cgroups?: CgroupSupport;
  /** The environment programs are looked up in; tests get only `testEnv` of it. */
  env: NodeJS.ProcessEnv;
  outputCapBytes: number;
}

// Runs first, outside the sandbox: the shell joins the run's cgroup(s) by writing its own pid (0), so bwrap and
// everything under it are inside before anything can fork.
const JOIN = 'while [ "$1" != -- ]; do echo 0 > "$1" || exit 125; shift; done; shift; ';
// Sandboxed, the shell makes way for bwrap. Unsandboxed it stays as the test's parent, so a test that kills its
// parent (`os.kill(os.getppid(), 9)`) kills this shell, not slotbench; its exit status is then 128+signal.
const EXEC = 'exec "$@"';
const STAY = '"$@"; exit $?';

/** Exit status of the join wrapper when it cannot enter the cgroup. */
export const JOIN_FAILED = 125;

/** A harness script's path as the process sees it: inside the sandbox it is mounted at HARNESS_MOUNT. */
export function harnessScript(runtime: GateRuntime, name: string): string {
  return `${runtime.sandbox ? HARNESS_MOUNT : runtime.harnessDir}/${name}`;
}

/**
 * The interpreter running a harness script: no `site` (its .pth files can cost more than the test: 60 ms of
 * imports here), so the script puts the site-packages dirs, its first argument, on sys.path itself; no bytecode
 * written; unbuffered output.
 */
export function pythonArgv(runtime: GateRuntime, script: string, args: string[] = []): string[] {
  return [runtime.python, '-S', '-B', '-u', harnessScript(runtime, script), runtime.sitePackages.join(delimiter), ...args];
}

/** `argv` under its rlimits, in its sandbox (if any), joined to the run's cgroup (if any). */
export function wrap(runtime: GateRuntime, argv: string[], placement: Omit<SandboxPlacement, 'harnessDir'>, cpuSeconds: number, joinFiles: string[] = []): string[] {
  const limited = withRlimits(argv, runtime.limits, cpuSeconds, runtime.prlimit, runtime.nproc);
  if (!runtime.sandbox) return ['/bin/sh', '-c', JOIN + STAY, 'sh', ...joinFiles, '--', ...limited];
  const boxed = inBwrap(limited, runtime.sandbox, { ...placement, harnessDir: runtime.harnessDir });
  return joinFiles.length > 0 ? ['/bin/sh', '-c', JOIN + EXEC, 'sh', ...joinFiles, '--', ...boxed] : boxed;
}

/**
 * The environment of a test: only what Python needs, so a test never sees API keys or tokens from the user's
 * environment. A fixed hash seed makes set iteration order, and so a run, repeatable.
 */
export function testEnv(env: NodeJS.ProcessEnv, home: string): NodeJS.ProcessEnv {
  return {
    PATH: env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    PYTHONHASHSEED: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    // Unbuffered, so a test killed by the timeout still shows what it printed.
    PYTHONUNBUFFERED: '1',
  };
}

/** The limits a run had, and what enforced them, for its test event. */
export function limitsRecord(runtime: GateRuntime, cpuSeconds: number, inCgroup: boolean): ResourceLimits {
  const enforcedBy: string[] = [];
  if (inCgroup && runtime.cgroups) enforcedBy.push(runtime.cgroups.describe);
  enforcedBy.push(runtime.prlimit ? `prlimit as/cpu/fsize${runtime.nproc !== undefined ? '/nproc' : ''}` : 'sh ulimit');
  if (runtime.sandbox) enforcedBy.push('bwrap tmpfs size');
  const { memoryMb, processes, diskMb } = runtime.limits;
  return { memoryMb, processes, diskMb, cpuSeconds, enforcedBy };
}
