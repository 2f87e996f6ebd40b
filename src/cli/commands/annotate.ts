// `slotbench note SESSION [TEXT…]` and `slotbench tag SESSION [TAG…] [--remove TAG…]`: a person's notes on a session.

import type { AnnotationChange } from '../../core/annotation.js';
import { UserError } from '../../core/errors.js';
import { annotateSession, readAnnotation, type AnnotateResult } from '../../session/annotate.js';
import { locateSession } from '../../session/locate.js';
import { sessionsDir } from '../../session/paths.js';
import { oneSafeLine, stripControl } from '../../text/sanitize.js';
import { NOTE_SPEC, TAG_SPEC } from '../command-specs.js';
import { printWarnings, type CliIo, type Command } from '../io.js';
import { parseCommand } from '../options.js';

export const noteCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommand(NOTE_SPEC, argv);
  const [session, ...words] = positionals;
  if (values.clear && words.length > 0) throw new UserError('note takes TEXT or --clear, not both: slotbench note SESSION [TEXT…] [--clear]', 'usage');
  const path = await locateSession(session, io.cwd, sessionsDir(io.cwd));
  if (!values.clear && words.length === 0) {
    const { note, sessionId } = await readAnnotation(path);
    if (note !== '') io.stdout.write(`${stripControl(note)}\n`);
    else io.stderr.write(`${oneSafeLine(sessionId)} has no note: slotbench note ${oneSafeLine(session)} TEXT sets one\n`);
    return 0;
  }
  const text = values.clear ? '' : words.join(' ');
  if (!values.clear && text.trim() === '') throw new UserError('the note is empty: give some TEXT, or --clear to remove the note', 'usage');
  const result = await change(path, { note: text }, io);
  const id = oneSafeLine(result.sessionId);
  if (!result.changed) io.stdout.write(values.clear ? `${id} had no note\n` : `${id}: the note is unchanged\n`);
  else io.stdout.write(result.after.note === '' ? `cleared the note of ${id}\n` : `noted ${id}\n`);
  return 0;
};

export const tagCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommand(TAG_SPEC, argv);
  const [session, ...add] = positionals;
  const path = await locateSession(session, io.cwd, sessionsDir(io.cwd));
  if (add.length === 0 && values.remove.length === 0) {
    const { tags, sessionId } = await readAnnotation(path);
    if (tags.length > 0) io.stdout.write(tags.map((t) => `${t}\n`).join(''));
    else io.stderr.write(`${oneSafeLine(sessionId)} has no tags: slotbench tag ${oneSafeLine(session)} NAME adds one\n`);
    return 0;
  }
  const result = await change(path, { add, remove: values.remove }, io);
  const id = oneSafeLine(result.sessionId);
  const tags = result.after.tags;
  const now = tags.length > 0 ? `tags of ${id}: ${tags.join(' ')}` : `${id} has no tags now`;
  io.stdout.write(`${result.changed ? now : `${now} (unchanged)`}\n`);
  return 0;
};

async function change(path: string, what: AnnotationChange, io: CliIo): Promise<AnnotateResult> {
  const result = await annotateSession(path, what, { cwd: io.cwd });
  if (result.indexTrouble) printWarnings(io, [result.indexTrouble]);
  return result;
}
