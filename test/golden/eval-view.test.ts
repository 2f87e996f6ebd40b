// Golden frames of the eval view at 80x24 and 120x40: one run (filtered, searched) and two runs compared.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { EvalRow } from '../../src/eval/eval-row.js';
import { initialRunState } from '../../src/state/run-state.js';
import type { UiAction } from '../../src/state/ui-state.js';
import { registerBuiltins } from '../../src/ui/controllers/builtin-commands.js';
import { CommandRegistry } from '../../src/ui/controllers/command-line.js';
import { evalMode } from '../../src/ui/controllers/eval-command.js';
import { KEYMAP } from '../../src/ui/controllers/keymap.js';
import { composeFrame } from '../../src/ui/frame.js';
import { loadTheme, type Theme } from '../../src/ui/common/theme.js';
import { evalRow, writeRunDir } from '../helpers/eval-runs.js';
import { fakeWorkbench } from '../helpers/fake-workbench.js';
import { expectGolden } from './golden.js';
import { screenText, taggedText } from './screen.js';

let theme: Theme;
let root: string;

/** 16 problems: tokens and times spread out, two fails, a timeout, an error, two repaired, two classes. */
function rows(fails: number[]): EvalRow[] {
  return Array.from({ length: 16 }, (_x, i) => {
    const id = `HumanEval/${i}`;
    const base = { tokens: { prompt: 300, cached: 0, generated: 20 + ((i * 37) % 200) }, durationMs: 800 + ((i * 913) % 5000), class: i % 3 === 0 ? 'strings' : 'math' };
    if (i === 5) return evalRow(id, { ...base, verdict: 'error', judged: false, error: { code: 'stalled', message: 'no token for 30 s \x1b[31m{bold}' } });
    if (i === 9) return evalRow(id, { ...base, verdict: 'timeout', attempts: 2 });
    if (fails.includes(i)) return evalRow(id, { ...base, verdict: 'fail', attempts: 2 });
    return evalRow(id, { ...base, repaired: i === 4 || i === 11 });
  });
}

beforeAll(async () => {
  theme = await loadTheme('dark');
  root = mkdtempSync(join(tmpdir(), 'sb-evalview-golden-'));
  writeRunDir(join(root, 'baseline'), rows([2, 7]), 20);
  writeRunDir(join(root, 'prompt-v2'), rows([7, 12, 14]));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function golden(name: string, dirs: string[], keys: string[] = [], actions: UiAction[] = []): Promise<void> {
  const w = await fakeWorkbench({ cwd: root, canOpen: true });
  evalMode(60_000).open(w.api, dirs);
  await w.press(...keys);
  for (const action of actions) w.api.dispatch(action);
  const run = initialRunState();
  for (const [cols, rows] of [[80, 24], [120, 40]] as const) {
    const frame = composeFrame({ run, ui: w.api.ui, theme, cols, rows, keys: KEYMAP, commands: registerBuiltins(new CommandRegistry()).list(), ctx: w.api, panel: w.api.panel! });
    expectGolden(`${name}-${cols}x${rows}`, `${screenText(frame, cols, rows)}\n\n${taggedText(frame)}`);
  }
}

describe('golden eval view', () => {
  it('one run still running: bars, histograms, sorted by tokens, the error row picked (its message escaped)', () => golden('eval-view', ['baseline'], ['s', 's', 's', 'g']));
  it('one run, fails only, searching as typed', () => golden('eval-view-filter', ['baseline'], ['f'], [{ type: 'input', input: { kind: 'filter', text: 'eval/' } }]));
  it('two runs compared: paired tables, flips, flipped rows', () => golden('eval-compare', ['baseline', 'prompt-v2']));
});
