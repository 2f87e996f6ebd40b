// Where sessions live and how they are named.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export function sessionsDir(cwd: string): string {
  return join(cwd, 'sessions');
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
