// A branched session's result means one thing everywhere: the branch that finished last, in the index row, the
// `sessions` table, the session browser (with each branch's verdict) and the status bar.

import { mkdirSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listSessions, summarizeSession, verdictText } from '../../src/session/catalog.js';
import { readSession } from '../../src/session/reader.js';
import { reduce, reduceAll } from '../../src/state/run-state.js';
import { decidingBranch } from '../../src/state/selectors.js';
import { initialRunState } from '../../src/state/run-state.js';
import { initialUiState } from '../../src/state/ui-state.js';
import { plain } from '../../src/ui/common/text.js';
import { sessionsLines, sessionsView } from '../../src/ui/panes/sessions-pane.js';
import { statusView } from '../../src/ui/panes/status-bar.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { expectGolden } from '../golden/golden.js';

const BRANCHED = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-branched.jsonl');
const root = mkdtempSync(join(tmpdir(), 'sb-branches-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ctx = (run: ReturnType<typeof initialRunState>) => ({ run, ui: initialUiState(), feedKind: 'replay' as const, can: () => false });

describe('the result of a branched session', () => {
  it('is the verdict of the branch that finished last in the index row, with every branch listed', async () => {
    const { events } = await readSession(BRANCHED);
    // The fixture: branch 0 failed, a re-run of its slot (branch 1) passed.
    expect(events.filter((e) => e.type === 'flow_finished').map((e) => [e.branchId, e.verdict])).toEqual([[0, 'fail'], [1, 'pass']]);
    const row = await summarizeSession(BRANCHED, root);
    const state = reduceAll(events);
    expect(row.verdict).toBe(state.branches.get(decidingBranch(state))!.finished!.verdict);
    expect(row).toMatchObject({ verdict: 'pass', decidedBy: 1, branches: [{ id: 0, verdict: 'fail' }, { id: 1, verdict: 'pass' }] });
    expect(verdictText(row)).toBe('pass b1/2');
  });

  it('says which branch decided in the status bar, and what holds so far while another branch runs', async () => {
    const { events } = await readSession(BRANCHED);
    const done = reduceAll(events);
    expect(statusView(done, initialUiState(), ctx(done), [], {}).state).toBe('finished: PASS (branch 1 of 2)');
    // Stopped right after the branch event: branch 1 runs, branch 0's fail is the result so far.
    const midway = initialRunState();
    for (const event of events.slice(0, events.findIndex((e) => e.type === 'branch') + 1)) reduce(midway, event);
    expect(statusView(midway, initialUiState(), ctx(midway), [], {}).state).toBe('branch 1 running · so far: FAIL (branch 0 of 2)');
  });

  it('shows in the browser: the verdict with its branch, and each branch of the picked row', async () => {
    const dir = join(root, 'sessions');
    mkdirSync(dir);
    copyFileSync(BRANCHED, join(dir, 'branched.jsonl'));
    const listing = { dir: '/sessions', ...(await listSessions(dir)) };
    for (const [cols, rows] of [[80, 24], [120, 40]] as const) {
      const vm = sessionsView(listing, initialUiState(), { recording: [], hints: [] });
      const lines = sessionsLines(vm, { cols, rows: rows - 2 }).map(plain);
      expect(lines.join('\n')).toMatch(/pass b1\/2/);
      expect(lines.join('\n')).toContain('branches: b0 fail · b1 pass ◂ result');
      expectGolden(`sessions-branched-${cols}x${rows}`, lines.join('\n'));
    }
  });
});
