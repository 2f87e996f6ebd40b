// Moving around: scrolling the focused pane or overlay, moving the plan selection, jumping to search hits.

import type { PaneId } from '../../state/ui-state.js';
import { planView, selectableSlots } from '../panes/plan-pane.js';
import { shownSlot } from '../../state/selectors.js';
import { clampTop } from '../common/text.js';
import type { WorkbenchApi } from '../common/contracts.js';

/** How far to move: lines, a page, or an end. */
export type Move = number | 'page-up' | 'page-down' | 'top' | 'bottom';

function target(current: number, max: number, rows: number, move: Move): number {
  const page = Math.max(1, rows - 1);
  const next =
    move === 'top' ? 0 : move === 'bottom' ? max : move === 'page-up' ? current - page : move === 'page-down' ? current + page : current + move;
  return Math.min(Math.max(0, next), max);
}

/** Scroll whatever has the keyboard: the overlay if one is open, else the focused pane (the plan moves its selection). */
export function move(api: WorkbenchApi, how: Move): void {
  if (api.ui.overlay && api.ui.overlay !== 'confirm-quit') {
    const body = api.paneBody('overlay');
    const max = Math.max(0, body.lines.length - body.rows);
    api.dispatch({ type: 'overlay-scroll', to: target(Math.min(api.ui.overlayScroll, max), max, body.rows, how) });
    return;
  }
  if (api.ui.focus === 'plan') {
    moveSelection(api, how);
    return;
  }
  scrollPane(api, api.ui.focus, how);
}

function scrollPane(api: WorkbenchApi, pane: Exclude<PaneId, 'plan'>, how: Move): void {
  const body = api.paneBody(pane);
  const max = Math.max(0, body.lines.length - body.rows);
  const current = clampTop(body.lines.length, body.rows, api.ui.scroll[pane]);
  const next = target(current, max, body.rows, how);
  // The stream follows new tokens again once scrolled back to its end.
  api.dispatch({ type: 'scroll', pane, to: pane === 'stream' && next >= max ? 'end' : next });
}

function moveSelection(api: WorkbenchApi, how: Move): void {
  const ids = selectableSlots(planView(api.run, api.ui));
  if (ids.length === 0) return;
  const shown = shownSlot(api.run, api.ui);
  const at = shown ? ids.indexOf(shown.id) : -1;
  const step = how === 'page-up' ? -5 : how === 'page-down' ? 5 : typeof how === 'number' ? how : 0;
  const index = how === 'top' ? 0 : how === 'bottom' ? ids.length - 1 : Math.min(Math.max(0, (at < 0 ? ids.length - 1 : at) + step), ids.length - 1);
  api.dispatch({ type: 'select', slotId: ids[index] });
}

/**
 * Jump to the next (or previous) line matching the search, wrapping around; `fromCurrent` counts the top line
 * (a new search). The plan selects the matching slot instead.
 */
export function searchNext(api: WorkbenchApi, direction: 1 | -1, fromCurrent = false): void {
  const search = api.ui.search;
  if (!search) return;
  const query = search.query.toLowerCase();
  if (search.pane === 'plan') {
    const vm = planView(api.run, api.ui);
    const hits = vm.rows.filter((r) => r.slotId && `${r.label} ${r.detail} ${r.status ?? ''}`.toLowerCase().includes(query));
    if (hits.length === 0) return api.flash(`"${search.query}" not found in the plan`, 'error');
    const shown = shownSlot(api.run, api.ui)?.id;
    const at = hits.findIndex((r) => r.slotId === shown);
    const next = hits[(at + direction + hits.length) % hits.length] ?? hits[0];
    api.dispatch({ type: 'select', slotId: next.slotId });
    return;
  }
  const pane = search.pane;
  const body = api.paneBody(pane);
  const hits = body.lines.map((line, i) => (line.toLowerCase().includes(query) ? i : -1)).filter((i) => i >= 0);
  if (hits.length === 0) return api.flash(`"${search.query}" not found in the ${pane} pane`, 'error');
  // From the match last shown (the view may not start at it near the end), else from the top of the view.
  const top = clampTop(body.lines.length, body.rows, api.ui.scroll[pane]);
  const from = fromCurrent || search.hit === undefined ? top : search.hit;
  const after = fromCurrent ? from - 1 : from;
  const next = direction === 1 ? (hits.find((i) => i > after) ?? hits[0]) : ([...hits].reverse().find((i) => i < from) ?? hits[hits.length - 1]);
  api.dispatch({ type: 'scroll', pane, to: next });
  api.dispatch({ type: 'search', pane, query: search.query, hit: next });
  api.flash(`"${search.query}": match ${hits.indexOf(next) + 1} of ${hits.length}`);
}
