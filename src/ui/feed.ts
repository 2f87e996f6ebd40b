// The welcome screen's feed: nothing open, only a model to report on (live engines and replays have their own).

import type { Feed } from './common/contracts.js';

/** The welcome screen's feed: no problem open, only a model to report on. */
export function emptyFeed(health?: () => Promise<{ healthy: boolean; status: string }>, modelNames: string[] = []): Feed {
  return {
    kind: 'none',
    controls: { ...(health ? { health } : {}), modelNames: () => modelNames },
    subscribe: () => () => undefined,
    start: () => undefined,
    close: async () => undefined,
  };
}
