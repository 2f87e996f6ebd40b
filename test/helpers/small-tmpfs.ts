// A small tmpfs of a test file's own, for full-disk tests; where mounting is refused, why (the tests skip with it).

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export interface SmallDisk {
  /** A temp folder holding the mount point (removed after the file's tests). */
  root: string;
  /** The mount point: a tmpfs of the given size when `mounted`, else a plain folder. */
  disk: string;
  mounted: boolean;
  /** Why no tmpfs could be mounted (first line of mount's error). */
  whyNot: string;
}

export function smallTmpfs(prefix: string, size = '200k'): SmallDisk {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const disk = join(root, 'disk');
  mkdirSync(disk);
  let mounted = false;
  let whyNot = '';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', disk], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    whyNot = String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n')[0];
  }
  afterAll(() => {
    if (mounted) execFileSync('umount', [disk]);
    rmSync(root, { recursive: true, force: true });
  });
  return { root, disk, mounted, whyNot };
}
