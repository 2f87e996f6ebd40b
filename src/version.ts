// slotbench's own version, read from package.json so the session header and --version agree with the package.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The project root (works from src/ under vitest and from dist/ when built). */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export const SLOTBENCH_VERSION: string = (
  JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
