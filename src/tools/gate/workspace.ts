// Writes a check's workspace into a fresh dir: whole files, or a base tree (only read) with changed files laid over it.

import { cp, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Workspace } from '../../core/ports.js';
import { UserError } from '../../core/errors.js';
import type { WorkspaceFile } from '../../core/task.js';

/** Materialise `workspace` and `extra` files (hidden tests) under `dir`, which must exist and be empty. */
export async function materialise(workspace: Workspace, dir: string, extra: WorkspaceFile[] = []): Promise<void> {
  if ('baseDir' in workspace) {
    // A repository's .git is never part of what a check runs against, and can be large.
    await cp(workspace.baseDir, dir, { recursive: true, verbatimSymlinks: true, filter: (source) => basename(source) !== '.git' });
  }
  const files = 'files' in workspace ? workspace.files : workspace.changed;
  for (const file of [...files, ...extra]) {
    const target = join(dir, safePath(file.path));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.text);
  }
}

/** A workspace path as given, refused when it is absolute or climbs out of the workspace. */
export function safePath(path: string): string {
  const parts = path.split('/');
  if (path === '' || path.startsWith('/') || parts.some((part) => part === '..' || part === '')) {
    throw new UserError(`workspace file path ${JSON.stringify(path)} must be relative, '/'-separated, without '..'`, 'gate_workspace');
  }
  return path;
}
