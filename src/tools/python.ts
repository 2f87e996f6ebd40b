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
}

// One start through the (possibly slow) shim answers everything; find_spec avoids the cost of importing pytest.
const PROBE = [
  'import sys, importlib.util',
  'print(sys.executable)',
  'print("%d.%d.%d" % sys.version_info[:3])',
  'print(importlib.util.find_spec("pytest") is not None)',
].join('; ');

const cache = new Map<string, Promise<PythonInfo>>();

/** Resolve the interpreter named by `SLOTBENCH_PYTHON` (or `python3` on PATH), once per process and name. */
export function resolvePython(env: NodeJS.ProcessEnv = process.env): Promise<PythonInfo> {
  const requested = env.SLOTBENCH_PYTHON?.trim() || 'python3';
  let found = cache.get(requested);
  if (!found) {
    found = probe(requested, env);
    // A failed probe is not cached, so installing Python and retrying works without a restart.
    found.catch(() => cache.delete(requested));
    cache.set(requested, found);
  }
  return found;
}

async function probe(requested: string, env: NodeJS.ProcessEnv): Promise<PythonInfo> {
  const fromEnv = Boolean(env.SLOTBENCH_PYTHON?.trim());
  const requestedPath = requested.includes('/') ? requested : await findOnPath(requested, env.PATH);
  if (!requestedPath) throw notFound(requested, fromEnv, 'not found on PATH');
  const started = performance.now();
  const result = await execa(requestedPath, ['-c', PROBE], { env, extendEnv: false, reject: false, timeout: 30_000 });
  const probeMs = performance.now() - started;
  if (result.failed) {
    const why = result.code === 'ENOENT' ? 'not found' : result.stderr.trim().split('\n').at(-1) || (result.shortMessage ?? 'failed');
    throw notFound(requested, fromEnv, why);
  }
  const [executable, version, pytest] = result.stdout.trim().split('\n');
  if (!executable || !version) throw notFound(requested, fromEnv, `unexpected answer ${JSON.stringify(result.stdout)}`);
  const viaShim = (await realpath(requestedPath).catch(() => requestedPath)) !== (await realpath(executable).catch(() => executable));
  return { executable, version, hasPytest: pytest === 'True', requested, requestedPath, viaShim, probeMs };
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
