// Compare text with a stored golden file; UPDATE_GOLDEN=1 writes it instead.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '__golden__');

export function expectGolden(name: string, text: string): void {
  const file = join(DIR, `${name}.txt`);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  if (!existsSync(file)) throw new Error(`no golden file ${file}: run UPDATE_GOLDEN=1 npx vitest run test/golden to create it, then review it`);
  expect(text.endsWith('\n') ? text : `${text}\n`, `golden ${name} (UPDATE_GOLDEN=1 regenerates; review the diff)`).toBe(readFileSync(file, 'utf8'));
}
