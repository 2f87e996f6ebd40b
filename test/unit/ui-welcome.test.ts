import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../src/session/index-store.js';
import { loadTheme } from '../../src/ui/common/theme.js';
import { renderWelcome } from '../../src/ui/panes/welcome-pane.js';
import { untag } from '../golden/screen.js';

const row = (id: string, model: string, tags?: string[]): SessionSummary => ({
  id,
  file: `${id}.jsonl`,
  startedAt: '2026-11-30T02:06:00.000Z',
  flow: 'implement',
  problem: 'HumanEval/0',
  model,
  mode: 'run',
  verdict: 'pass',
  ...(tags ? { tags } : {}),
});

describe('welcome screen recent sessions', () => {
  it('line up their dates under a model name longer than the column, and show tags before the file', async () => {
    const theme = await loadTheme('dark');
    const recent = [row('a', 'demo-stories260K', ['baseline', 'flaky']), row('b', 'local')];
    const lines = renderWelcome({ version: '0.1.0', datasets: [], recent, selected: 0, canReplay: true }, { cols: 120, rows: 30, theme }).map(untag);
    const shown = lines.filter((l) => l.includes('2026-11-30 02:06'));
    expect(shown).toHaveLength(2);
    expect(shown[0].indexOf('2026-11-30')).toBe(shown[1].indexOf('2026-11-30'));
    expect(shown[0]).toMatch(/02:06 {2}#baseline #flaky {2}a\.jsonl/);
    expect(shown[1]).toMatch(/02:06 {2}b\.jsonl/);
  });
});
