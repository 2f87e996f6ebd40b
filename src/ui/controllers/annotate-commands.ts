// `:note`, `:tag`, `:untag`: a person's notes on the session on screen (live run or replay), or the browser's picked row.

import { resolve } from 'node:path';
import { hashTags, noteLine, type AnnotationChange } from '../../core/annotation.js';
import { UserError } from '../../core/errors.js';
import { annotateSession, type AnnotateResult } from '../../session/annotate.js';
import { oneSafeLine } from '../../text/sanitize.js';
import type { LineCommand, WorkbenchApi } from '../common/contracts.js';

/**
 * Apply `change` to the session file at `path` (`name` in messages): the live run's own session through its recorder,
 * another session slotbench is writing now refused, any other on file.
 */
export async function annotateFile(api: WorkbenchApi, path: string, name: string, change: AnnotationChange): Promise<AnnotateResult> {
  const { feed } = api;
  const file = resolve(path);
  if (feed.kind === 'engine' && feed.sessionPath && resolve(feed.sessionPath) === file && feed.controls.annotate) return feed.controls.annotate(change);
  if (api.recording().includes(file)) throw new UserError(`${name} is still being recorded; annotate it when the run ends`, 'still_recording');
  return annotateSession(file, change, { cwd: api.cwd });
}

/** Apply `change` to what the person is looking at: the browser's picked row, else the session on screen. */
function annotateShown(api: WorkbenchApi, change: AnnotationChange): Promise<AnnotateResult> {
  if (api.ui.overlay === 'panel' && api.panel?.annotate) return api.panel.annotate(change, api);
  const { feed } = api;
  if (feed.kind === 'engine' && feed.controls.annotate) return feed.controls.annotate(change);
  if (feed.kind === 'replay' && feed.sessionPath) return annotateFile(api, feed.sessionPath, feed.sessionPath, change);
  throw new UserError('no session on screen: open a problem or a replay, or pick a session in the browser (o)');
}

function disabled(api: WorkbenchApi): string | undefined {
  if (api.ui.overlay === 'panel' && api.panel?.annotate) return undefined;
  return api.feedKind === 'none' ? 'no session on screen: open one, or pick one in the browser (o)' : undefined;
}

/** The status line after a change: what changed, on which session. */
function confirmation(result: AnnotateResult, what: 'note' | 'tag' | 'untag', names: string[]): string {
  const id = oneSafeLine(result.sessionId);
  if (what === 'note') {
    if (!result.changed) return `the note of ${id} is unchanged`;
    return result.after.note === '' ? `cleared the note of ${id}` : `noted ${id}: ${noteLine(result.after.note, 50)}`;
  }
  const shown = names.map((n) => n.toLowerCase()).join(', ');
  if (!result.changed) return what === 'tag' ? `${id} already has ${shown}` : `${id} has no ${shown}`;
  return `${what === 'tag' ? 'tagged' : 'untagged'} ${shown} (${id}: ${hashTags(result.after.tags) || 'no tags'})`;
}

/** Say what changed; a row the index could not take is said too (the file holds the change all the same). */
function report(api: WorkbenchApi, result: AnnotateResult, text: string): void {
  if (result.indexTrouble) api.flash(`${text}; ${result.indexTrouble}`, 'error');
  else api.flash(text);
}

export const ANNOTATE_COMMANDS: LineCommand[] = [
  {
    name: 'note',
    usage: 'note TEXT|-',
    description: 'set the note of the session on screen (in the browser: of the picked one); - clears it, no TEXT shows it',
    disabledReason: disabled,
    run: async (args, api) => {
      if (args.length === 0) {
        const current = await annotateShown(api, {});
        return api.flash(current.after.note ? `note: ${noteLine(current.after.note, 70)}` : `${oneSafeLine(current.sessionId)} has no note: :note TEXT sets one`);
      }
      const note = args.length === 1 && args[0] === '-' ? '' : args.join(' ');
      const result = await annotateShown(api, { note });
      report(api, result, confirmation(result, 'note', []));
    },
  },
  tagsCommand('tag', 'tag the session on screen (in the browser: the picked one); a-z 0-9 . _ -, at most 16'),
  tagsCommand('untag', 'remove tags from the session on screen (in the browser: the picked one)'),
];

/** `:tag NAME…` adds the tags, `:untag NAME…` removes them. */
function tagsCommand(name: 'tag' | 'untag', description: string): LineCommand {
  return {
    name,
    usage: `${name} NAME…`,
    description,
    disabledReason: disabled,
    run: async (args, api) => {
      if (args.length === 0) throw new UserError(`:${name} needs a tag name: :${name} flaky`);
      const result = await annotateShown(api, name === 'tag' ? { add: args } : { remove: args });
      report(api, result, confirmation(result, name, args));
    },
  };
}
