// Where the trusted Python harness files live: beside this module's package, found by walking up to package.json.

import { existsSync } from 'node:fs';
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
