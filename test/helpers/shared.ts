// Locates the shared fixtures that live beside the project root (../shared), failing loudly when they are missing.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Absolute path of `../shared` relative to the project root. */
export function sharedDir(): string {
  const dir = resolve(projectRoot, '..', 'shared');
  if (!existsSync(dir)) {
    throw new Error(`../shared not found at ${dir}: the tests need the shared fixtures beside the project root`);
  }
  return dir;
}

/** Absolute path of a llama-server capture file, e.g. `fixturePath('completion-stream.sse')`. */
export function fixturePath(name: string): string {
  return join(sharedDir(), 'fixtures', 'llama-server', name);
}
