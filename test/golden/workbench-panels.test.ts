// Golden frames of the workbench's panels at 80x24 and 120x40: session browser, side-by-side compare, probe view.

import { beforeAll, describe, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import type { SessionRow } from '../../src/session/catalog.js';
import { compareSessions } from '../../src/session/compare.js';
import { reduceAll } from '../../src/state/run-state.js';
import type { UiAction } from '../../src/state/ui-state.js';
import type { Panel } from '../../src/ui/common/contracts.js';
import { registerBuiltins } from '../../src/ui/controllers/builtin-commands.js';
import { CommandRegistry } from '../../src/ui/controllers/command-line.js';
import { comparePanel } from '../../src/ui/controllers/compare-command.js';
import { KEYMAP } from '../../src/ui/controllers/keymap.js';
import { probeViewPanel } from '../../src/ui/controllers/probe-panel.js';
import { sessionBrowserPanel } from '../../src/ui/controllers/session-browser.js';
import { composeFrame } from '../../src/ui/frame.js';
import { loadTheme, type Theme } from '../../src/ui/common/theme.js';
import { fakeWorkbench, type FakeOptions } from '../helpers/fake-workbench.js';
import { expectGolden } from './golden.js';
import { probeRun, type ProbeRun } from './probe-states.js';
import { screenText, taggedText } from './screen.js';
import { branchEvents, runEvents } from './states.js';

let theme: Theme;
let probe: ProbeRun;
const runs: Record<string, SlotbenchEvent[]> = {};

beforeAll(async () => {
  theme = await loadTheme('dark');
  runs.branch = await branchEvents();
  runs.wrong = await runEvents('humaneval-0-wrong');
  probe = await probeRun();
});

/** A panel over the workbench, after some UI actions, drawn at both sizes. */
async function golden(name: string, options: FakeOptions, panel: (w: Awaited<ReturnType<typeof fakeWorkbench>>) => Panel, actions: UiAction[] = []): Promise<void> {
  const w = await fakeWorkbench(options);
  w.api.showPanel(panel(w));
  for (const action of actions) w.api.dispatch(action);
  const run = options.run ?? reduceAll([]);
  for (const [cols, rows] of [[80, 24], [120, 40]] as const) {
    const frame = composeFrame({
      run,
      ui: w.api.ui,
      theme,
      cols,
      rows,
      keys: KEYMAP,
      commands: registerBuiltins(new CommandRegistry()).list(),
      ctx: w.api,
      ...(run.settings ? { settings: run.settings } : {}),
      ...(options.feed?.sessionPath ? { session: options.feed.sessionPath } : {}),
      panel: w.api.panel!,
    });
    expectGolden(`${name}-${cols}x${rows}`, `${screenText(frame, cols, rows)}\n\n${taggedText(frame)}`);
  }
}

const row = (id: string, change: Partial<SessionRow>): SessionRow => ({
  id, file: `${id}.jsonl`, path: `/home/me/work/sessions/${id}.jsonl`, startedAt: '2026-11-20T09:00:00.000Z', flow: 'implement',
  problem: 'HumanEval/0', dataset: 'HumanEval.jsonl.gz', model: 'qwen2.5-coder-0.5b', mode: 'run', ...change,
});

const SESSIONS: SessionRow[] = [
  row('20261124-101500-humaneval-0-a1b2', { startedAt: '2026-11-24T10:15:00.000Z', verdict: 'pass', durationMs: 4200, tokens: 154 }),
  row('20261124-093000-humaneval-2-c3d4', { startedAt: '2026-11-24T09:30:00.000Z', problem: 'HumanEval/2', verdict: 'fail', durationMs: 12900, tokens: 611 }),
  row('20261123-181200-mbpp-11-e5f6', { startedAt: '2026-11-23T18:12:00.000Z', problem: 'Mbpp/11', dataset: 'mbpp.jsonl', model: 'local', verdict: 'parse_error', durationMs: 2100, tokens: 88 }),
  row('20261123-170000-humaneval-0-0a0b', { startedAt: '2026-11-23T17:00:00.000Z', flow: 'implement', mode: 'probe', verdict: 'pass', durationMs: 60100, tokens: 4870, unindexed: true }),
  row('20261122-080000-humaneval-3-9f9f', { startedAt: '2026-11-22T08:00:00.000Z', problem: 'HumanEval/3', missing: true }),
  row('20261124-110000-humaneval-5-7777', { startedAt: '2026-11-24T11:00:00.000Z', problem: 'HumanEval/5', model: 'local' }),
];
const listing = () => ({ dir: '/home/me/work/sessions', rows: structuredClone(SESSIONS), warnings: [] });
const recording = { kind: 'engine' as const, sessionPath: SESSIONS[5].path, controls: {} };

describe('golden panels', () => {
  it('session browser, sorted by date, the live session marked', () =>
    golden('sessions', { feed: recording, sessionsDir: '/home/me/work/sessions', canOpen: true }, (w) => sessionBrowserPanel(w.api, listing()), [{ type: 'panel-row', row: 1 }]));

  it('session browser filtered while typing, sorted by tokens', () =>
    golden('sessions-filter', { feed: { kind: 'none' }, sessionsDir: '/home/me/work/sessions', canOpen: true }, (w) => sessionBrowserPanel(w.api, listing()), [
      { type: 'browser', sort: 'tokens' },
      { type: 'input', input: { kind: 'filter', text: 'humaneval' } },
    ]));

  it('compare: a re-run branch against the original (sampling differs)', () => {
    const session = { header: runs.branch[0] as Extract<SlotbenchEvent, { type: 'session_started' }>, events: runs.branch };
    const comparison = compareSessions(session, session, { branchA: 1, branchB: 0 });
    return golden('compare-branches', { feed: { kind: 'replay', sessionPath: '/tmp/s.jsonl' }, run: reduceAll(runs.branch) }, () =>
      comparePanel(comparison, { a: 'b1', b: 'b0' }, 'diff branch 1 ↔ branch 0'));
  });

  it('compare: two sessions whose answers differ', () => {
    const a = { header: runs.branch[0] as Extract<SlotbenchEvent, { type: 'session_started' }>, events: runs.branch };
    const b = { header: runs.wrong[0] as Extract<SlotbenchEvent, { type: 'session_started' }>, events: runs.wrong };
    return golden('compare-sessions', { feed: { kind: 'replay', sessionPath: '/tmp/s.jsonl' }, run: reduceAll(runs.branch) }, () =>
      comparePanel(compareSessions(a, b), { a: 'A', b: 'B' }, 'diff A ↔ B'));
  });

  it('probe view, the third sample picked', () =>
    golden('probe-view', { feed: { kind: 'engine', sessionPath: '/tmp/run.jsonl', controls: {} } }, () => probeViewPanel(probe.results, probe.state), [{ type: 'panel-row', row: 2 }]));

  it('probe view, a failing sample scrolled to its test output, tokens shaded', () =>
    golden('probe-view-test', { feed: { kind: 'engine', sessionPath: '/tmp/run.jsonl', controls: {} } }, () => probeViewPanel(probe.results, probe.state), [
      { type: 'panel-row', row: 3 },
      { type: 'toggle-shading' },
      { type: 'overlay-scroll', to: 8 },
    ]));
});
