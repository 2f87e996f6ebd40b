// Looks an executable up on PATH without starting a shell (`which` costs a process).

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** Absolute path of the first executable `name` on `searchPath`, or undefined. */
export async function findOnPath(name: string, searchPath: string | undefined = process.env.PATH): Promise<string | undefined> {
  for (const dir of (searchPath ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}
