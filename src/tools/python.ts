// Finds the real Python interpreter once per process (past pyenv-style shims) and what it can run.

import { realpath } from 'node:fs/promises';
import { execa } from 'execa';
import { UserError } from '../core/errors.js';
import { findOnPath } from './gate/find-on-path.js';

/** The interpreter tests run with. */
export interface PythonInfo {
  /** Absolute path of the real interpreter (`sys.executable`). */
  executable: string;
  /** e.g. `3.11.7`. */
  version: string;
  /** Whether `pytest` is importable by that interpreter. */
  hasPytest: boolean;
  /** What was asked for: `SLOTBENCH_PYTHON` or `python3`. */
  requested: string;
  /** Where `requested` resolved on PATH, when it was a bare name. */
  requestedPath?: string;
  /** True when `requested` is a wrapper (e.g. a pyenv shim) rather than the interpreter itself. */
  viaShim: boolean;
  /** Wall time of the probe started through `requested` (a shim's cost shows here). */
  probeMs: number;
  /**
   * Directories the interpreter needs to run: its prefixes and the dirs of the shared libraries it loaded, outside
   * the system's own /usr and /lib; a sandbox binds exactly these besides the system dirs.
   */
  dirs: string[];
  /** Its site-packages dirs (`site.getsitepackages()`): the harness runs with `-S` and puts these on sys.path itself. */
  sitePackages: string[];
}

// One start through the (possibly slow) shim answers everything; find_spec avoids the cost of importing pytest.
// Loading a few common extension modules first puts their libraries (libssl, libsqlite) in /proc/self/maps.
const PROBE = [
  'import sys, os, importlib.util',
  'print(sys.executable)',
  'print("%d.%d.%d" % sys.version_info[:3])',
  'print(importlib.util.find_spec("pytest") is not None)',
  'exec("try:\\n import ssl, sqlite3, ctypes, decimal\\nexcept Exception:\\n pass")',
  'maps = open("/proc/self/maps").read().split("\\n") if os.path.exists("/proc/self/maps") else []',
  'libs = {os.path.dirname(l.split()[-1]) for l in maps if ".so" in l and l.split()[-1].startswith("/")}',
  'roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, os.path.dirname(os.path.realpath(sys.executable))}',
  'print("\\t".join(sorted(roots | libs)))',
  'import site',
  'print("\\t".join(site.getsitepackages() if hasattr(site, "getsitepackages") else []))',
].join('; ');

const cache = new Map<string, Promise<PythonInfo>>();

/** Resolve the interpreter named by `SLOTBENCH_PYTHON` (or `python3` on PATH), once per process and name. */
export function resolvePython(env: NodeJS.ProcessEnv = process.env): Promise<PythonInfo> {
  return probePython(env.SLOTBENCH_PYTHON?.trim() || 'python3', env);
}

/** Probe one interpreter, by name on PATH or by path, once per process. */
export function probePython(requested: string, env: NodeJS.ProcessEnv = process.env): Promise<PythonInfo> {
  let found = cache.get(requested);
  if (!found) {
    found = probe(requested, env);
    // A failed probe is not cached, so installing Python and retrying works without a restart.
    found.catch(() => cache.delete(requested));
    cache.set(requested, found);
  }
  return found;
}

/**
 * The interpreter command checks run pytest with: the first of `SLOTBENCH_PYTHON`, `python3` on PATH and
 * /usr/bin/python3 that can import pytest (Debian's python3-pytest serves /usr/bin/python3 only).
 */
export async function resolvePytestPython(env: NodeJS.ProcessEnv = process.env): Promise<PythonInfo> {
  const names = [...new Set([env.SLOTBENCH_PYTHON?.trim() || 'python3', 'python3', '/usr/bin/python3'])];
  for (const name of names) {
    const info = await probePython(name, env).catch(() => undefined);
    if (info?.hasPytest) return info;
  }
  throw new UserError(
    `no Python with pytest (tried ${names.join(', ')}): install it (apt-get install -y python3-pytest, or python3 -m pip install pytest) or point SLOTBENCH_PYTHON at one that has it`,
    'no_pytest',
  );
}

async function probe(requested: string, env: NodeJS.ProcessEnv): Promise<PythonInfo> {
  const fromEnv = requested === env.SLOTBENCH_PYTHON?.trim();
  const requestedPath = requested.includes('/') ? requested : await findOnPath(requested, env.PATH);
  if (!requestedPath) throw notFound(requested, fromEnv, 'not found on PATH');
  const started = performance.now();
  const result = await execa(requestedPath, ['-c', PROBE], { env, extendEnv: false, reject: false, timeout: 30_000 });
  const probeMs = performance.now() - started;
  if (result.failed) {
    const why = result.code === 'ENOENT' ? 'not found' : result.stderr.trim().split('\n').at(-1) || (result.shortMessage ?? 'failed');
    throw notFound(requested, fromEnv, why);
  }
  const [executable, version, pytest, dirList, siteList] = result.stdout.trim().split('\n');
  if (!executable || !version) throw notFound(requested, fromEnv, `unexpected answer ${JSON.stringify(result.stdout)}`);
  const viaShim = (await realpath(requestedPath).catch(() => requestedPath)) !== (await realpath(executable).catch(() => executable));
  const sitePackages = (siteList ?? '').split('\t').filter((dir) => dir.startsWith('/'));
  const dirs = neededDirs([...(dirList ?? '').split('\t').filter((dir) => dir.startsWith('/')), ...sitePackages]);
  return { executable, version, hasPytest: pytest === 'True', requested, requestedPath, viaShim, probeMs, dirs, sitePackages };
}

const SYSTEM_DIRS = ['/usr', '/lib', '/lib32', '/lib64', '/libx32', '/bin', '/sbin'];

/** The dirs not already under a system dir, and none inside another. */
function neededDirs(dirs: string[]): string[] {
  const within = (dir: string, parent: string) => dir === parent || dir.startsWith(parent + '/');
  const outside = dirs.filter((dir) => !SYSTEM_DIRS.some((system) => within(dir, system)));
  return [...new Set(outside)].filter((dir, _, all) => !all.some((other) => other !== dir && within(dir, other))).sort();
}

function notFound(requested: string, fromEnv: boolean, why: string): UserError {
  if (fromEnv) {
    return new UserError(`SLOTBENCH_PYTHON=${requested} does not run (${why}): point it at a Python 3 interpreter or unset it`, 'no_python');
  }
  if (why === 'not found on PATH' || why === 'not found') {
    return new UserError('python3 not found on PATH: install it (apt-get install -y python3) or set SLOTBENCH_PYTHON', 'no_python');
  }
  return new UserError(`python3 on PATH does not run (${why}): fix it or set SLOTBENCH_PYTHON`, 'no_python');
}
