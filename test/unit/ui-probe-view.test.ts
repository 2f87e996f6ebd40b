// The probe view: samples with their groups and choices, the picked sample's tokens/diff/test, keys to pick and scroll.

import { beforeAll, describe, expect, it } from 'vitest';
import { initialUiState, reduceUi } from '../../src/state/ui-state.js';
import { probeViewPanel } from '../../src/ui/controllers/probe-panel.js';
import { detailLines, probeViewLayout, sampleRows } from '../../src/ui/panes/probe-view.js';
import { plain } from '../../src/ui/common/text.js';
import { probeResults } from '../../src/probe/result.js';
import { reduceAll } from '../../src/state/run-state.js';
import { probeRun, type ProbeRun } from '../golden/probe-states.js';
import { realTools } from '../helpers/engine-harness.js';
import { fakeWorkbench } from '../helpers/fake-workbench.js';

let probe: ProbeRun;
beforeAll(async () => {
  probe = await probeRun();
});

describe('probe view', () => {
  it('mid-probe counts only the samples that have ended (the one still streaming is not aborted), every temperature shown', async () => {
    const { parser } = await realTools();
    // The probe as it stood while sample 4 streamed: three samples ended, the fourth started.
    const fourth = probe.events.findIndex((e) => e.type === 'branch' && e.branchId === 4);
    const midway = reduceAll(probe.events.slice(0, fourth + 5));
    const [live, other] = probeResults(midway, parser, 'implement', { finishedOnly: true, temperatures: [0.8, 0.2] });
    expect([live.temperature, live.requested, live.passed, live.counts.aborted]).toEqual([0.8, 3, 3, 0]);
    expect([other.temperature, other.requested]).toEqual([0.2, 0]);
    expect(probeResults(midway, parser, 'implement')[0].counts.aborted).toBe(1);

    const twoTemperatures = { results: [live, other], state: midway };
    const summary = probeViewLayout(twoTemperatures, initialUiState(), { cols: 108, rows: 34 }).summary.map(plain);
    expect(summary.find((l) => l.startsWith('T=0.8'))).toMatch(/^T=0\.8 · passed 3\/3 +│ T=0\.2 · passed 0\/0/);
    expect(summary.find((l) => l.includes('  pass  '))).toMatch(/pass +3 █+ +│ +pass +0/);
    const none = probeViewLayout({ results: [], state: reduceAll([]) }, initialUiState(), { cols: 74, rows: 18 });
    expect(none.summary.map(plain)).toEqual(['no sample has started yet']);
  });

  it("lists every sample with its seed, verdict, solution group and its token where the samples part", () => {
    const rows = sampleRows(probe);
    expect(rows.map((r) => [r.sample.seed, r.sample.outcome, r.group])).toEqual([
      [1, 'pass', 1], [2, 'pass', 1], [3, 'pass', 2], [4, 'fail', 3], [5, 'pass', 1], [6, 'parse_error', 4],
    ]);
    expect(probe.results[0].divergence?.position).toBe(1);
    expect(rows.map((r) => r.chose?.token)).toEqual(['"for"', '"for"', '"ordered"', '"return"', '"for"', '"for"']);
    expect(rows[0].chose?.probability).toBeCloseTo(Math.exp(-0.4));
  });

  it("shows the picked sample's own tokens, diff and test run", () => {
    const rows = sampleRows(probe);
    const failing = detailLines(rows[3], probe.state, initialUiState(), 60).map(plain);
    expect(failing[0]).toBe('── tokens · p4.s1 implement · 7 tok ');
    expect(failing).toContain('    return False');
    expect(failing.find((l) => l.startsWith('── diff'))).toBe('── diff · +1 -0 ');
    expect(failing).toContain('+    return False');
    expect(failing.find((l) => l.startsWith('── test'))).toMatch(/^── test p4\.g1 failed$/);
    expect(failing.join('\n')).toMatch(/AssertionError/);
    const repaired = detailLines(rows[5], probe.state, initialUiState(), 60).map(plain).join('\n');
    expect(repaired).toContain('p6.s1 did not parse');
  });

  it('fits the panel at 80x24 and 120x40, with the full histogram only when there is room', () => {
    for (const [cols, rows] of [[74, 18], [108, 34]]) {
      const panel = probeViewPanel(probe.results, probe.state);
      const ui = reduceUi(reduceUi(initialUiState(), { type: 'overlay', overlay: 'panel' }), { type: 'panel-row', row: 2 });
      const layout = probeViewLayout(probe, ui, { cols, rows });
      expect(layout.selected).toBe(2);
      expect(layout.summary.some((l) => plain(l).startsWith('outcomes'))).toBe(rows >= 30);
      expect(layout.summary.some((l) => plain(l).startsWith('samples diverge at token 1'))).toBe(true);
      const body = panel.body!({ cols, rows, ui });
      expect(body.rows).toBe(layout.detailRows);
      expect(body.lines[1]).toBe('    ordered = sorted(numbers)');
    }
  });

  it('j/k pick a sample (its detail back at the top), PgDn scrolls the detail, a shows the solutions and comes back', async () => {
    const w = await fakeWorkbench({ feed: { kind: 'engine' } });
    w.api.showPanel(probeViewPanel(probe.results, probe.state));
    await w.press('pagedown');
    expect(w.api.ui.overlayScroll).toBeGreaterThan(0);
    await w.press('j', 'j');
    expect(w.api.ui.panelRow).toBe(2);
    expect(w.api.ui.overlayScroll).toBe(0);
    expect(w.panelText().join('\n')).toMatch(/▶ +3 3 +pass +#2/);
    expect(w.panelText().join('\n')).toContain('sample 3 · seed 3 · T=0.8 · pass · group #2');
    await w.press('G');
    expect(w.api.ui.panelRow).toBe(5);
    await w.press('j');
    expect(w.api.ui.panelRow).toBe(5);
    await w.press('a');
    expect(w.api.panel?.title).toBe('probe implement: distinct solutions');
    expect(w.panelText().join('\n')).toMatch(/#1 {2}×3 {2}pass/);
    await w.press('escape');
    expect(w.api.panel?.title).toBe('probe implement');
    expect(w.api.ui.overlay).toBe('panel');
    expect(w.api.ui.panelRow).toBe(5);
    await w.press('escape');
    expect(w.api.ui.overlay).toBeUndefined();
  });
});
