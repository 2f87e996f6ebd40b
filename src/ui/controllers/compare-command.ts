// `:diff BRANCH | SESSION [BRANCH]`: the branch shown against another branch, or this session against another, side by side.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { findSession, listSessions } from '../../session/catalog.js';
import { compareSessions, describeDivergence, type SessionComparison, type SideNames } from '../../session/compare.js';
import { readSession, type LoadedSession } from '../../session/reader.js';
import { compareBody, compareHeader, renderCompare } from '../panes/compare-pane.js';
import { shownBranch } from '../../state/selectors.js';
import { plain } from '../common/text.js';
import type { Panel, WorkbenchApi } from '../common/contracts.js';
import type { LineCommand } from '../common/contracts.js';

/** The open session as its file holds it now (a live run is flushed first, so every event so far is there). */
async function openSession(api: WorkbenchApi): Promise<LoadedSession> {
  if (!api.feed.sessionPath) throw new UserError(':diff: no session is open: open a problem or replay a session first');
  api.feed.controls.flush?.();
  return readSession(api.feed.sessionPath);
}

function branchIds(session: LoadedSession): number[] {
  return [0, ...session.events.flatMap((e) => (e.type === 'branch' ? [e.branchId] : []))];
}

function branchArg(value: string, session: LoadedSession, what: string): number {
  const ids = branchIds(session);
  const n = Number(value);
  if (!/^\d+$/.test(value) || !ids.includes(n)) throw new UserError(`:diff: no branch ${value} in ${what}: its branches are ${ids.join(', ')}`);
  return n;
}

/** A session named by path (from the working folder) or by id (or id prefix) from the sessions folder. */
async function otherSession(api: WorkbenchApi, target: string): Promise<LoadedSession> {
  const path = resolve(api.cwd, target);
  if (existsSync(path)) return readSession(path);
  if (!api.sessionsDir) throw new UserError(`:diff: no session file ${path}`);
  const { rows } = await listSessions(api.sessionsDir);
  return readSession(findSession(rows, target).path);
}

export function comparePanel(comparison: SessionComparison, names: SideNames, title: string): Panel {
  const vm = (scroll: number) => ({ comparison, names, scroll });
  return {
    title,
    render: (size) => renderCompare(vm(size.scroll), size),
    body: ({ cols, rows }) => ({ lines: compareBody(vm(0), cols).map(plain), rows: Math.max(1, rows - compareHeader(vm(0), cols).length) }),
  };
}

function show(api: WorkbenchApi, comparison: SessionComparison, names: SideNames, title: string): void {
  api.showPanel(comparePanel(comparison, names, title));
  api.flash(comparison.divergence ? describeDivergence(comparison.divergence, comparison, names) : 'no divergence', comparison.divergence ? 'error' : 'info');
}

/** The open session (the branch shown) against another session file (its branch 0). */
export async function compareWithSession(api: WorkbenchApi, target: string, branch?: string): Promise<void> {
  const a = await openSession(api);
  const b = await otherSession(api, target);
  const branchB = branch === undefined ? 0 : branchArg(branch, b, b.header.sessionId);
  const comparison = compareSessions(a, b, { branchA: shownBranch(api.run, api.ui), branchB });
  show(api, comparison, { a: 'A', b: 'B' }, `diff ${a.header.sessionId} ↔ ${b.header.sessionId}`);
}

export const DIFF_COMMAND: LineCommand = {
  name: 'diff',
  usage: 'diff BRANCH | SESSION [BRANCH]',
  description: 'side by side with the branch shown: another branch of this session, or another session (file or id)',
  complete: (api) => [...api.run.branches.keys()].filter((id) => id !== shownBranch(api.run, api.ui)).map(String),
  disabledReason: (api) => (api.feed.sessionPath ? undefined : 'no session is open: open a problem or replay a session first'),
  run: async (args, api) => {
    if (args.length === 0 || args.length > 2) throw new UserError(`:diff needs a branch id or a session: :${DIFF_COMMAND.usage}`);
    const [target, branch] = args;
    if (!/^\d+$/.test(target)) return compareWithSession(api, target, branch);
    if (branch !== undefined) throw new UserError(`:diff ${target} compares two branches of this session: no second argument`);
    const session = await openSession(api);
    const branchA = shownBranch(api.run, api.ui);
    const branchB = branchArg(target, session, 'this session');
    if (branchA === branchB) throw new UserError(`:diff: branch ${branchB} is the one shown: name another (${branchIds(session).join(', ')})`);
    const comparison = compareSessions(session, session, { branchA, branchB });
    show(api, comparison, { a: `b${branchA}`, b: `b${branchB}` }, `diff branch ${branchA} ↔ branch ${branchB}`);
  },
};
