import { describe, expect, it } from 'vitest';
import { PASS_AT } from '../../src/probe/result.js';
import { initialUiState } from '../../src/state/ui-state.js';
import { INTERVAL_METHOD, passAtKTable } from '../../src/probe/stats.js';
import { OUTCOMES, type ProbeResult, type SampleOutcome } from '../../src/probe/types.js';
import { renderProbeComparison } from '../../src/ui/panes/probe-compare.js';
import { probePanel, renderProbe } from '../../src/ui/panes/probe-pane.js';
import { bar } from '../../src/ui/panes/probe-text.js';
import { loadTheme } from '../../src/ui/common/theme.js';

const CANONICAL = '    for i, a in enumerate(numbers):\n        for j, b in enumerate(numbers):\n            if i != j and abs(a - b) < threshold:\n                return True\n    return False';

function result(counts: Partial<Record<SampleOutcome, number>>, change: Partial<ProbeResult> = {}): ProbeResult {
  const full = Object.fromEntries(OUTCOMES.map((o) => [o, counts[o] ?? 0])) as Record<SampleOutcome, number>;
  const requested = OUTCOMES.reduce((n, o) => n + full[o], 0);
  const judged = requested - full.aborted - full.not_run;
  return {
    problem: 'HumanEval/0',
    slot: 'implement',
    model: 'local',
    temperature: 0.8,
    requested,
    judged,
    passed: full.pass,
    counts: full,
    repaired: 1,
    passAtK: passAtKTable(judged, full.pass, PASS_AT),
    intervalMethod: INTERVAL_METHOD,
    groups: [
      { key: 'a', count: full.pass, outcomes: { pass: full.pass }, passing: true, representative: CANONICAL, excerpt: CANONICAL, samples: [] },
      { key: 'b', count: full.fail, outcomes: { fail: full.fail }, passing: false, representative: '    return False', excerpt: '    return False', samples: [] },
    ],
    distinctPassing: 1,
    samples: [],
    ...change,
  };
}

const TWENTY = result({ pass: 7, fail: 9, parse_error: 2, timeout: 1, error: 1 });

describe('probe pane', () => {
  it('shows k/N, pass@k with intervals, the outcome histogram and the groups with code', () => {
    const lines = renderProbe(TWENTY, { cols: 80, rows: Infinity });
    const text = lines.join('\n');
    expect(lines[0]).toBe('probe implement · HumanEval/0 · model local · T=0.8');
    expect(lines[1]).toBe('passed 7/20 · judged 20 · repaired 1 · distinct solutions 2 (1 passing)');
    expect(text).toContain('pass@k  estimate  95% interval\n@1         0.350  0.181–0.567\n@5         0.917  0.632–0.985\n@10        0.998  0.865–1.000\n');
    expect(text).toMatch(/^ {2}pass {9}7 █+/m);
    // 80 columns less label, count and spaces leave 62 cells for the largest count.
    expect(text).toMatch(/^ {2}fail {9}9 █{62}$/m);
    expect(text).toMatch(/^ {2}crash {8}0 $/m);
    expect(text).not.toMatch(/not run/);
    expect(text).toMatch(/^ {2}#1 {2}×7 {3}pass {9}█{7}$/m);
    expect(text).toContain('          if i != j and abs(a - b) < threshold:');
    expect(text).toMatch(/^ {2}#2 {2}×9 {3}fail {9}█{9}$/m);
  });

  it('fits 80 and 120 columns and a fixed number of rows, sharing rows out between groups', () => {
    for (const cols of [40, 80, 120]) {
      for (const rows of [12, 24, 30]) {
        const lines = renderProbe(TWENTY, { cols, rows });
        expect(lines.length).toBeLessThanOrEqual(rows);
        for (const line of lines) expect([...line].length).toBeLessThanOrEqual(cols);
      }
    }
    const lines = renderProbe(TWENTY, { cols: 80, rows: 22 });
    expect(lines.some((l) => /^ {2}#2/.test(l))).toBe(true);
    expect(lines.some((l) => /… \d+ more lines/.test(l))).toBe(true);
  });

  it('says how many groups it could not show', () => {
    const groups = Array.from({ length: 12 }, (_, i) => ({
      key: String(i), count: 1, outcomes: { fail: 1 }, passing: false, representative: `    return ${i}`, excerpt: `    return ${i}`, samples: [i],
    }));
    const lines = renderProbe(result({ fail: 12 }, { groups }), { cols: 80, rows: 22 });
    expect(lines).toHaveLength(22);
    expect(lines[lines.length - 1]).toMatch(/^ {2}… \d+ more groups$/);
  });

  it('shows where samples diverge and the alternatives with probability bars', () => {
    const diverging = result({ pass: 2, fail: 1 }, {
      divergence: {
        position: 3,
        prefix: '    for',
        chosen: [{ token: ' i', count: 2 }, { token: null, count: 1 }],
        alternatives: [{ token: ' i', probability: 0.5 }, { token: '\n', probability: 0.25 }],
      },
    });
    const text = renderProbe(diverging, { cols: 80, rows: Infinity }).join('\n');
    expect(text).toContain('samples diverge at token 3 after "    for"');
    expect(text).toContain('chosen: " i" ×2, (end) ×1');
    expect(text).toMatch(/^ {4}" i" 0\.500 █{32}$/m);
    expect(text).toMatch(/^ {4}"\\n" 0\.250 █{16}$/m);
  });

  it('makes model text safe: control sequences stripped, blessed tags escaped when drawn with a theme', async () => {
    const hostile = '    return "{red-fg}x{/red-fg}\x1b[2J\x1b]0;owned\x07"';
    const groups = [{ key: 'h', count: 1, outcomes: { fail: 1 }, passing: false, representative: hostile, excerpt: hostile, samples: [0] }];
    const theme = await loadTheme('dark');
    const tagged = renderProbe(result({ fail: 1 }, { groups }), { cols: 80, rows: Infinity, theme }).join('\n');
    expect(tagged).not.toContain('\x1b');
    expect(tagged).not.toContain('\x07');
    expect(tagged).toContain('return "{open}red-fg{close}x{open}/red-fg{close}"');
    expect(tagged).toContain(`${theme.tags.heading.open}outcomes${theme.tags.heading.close}`);
    const plain = renderProbe(result({ fail: 1 }, { groups }), { cols: 80, rows: Infinity }).join('\n');
    expect(plain).toContain('      return "{red-fg}x{/red-fg}"');
    expect(plain).not.toContain('\x1b');
  });

  it('draws bars in eighths, or in ASCII', () => {
    expect(bar(1, 2, 10)).toBe('█████');
    expect(bar(1, 16, 1)).toBe('▏');
    expect(bar(3, 16, 2)).toBe('▍');
    expect(bar(0, 5, 10)).toBe('');
    expect(bar(1, 1000, 10)).toBe('▏');
    expect(bar(1, 2, 10, true)).toBe('#####');
    const ascii = renderProbe(TWENTY, { cols: 80, rows: Infinity, ascii: true }).join('\n');
    expect(ascii).not.toMatch(/[█▏▎▍▌▋▊▉]/);
    expect(ascii).toMatch(/^ {2}fail {9}9 #{62}$/m);
  });

  it('compares temperatures in one table, with - where too few samples were judged', () => {
    const rows = renderProbeComparison(
      [result({ pass: 1, fail: 3 }, { temperature: 0.2 }), result({ pass: 7, fail: 13 }, { temperature: 1 })],
      { cols: 80, rows: Infinity },
    );
    expect(rows).toEqual([
      '  T  passed  pass@1  pass@5  pass@10  distinct  passing',
      '0.2     1/4   0.250       -        -         2        1',
      '  1    7/20   0.350   0.917    0.998         2        1',
    ]);
  });

  it('is a scrollable workbench panel holding every temperature and the comparison', async () => {
    const theme = await loadTheme('mono');
    const panel = probePanel([result({ pass: 1, fail: 3 }, { temperature: 0.2 }), TWENTY]);
    expect(panel.title).toBe('probe implement');
    const top = panel.render({ cols: 60, rows: 10, theme, scroll: 0, ui: initialUiState() });
    expect(top).toHaveLength(10);
    expect(top[0]).toContain('T=0.2');
    const bottom = panel.render({ cols: 60, rows: 10, theme, scroll: 10_000, ui: initialUiState() });
    expect(bottom.at(-1)).toMatch(/^0\.8 +7\/20 +0\.350/);
    expect(bottom.some((l) => l.includes('pass@10'))).toBe(true);
  });
});
