// R in a replay and `:resume [SESSION]`: an unfinished session goes on live, over the view it was opened from.

import { UserError } from '../../core/errors.js';
import type { Feed, KeyBinding, LineCommand, WorkbenchApi } from '../common/contracts.js';

/** Builds the live feed of a resumed session (the composition root reads the file and wires the model). */
export type ResumeOpener = (session: string) => Promise<Feed>;

const NOT_A_REPLAY = 'R resumes the session a replay shows: open one first (o lists them), or :resume SESSION';

async function resume(api: WorkbenchApi, opener: ResumeOpener, session: string): Promise<void> {
  api.flash('resuming: the recorded answers replay first…');
  api.openFeed(await opener(session));
  api.flash('resumed as a new session: it pauses where the recording stops; s steps, c runs on, q goes back');
}

/** The key and the command, sharing one opener. */
export function resumeControls(opener: ResumeOpener): { key: KeyBinding; command: LineCommand } {
  return {
    key: {
      id: 'resume',
      keys: ['R'],
      description: 'replay of an unfinished session: resume it live as a new session (answers replayed, then the model)',
      disabledReason: (ctx) => (ctx.feedKind !== 'replay' ? NOT_A_REPLAY : undefined),
      run: async (api) => {
        if (api.feed.kind !== 'replay' || !api.feed.sessionPath) return api.flash(NOT_A_REPLAY, 'error');
        await resume(api, opener, api.feed.sessionPath);
      },
    },
    command: {
      name: 'resume',
      usage: 'resume [SESSION]',
      description: 'resume an unfinished session live (default: the replay shown): its answers replayed, paused where it stopped',
      run: async (args, api) => {
        const session = args[0] ?? (api.feed.kind === 'replay' ? api.feed.sessionPath : undefined);
        if (session === undefined) throw new UserError(':resume needs a session (an id, a unique id prefix or a file) when no replay is shown');
        await resume(api, opener, session);
      },
    },
  };
}
