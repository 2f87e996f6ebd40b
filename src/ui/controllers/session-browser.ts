// The session browser (`o`, `:sessions`): the catalog's rows as a panel; open one in replay, compare, delete after a yes.

import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { deleteSession, listSessions, type SessionRow } from '../../session/catalog.js';
import { setAnnotation } from '../../session/index-store.js';
import { SORT_KEYS } from '../../state/ui-state.js';
import { browserRows, pickedRow, renderSessions, sessionsView, type SessionListing } from '../panes/sessions-pane.js';
import { keyHints } from '../panes/status-bar.js';
import type { KeyContext, Panel, WorkbenchApi } from '../common/contracts.js';
import { annotateFile } from './annotate-commands.js';
import { compareWithSession } from './compare-command.js';
import type { KeyBinding } from '../common/contracts.js';
import { closePanelKey, filterListKey, listKeys } from './list-keys.js';

/** List the sessions folder and show the browser over the panes. */
export async function openSessionBrowser(api: WorkbenchApi): Promise<void> {
  const dir = api.sessionsDir;
  if (!dir) throw new UserError('no sessions folder here: slotbench tui lists ./sessions');
  const { rows, warnings } = await listSessions(dir);
  api.showPanel(sessionBrowserPanel(api, { dir, rows, warnings }));
  if (warnings.length > 0) api.flash(`${warnings[0]}${warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : ''}`, 'error');
}

/** Why a session may not be deleted from here: it is being written, or it is the one on screen. */
function keepReason(api: Pick<WorkbenchApi, 'recording' | 'feed'>, row: SessionRow): string | undefined {
  const path = resolve(row.path);
  if (api.recording().includes(path)) return `${row.id} is being recorded now: delete it once its run is closed`;
  if (api.feed.kind === 'replay' && api.feed.sessionPath && resolve(api.feed.sessionPath) === path) {
    return `${row.id} is open in this replay: open another session first`;
  }
  return undefined;
}

export function sessionBrowserPanel(api: WorkbenchApi, listing: SessionListing): Panel {
  const shown = (ctx: KeyContext) => browserRows(listing.rows, ctx.ui);
  const picked = (ctx: KeyContext) => pickedRow(shown(ctx), ctx.ui);
  const none = (ctx: KeyContext) => (picked(ctx) ? undefined : 'no session picked');
  const keys: KeyBinding[] = [
    ...listKeys('browse', { count: (ctx) => shown(ctx).length, page: 10 }),
    {
      id: 'browse-open',
      keys: ['enter'],
      description: 'open the picked session in replay',
      bar: 'replay',
      disabledReason: (ctx) =>
        none(ctx) ??
        (!api.openSession ? `replay it with: slotbench replay ${picked(ctx)!.path}` : picked(ctx)!.missing ? 'its file is gone: d removes the row' : undefined),
      run: async (api) => {
        const row = picked(api)!;
        // The live run's last events reach its file before anyone reads it.
        api.feed.controls.flush?.();
        await api.openSession!(row.path);
        api.flash(`replaying ${row.id}: c plays, s steps a slot, ] jumps to the next slot, o browses again`);
      },
    },
    {
      id: 'browse-diff',
      keys: ['='],
      description: 'compare the open session with the picked one, side by side',
      bar: 'diff',
      disabledReason: (ctx) =>
        none(ctx) ?? (api.feed.sessionPath ? undefined : 'no session is open to compare with: open a problem or a replay first'),
      run: (api) => compareWithSession(api, picked(api)!.path),
    },
    {
      id: 'browse-delete',
      keys: ['d'],
      description: 'delete the picked session (asks first; never the one being recorded)',
      bar: 'delete',
      disabledReason: (ctx) => none(ctx) ?? keepReason(api, picked(ctx)!),
      run: (api) => {
        const row = picked(api)!;
        api.confirm(`delete session ${row.id} (${row.file})?`, () => remove(api, listing, row), `kept ${row.id}`);
      },
    },
    {
      id: 'browse-sort',
      keys: ['s'],
      description: `sort by the next key (${SORT_KEYS.join(', ')})`,
      bar: 'sort',
      run: (api) => {
        const row = picked(api);
        const sort = SORT_KEYS[(SORT_KEYS.indexOf(api.ui.browser.sort) + 1) % SORT_KEYS.length];
        api.dispatch({ type: 'browser', sort });
        // The cursor stays on the same session.
        api.dispatch({ type: 'panel-row', row: Math.max(0, row ? shown(api).indexOf(row) : 0) });
      },
    },
    filterListKey('browse', 'filter by id, problem, flow, model, verdict, label, tag:NAME or words of the note'),
    closePanelKey('browse', 'the browser'),
  ];
  return {
    title: 'Sessions',
    keys,
    annotate: async (change, api) => {
      const row = picked(api);
      if (!row) throw new UserError('no session picked');
      if (row.missing) throw new UserError(`${row.id}: its file is gone: d removes the row`);
      const result = await annotateFile(api, row.path, row.id, change);
      setAnnotation(row, result.after);
      // Writing the annotation wrote the session's index row too.
      if (result.changed && !result.indexTrouble) delete row.unindexed;
      return result;
    },
    render: (size) =>
      renderSessions(
        sessionsView(listing, size.ui, { recording: api.recording(), ...(api.feed.sessionPath ? { open: api.feed.sessionPath } : {}), hints: keyHints(keys, api) }),
        size,
      ),
  };
}

async function remove(api: WorkbenchApi, listing: SessionListing, row: SessionRow): Promise<void> {
  // Asked again: the run on screen may have changed while the question was open.
  const reason = keepReason(api, row);
  if (reason) throw new UserError(reason);
  await deleteSession(listing.dir, row);
  listing.rows = listing.rows.filter((r) => r !== row);
  api.forgetSession(row.path);
  api.dispatch({ type: 'panel-row', row: Math.min(api.ui.panelRow, Math.max(0, browserRows(listing.rows, api.ui).length - 1)) });
  api.flash(`deleted ${row.id} (${row.path})`);
}
