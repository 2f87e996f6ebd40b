// Edit a prompt in the person's editor: write it to a temp file, run $VISUAL/$EDITOR on it, read it back.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

/** Runs a program on the real terminal and resolves with its exit code. */
export type ExternalRunner = (file: string, args: string[], env: NodeJS.ProcessEnv) => Promise<number>;

/**
 * Returns the edited text, or undefined when the person changed nothing. A trailing newline the editor added
 * is dropped: a prompt's last characters steer a completion model, and vi adds one on every save.
 */
export async function editText(text: string, name: string, env: NodeJS.ProcessEnv, run: ExternalRunner): Promise<string | undefined> {
  const editor = env.VISUAL || env.EDITOR || 'vi';
  const dir = await mkdtemp(join(tmpdir(), 'slotbench-prompt-'));
  const file = join(dir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.txt`);
  try {
    await writeFile(file, text);
    let code: number;
    try {
      // Through the shell, so EDITOR may carry arguments ("code --wait", "emacs -nw").
      code = await run('/bin/sh', ['-c', `${editor} "$1"`, 'slotbench-editor', file], env);
    } catch (error) {
      throw new UserError(`cannot start the editor "${editor}": ${(error as Error).message}; set EDITOR to an editor on PATH`);
    }
    if (code !== 0) throw new UserError(`the editor "${editor}" exited with code ${code}: prompt not re-run`);
    let edited = await readFile(file, 'utf8');
    if (!text.endsWith('\n') && edited.endsWith('\n')) edited = edited.slice(0, -1);
    return edited === text ? undefined : edited;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
