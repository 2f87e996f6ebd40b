// Where the trusted Python harness files live: beside this module's package, found by walking up to package.json.

import { existsSync } from 'node:fs';
import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of the harness dir inside the package (shipped as source; the same files serve src/ and dist/). */
const HARNESS_PATH = ['src', 'tools', 'gate', 'python'];

let found: string | undefined;

/** The directory holding judge.py, worker.py and their modules. */
export function harnessDir(): string {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('slotbench package root not found above the gate module');
    dir = parent;
  }
  found = join(dir, ...HARNESS_PATH);
  return found;
}

const compiled = new Map<string, Promise<void>>();

/**
 * Byte-compile the harness for `python` once per process, into its own __pycache__, where that is writable: each
 * test then skips compiling ~500 lines (measured ~10 % of a harness process's start). Failing is harmless: Python
 * compiles from source when no valid .pyc is there, and it checks every .pyc against its source.
 */
export function compileHarness(python: string): Promise<void> {
  let done = compiled.get(python);
  if (!done) {
    done = execa(python, ['-S', '-m', 'compileall', '-q', harnessDir()], { reject: false, timeout: 30_000 }).then(() => undefined);
    compiled.set(python, done);
  }
  return done;
}
