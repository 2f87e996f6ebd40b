// The probe's panel: its summary always in view, j/k pick a sample, PgDn/PgUp scroll that sample's tokens, diff and test; a lists the solutions.

import type { ProbeResult } from '../../probe/types.js';
import type { RunState } from '../../state/run-state.js';
import { detailLines, probeViewLayout, renderProbeView, sampleRows } from '../panes/probe-view.js';
import { probePanel } from '../panes/probe-pane.js';
import { keyHints } from '../panes/status-bar.js';
import { plain } from '../common/text.js';
import type { Panel } from '../common/contracts.js';
import type { KeyBinding } from '../common/contracts.js';
import { closePanelKey, listKeys } from './list-keys.js';
import { move } from './navigation.js';

export function probeViewPanel(results: ProbeResult[], state: RunState, title = `probe ${results[0]?.slot ?? ''}`.trim()): Panel {
  const input = { results, state };
  const count = sampleRows(input).length;
  // The sample picked before the solutions were shown is picked again on the way back.
  let picked = 0;
  const back: KeyBinding = {
    id: 'solutions-back',
    keys: ['escape', 'a'],
    description: 'back to the samples',
    run: (api) => {
      api.showPanel(view);
      api.dispatch({ type: 'panel-row', row: picked });
    },
  };
  const solutions: Panel = { ...probePanel(results, `${title}: distinct solutions`), keys: [back] };
  const keys: KeyBinding[] = [
    ...listKeys('sample', { count: () => count, moved: (api) => api.dispatch({ type: 'overlay-scroll', to: 0 }) }),
    { id: 'sample-scroll-down', keys: ['pagedown', 'C-d', 'space'], description: "scroll the sample's tokens, diff and test down", bar: 'scroll', run: (api) => move(api, 'page-down') },
    { id: 'sample-scroll-up', keys: ['pageup', 'C-u'], description: "scroll the sample's tokens, diff and test up", run: (api) => move(api, 'page-up') },
    {
      id: 'sample-solutions',
      keys: ['a'],
      description: 'all distinct solutions with their code (a or Esc comes back)',
      bar: 'solutions',
      run: (api) => {
        picked = api.ui.panelRow;
        api.showPanel(solutions);
      },
    },
    { id: 'sample-shading', keys: ['v'], description: 'shade the tokens by probability (needs n_probs)', bar: 'shade', run: (api) => api.dispatch({ type: 'toggle-shading' }) },
    closePanelKey('sample', 'the probe view'),
  ];
  const view: Panel = {
    title,
    keys,
    // None of these keys is ever disabled: the hints need no context.
    render: (size) => renderProbeView(input, size.ui, { ...size, hints: keyHints(keys) }),
    body: ({ cols, rows, ui }) => {
      const layout = probeViewLayout(input, ui, { cols, rows });
      const lines = detailLines(layout.rows[layout.selected], state, ui, layout.detailCols);
      return { lines: lines.map(plain), rows: layout.detailRows };
    },
  };
  return view;
}
