// A recorded session played back (session/player.ts) as the workbench's feed: the same panes, read-only, transport keys.

import type { LoadedSession } from '../session/reader.js';
import { SessionPlayer, type PlaySpeed } from '../session/player.js';
import { transportKeys, type Transport } from './controllers/transport-keys.js';
import type { Feed } from './common/contracts.js';

export interface ReplayFeedOptions {
  /** Playback speed for continue (`c`): a multiple of the recorded pace; 'instant' plays at ×1 after the first play. */
  speed?: PlaySpeed;
  /** Start at the end (the finished run) rather than before the first event. */
  atEnd?: boolean;
}

const AT_END = 'the replay is at its end: 0 goes back to the start';

/** s = next slot, c = play at the transport's speed, space = pause; no re-run, abort or settings: those need a live engine. */
export function replayFeed(session: LoadedSession, options: ReplayFeedOptions = {}): Feed & { player: SessionPlayer } {
  const player = new SessionPlayer(session.events);
  const speed = options.speed ?? 1;
  const transport: Transport = { speed: speed === 'instant' ? 1 : speed };
  return {
    kind: 'replay',
    player,
    sessionPath: session.path,
    state: player.state,
    controls: {
      step: () => void player.stepSlot(),
      continue: () => player.play({ speed: transport.speed }),
      pause: () => player.pause(),
    },
    blocked: (capability) => ((capability === 'step' || capability === 'continue') && player.position >= player.length ? AT_END : undefined),
    keys: transportKeys(player, transport),
    describe: () => `replay ${player.position}/${player.length}${player.playing ? ` playing ×${player.speed}` : ' paused'}`,
    subscribe: (listener) => player.on(() => listener()),
    start: () => {
      if (options.atEnd) player.jumpToEnd();
    },
    close: async () => player.dispose(),
  };
}
