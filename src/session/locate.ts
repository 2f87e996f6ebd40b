// What a person may type for a session: a file path, a session id, or a unique prefix of an id in ./sessions.

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { findSession, listSessions } from './catalog.js';

/** The file `arg` names: an existing file, else the session in `dir` whose id is `arg` or starts with it. */
export async function locateSession(arg: string, cwd: string, dir: string): Promise<string> {
  const asPath = resolve(cwd, arg);
  if (existsSync(asPath) && statSync(asPath).isFile()) return asPath;
  if (arg.includes('/') || arg.endsWith('.jsonl')) throw new UserError(`cannot read session ${asPath}: no such file`, 'unreadable');
  const { rows } = await listSessions(dir);
  if (rows.length === 0) throw new UserError(`no session file or id "${arg}": ${dir} holds no sessions`, 'no_session');
  const row = findSession(rows, arg);
  if (row.missing) throw new UserError(`session ${row.id} is listed but its file ${row.path} is gone`, 'unreadable');
  return row.path;
}
