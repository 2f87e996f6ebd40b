// Zoom: the focused pane takes the whole screen and back, as tmux's prefix-z does; Tab moves the zoom along.

import type { KeyBinding } from '../common/contracts.js';

export const ZOOM_KEY: KeyBinding = {
  id: 'zoom',
  keys: ['z'],
  description: "zoom the focused pane to the full screen, and back (tmux's prefix-z); Tab moves the zoom to the next pane",
  disabledReason: (ctx) => (ctx.feedKind === 'none' ? 'no problem is open: :open DATASET PROBLEM-ID' : undefined),
  run: (api) => {
    const on = !api.ui.zoom;
    api.dispatch({ type: 'zoom', on });
    api.flash(on ? `${api.ui.focus} pane zoomed: z restores the layout, Tab zooms the next pane` : 'layout restored');
  },
};
