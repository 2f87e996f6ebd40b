// The bwrap sandbox of one test process: only the interpreter, its libraries and what the run needs are visible.

import { readdirSync, readlinkSync, lstatSync } from 'node:fs';
import { execa } from 'execa';

/** Where the harness dir appears inside the sandbox (never the project checkout's own path). */
export const HARNESS_MOUNT = '/slotbench/harness';

/** What every sandbox of a gate shares: bwrap, the system's library dirs, the interpreter's dirs. */
export interface SandboxBase {
  bwrap: string;
  /** bwrap arguments that mount the system's program and library dirs and the interpreter, read-only. */
  systemMounts: string[];
  /** Size cap of the sandbox's private /tmp and /dev/shm, in bytes. */
  tmpBytes: number;
}

/** How one process sits in its sandbox. */
export interface SandboxPlacement {
  /** The harness dir on the host, bound read-only at HARNESS_MOUNT. */
  harnessDir: string;
  /** Host dirs bound at the same path: read-only (a script check's workspace) or writable (a command check's). */
  binds: Array<{ path: string; writable: boolean }>;
  chdir: string;
}

// Dirs a dynamically linked interpreter needs at the root: on merged-/usr systems these are symlinks into /usr.
const ROOT_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
// The loader's cache and config, the time zone, Debian's per-version Python config: no user data.
const ETC_FILES = ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.conf.d', '/etc/localtime'];

/**
 * Read-only mounts for /usr, the root symlinks or dirs beside it, a few loader files of /etc, and `interpreterDirs`
 * (the interpreter's prefixes and library dirs outside /usr). Nothing else of the host is visible: no home, /etc,
 * /var, /run, /tmp or /opt, so no user files and no unix sockets.
 */
export function systemMounts(interpreterDirs: string[]): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const path of ROOT_LINKS) {
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(path), path);
      else if (stat.isDirectory()) args.push('--ro-bind', path, path);
    } catch {
      // not on this system
    }
  }
  for (const path of [...ETC_FILES, ...etcPythonDirs()]) args.push('--ro-bind-try', path, path);
  // -try: a site-packages dir the interpreter names need not exist.
  for (const dir of interpreterDirs) {
    if (dir !== '/usr' && !dir.startsWith('/usr/')) args.push('--ro-bind-try', dir, dir);
  }
  return args;
}

function etcPythonDirs(): string[] {
  try {
    return readdirSync('/etc').filter((name) => /^python3(\.\d+)?$/.test(name)).map((name) => `/etc/${name}`);
  } catch {
    return [];
  }
}

/**
 * bwrap around `argv`: every namespace unshared (no network, its own pids, so nothing it starts outlives it), all
 * capabilities dropped (bwrap keeps them when run as root), /proc/sys read-only (host sysctls are writable by a root
 * without capabilities otherwise), a new session with no controlling terminal, a read-only root, and size-capped
 * private /tmp and /dev/shm. `--die-with-parent` covers slotbench dying.
 */
export function inBwrap(argv: string[], base: SandboxBase, placement: SandboxPlacement): string[] {
  const size = String(base.tmpBytes);
  const binds = placement.binds.flatMap(({ path, writable }) => [writable ? '--bind' : '--ro-bind', path, path]);
  return [
    base.bwrap,
    '--unshare-all',
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--new-session',
    ...base.systemMounts,
    '--proc', '/proc',
    '--ro-bind', '/proc/sys', '/proc/sys',
    '--dev', '/dev',
    '--size', size, '--perms', '1777', '--tmpfs', '/dev/shm',
    '--remount-ro', '/dev',
    // The workspace usually lives under /tmp, so it is bound after the tmpfs that replaces /tmp.
    '--size', size, '--perms', '1777', '--tmpfs', '/tmp',
    '--ro-bind', placement.harnessDir, HARNESS_MOUNT,
    ...binds,
    '--remount-ro', '/',
    '--chdir', placement.chdir,
    '--',
    ...argv,
  ];
}

/** Why `python -c pass` cannot run in the sandbox (no user namespaces in a container, a missing library), if so. */
export async function bwrapProblem(base: SandboxBase, python: string, harnessDir: string): Promise<string | undefined> {
  const argv = inBwrap([python, '-c', 'pass'], base, { harnessDir, binds: [], chdir: '/tmp' });
  const result = await execa(argv[0], argv.slice(1), { reject: false, timeout: 10_000 });
  if (!result.failed) return undefined;
  return result.stderr.trim().split('\n').at(-1) || result.shortMessage;
}
