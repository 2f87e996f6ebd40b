// A recorded session played back (session/player.ts) as the workbench's feed: the same panes, read-only.

import type { LoadedSession } from '../session/reader.js';
import { SessionPlayer, type PlaySpeed } from '../session/player.js';
import type { Feed } from './feed.js';

export interface ReplayFeedOptions {
  /** Playback speed for continue (`c`): a multiple of the recorded pace, or 'instant'. */
  speed?: PlaySpeed;
  /** Start at the end (the finished run) rather than before the first event. */
  atEnd?: boolean;
}

/** s = next slot, c = play, space = pause; no re-run, abort or settings: those need a live engine. */
export function replayFeed(session: LoadedSession, options: ReplayFeedOptions = {}): Feed & { player: SessionPlayer } {
  const player = new SessionPlayer(session.events);
  const speed = options.speed ?? 1;
  return {
    kind: 'replay',
    player,
    sessionPath: session.path,
    state: player.state,
    controls: {
      step: () => void player.stepSlot(),
      continue: () => player.play({ speed }),
      pause: () => player.pause(),
    },
    describe: () => `replay ${player.position}/${player.length}${player.playing ? ` playing ×${player.speed}` : ' paused'}`,
    subscribe: (listener) => player.on(() => listener()),
    start: () => {
      if (options.atEnd) player.jumpToEnd();
    },
    close: async () => player.dispose(),
  };
}
