// Resource limits of a test run: the settings, their defaults and checks, and the rlimits put on each test process.

import { UserError } from '../../core/errors.js';

/** Limits for the whole test: both processes of a script check (or the command's tree) and everything they start. */
export interface LimitSettings {
  /** Memory of the whole test in MiB (cgroup), and the address space of each process (rlimit). */
  memoryMb: number;
  /** Processes and threads the whole test may have at once (cgroup pids). */
  processes: number;
  /** MiB the test may write: the size of its private /tmp and /dev/shm, and of any one file it writes (rlimit). */
  diskMb: number;
  /** CPU seconds of each test process (rlimit); absent: the run's timeout in whole seconds, plus one. */
  cpuSeconds?: number;
}

/** The limits a run gets when neither the config nor the caller sets them. */
export const DEFAULT_LIMITS: Required<Omit<LimitSettings, 'cpuSeconds'>> = { memoryMb: 1024, processes: 64, diskMb: 256 };

/** Node's timers fire at once for delays of 2^31 ms or more, so no timeout may reach that. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Processes the harness adds to the test's cgroup (bwrap, its init, the worker), on top of the test's own. */
export const HARNESS_PROCESSES = 8;

/** Throws a one-line UserError unless `timeoutMs` is a whole number of milliseconds Node's timers can wait. */
export function checkTimeout(timeoutMs: number, where = 'test timeout'): number {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new UserError(`${where} must be a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS} (about 24.8 days), got ${timeoutMs}`, 'gate_timeout');
  }
  return timeoutMs;
}

/** The CPU seconds a run gets: as configured, else its timeout plus one second. */
export function cpuSecondsFor(limits: LimitSettings, timeoutMs: number): number {
  return limits.cpuSeconds ?? Math.ceil(timeoutMs / 1000) + 1;
}

/**
 * The argv that sets rlimits on a test process and execs it: util-linux `prlimit … --` (no shell parses anything),
 * else `/bin/sh -c 'ulimit …; exec "$0" "$@"'`. `nproc` is given only where it means something: it counts every
 * process of the user, and root ignores it. Core dumps are off so a crash writes no core file.
 */
export function withRlimits(argv: string[], limits: LimitSettings, cpuSeconds: number, prlimit: string | undefined, nproc?: number): string[] {
  const mb = 1024 * 1024;
  // The hard CPU limit one second past the soft one: at the soft limit the test gets SIGXCPU (named as the CPU limit
  // in the verdict); with both equal the kernel sends SIGKILL, which says nothing about why.
  if (prlimit) {
    const flags = [`--as=${limits.memoryMb * mb}`, `--cpu=${cpuSeconds}:${cpuSeconds + 1}`, `--fsize=${limits.diskMb * mb}`, '--core=0'];
    if (nproc !== undefined) flags.push(`--nproc=${nproc}`);
    return [prlimit, ...flags, '--', ...argv];
  }
  const ulimits = [`ulimit -v ${limits.memoryMb * 1024}`, `ulimit -H -t ${cpuSeconds + 1}`, `ulimit -S -t ${cpuSeconds}`, `ulimit -f ${limits.diskMb * 2048}`, 'ulimit -c 0'];
  if (nproc !== undefined) ulimits.push(`ulimit -u ${nproc}`);
  return ['/bin/sh', '-c', `${ulimits.join('; ')}; exec "$0" "$@"`, ...argv];
}
