// Where sessions live and how they are named.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export function sessionsDir(cwd: string): string {
  return join(cwd, 'sessions');
}

/** `20261124-031500-humaneval-0-a1b2`: sortable by time, readable, unique. */
export function newSessionId(problemId: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = problemId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${stamp}-${slug}-${randomBytes(2).toString('hex')}`;
}
