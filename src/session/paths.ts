// Where sessions live and how they are named.

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isInside } from './index-row.js';

/** The default folder of a working directory's sessions. */
export function sessionsDir(cwd: string): string {
  return join(cwd, 'sessions');
}

/**
 * Where the index row of a session file lives: `<cwd>/sessions` for a file inside it; else beside the file, so tests
 * and scripts writing sessions elsewhere (--session) never touch the user's index.
 */
export function indexDirFor(path: string, cwd: string): string {
  return isInside(sessionsDir(cwd), path) ? sessionsDir(cwd) : dirname(resolve(path));
}

/**
 * Keep a sessions folder slotbench just created out of version control: recordings are local results, and using the
 * tool inside a repository must not dirty its `git status`. Best effort: a session is never lost over this file.
 */
export function ignoreInVersionControl(dir: string): void {
  try {
    writeFileSync(join(dir, '.gitignore'), '# slotbench sessions are local recordings, not sources\n*\n', { flag: 'wx' });
  } catch {
    // Already there (another run made the folder at the same moment), or not writable: the sessions still are.
  }
}

/** Longest problem slug in a session id: file names stay far below the 255-byte limit whatever the dataset says. */
export const MAX_SLUG_LENGTH = 48;

/**
 * `20261124-031500-humaneval-0-a1b2c3d4`: sortable by time, readable, unique. 16 runs of one problem started in the
 * same second collide with odds of about 1 in 36 million (2 random bytes gave 1 in 550: a failed run per few rounds).
 */
export function newSessionId(problemId: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = problemId.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, MAX_SLUG_LENGTH).replace(/^-+|-+$/g, '') || 'problem';
  return `${stamp}-${slug}-${randomBytes(4).toString('hex')}`;
}
