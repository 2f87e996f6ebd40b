// Builds the argv that wraps a test process: rlimits on the test process only, inside bwrap when it is there.

import { execa } from 'execa';

/** Resource limits for the test process (never for Node, which dies under ~300 MB of address space). */
export interface Limits {
  memoryMb: number;
  cpuSeconds: number;
}

/**
 * Rlimits via util-linux `prlimit … --`: it sets the limits on itself and execs, so the test process keeps them and
 * no shell parses anything (measured ~2 ms, about the cost of starting `/bin/sh`). Where prlimit is missing, a
 * `/bin/sh -c 'ulimit …; exec "$0" "$@"'` wrapper does the same through the shell.
 * Core dumps are off so a crashing test does not write a core file into the work dir.
 */
export function withLimits(argv: string[], limits: Limits, prlimit: string | undefined): string[] {
  const bytes = limits.memoryMb * 1024 * 1024;
  if (prlimit) return [prlimit, `--as=${bytes}`, `--cpu=${limits.cpuSeconds}`, '--core=0', '--', ...argv];
  const script = `ulimit -v ${limits.memoryMb * 1024}; ulimit -t ${limits.cpuSeconds}; ulimit -c 0; exec "$0" "$@"`;
  return ['/bin/sh', '-c', script, ...argv];
}

/**
 * bwrap with no network, a read-only root, a private /tmp and only `workDir` writable. `--unshare-pid` makes the test
 * its own pid namespace, so everything it forks dies with it; `--die-with-parent` covers Node dying. bwrap drops all
 * capabilities, so the test cannot raise its rlimits even when slotbench runs as root.
 */
export function inBwrap(argv: string[], bwrap: string, workDir: string): string[] {
  return [
    bwrap,
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    // The work dir usually lives under /tmp, so it is bound after the tmpfs that hides the host's /tmp.
    '--tmpfs', '/tmp',
    '--bind', workDir, workDir,
    '--chdir', workDir,
    '--unshare-net',
    '--unshare-pid',
    '--unshare-ipc',
    '--die-with-parent',
    '--',
    ...argv,
  ];
}

/** Run `python -c pass` in the sandbox once: bwrap can exist yet fail (no user namespaces in a container). */
export async function bwrapProblem(bwrap: string, python: string, workDir: string): Promise<string | undefined> {
  const argv = inBwrap([python, '-c', 'pass'], bwrap, workDir);
  const result = await execa(argv[0], argv.slice(1), { reject: false, timeout: 10_000 });
  if (!result.failed) return undefined;
  return result.stderr.trim().split('\n').at(-1) || result.shortMessage;
}

/** A sandboxed test's exit code 128+n means bwrap's init saw the test die of signal n. */
export function signalFromBwrapExit(code: number | null): number | undefined {
  return code !== null && code > 128 && code < 128 + 65 ? code - 128 : undefined;
}
