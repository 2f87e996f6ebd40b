// `d` on the welcome screen: a live run on the bundled demo model, opened over the welcome screen (q comes back).

import type { KeyBinding } from '../common/contracts.js';

export const DEMO_KEY: KeyBinding = {
  id: 'demo',
  keys: ['d'],
  description: 'welcome screen: step a live run on the bundled demo model (embedded engine; it writes stories, not code)',
  disabledReason: (ctx) => (ctx.feedKind !== 'none' ? 'the demo starts from the welcome screen: q goes back to it' : undefined),
  run: async (api) => {
    if (!api.openDemo) return api.flash('no demo model in this build', 'error');
    api.flash('loading the demo model…');
    await api.openDemo();
    api.flash('demo: paused before the first slot: s steps, c runs on, p shows the request, q goes back');
  },
};
