// Small wording fixes a first-time user tripped over (help columns, an empty diff, counts), and the program pane.

import { describe, expect, it } from 'vitest';
import { renderTranscript } from '../../src/session/transcript.js';
import type { Task } from '../../src/core/task.js';
import { initialRunState, reduceAll, type GateView, type SlotView } from '../../src/state/run-state.js';
import { programText, programView } from '../../src/ui/panes/program-pane.js';
import { initialUiState, reduceUi } from '../../src/state/ui-state.js';
import { plain } from '../../src/ui/common/text.js';
import { diffView, renderDiff } from '../../src/ui/panes/diff-pane.js';
import { helpLines } from '../../src/ui/panes/help-pane.js';
import { loadTheme } from '../../src/ui/common/theme.js';
import { harness, ofType } from '../helpers/engine-harness.js';

describe('wording', () => {
  it('puts a usage as wide as the help column on its own line instead of running it into the description', () => {
    const lines = helpLines(
      { keys: [], commands: [{ usage: ':break SLOT-NAME', description: 'toggle a breakpoint' }, { usage: ':temp T', description: 'temperature' }], scroll: 0 },
      80,
    ).map(plain);
    const at = lines.findIndex((l) => l.includes(':break SLOT-NAME'));
    expect(lines[at].trimEnd()).toBe('  :break SLOT-NAME');
    expect(lines[at + 1].trim()).toBe('toggle a breakpoint');
    expect(lines.find((l) => l.includes(':temp T'))).toMatch(/^ {2}:temp T +temperature$/);
  });

  it('says an attempt wrote the same code as the one before, not +0 -0; the transcript counts in the singular', async () => {
    // The script's one wrong answer repeats: attempt 2 writes exactly what attempt 1 wrote.
    const { engine, events } = await harness('humaneval-0-wrong', { attempts: 2 });
    await engine.start();
    expect(ofType(events, 'test_run').map((e) => e.verdict)).toEqual(['fail', 'fail']);
    const run = reduceAll(events);
    const second = ofType(events, 'slot_started').filter((e) => e.name === 'implement')[1].slotId;
    const ui = reduceUi(initialUiState(), { type: 'select', slotId: second });
    const vm = diffView(run, ui);
    expect(vm.message).toBe('same code as attempt 1 (s1): nothing changed');
    const header = plain([{ text: renderDiff(vm, { cols: 60, rows: 10, theme: await loadTheme('mono') })[0] }]);
    expect(header).not.toContain('+0 -0');

    const once = await harness('humaneval-0-wrong', { attempts: 1 });
    await once.engine.start();
    expect(renderTranscript(once.events).at(-1)).toMatch(/· 1 slot call · 1 test run$/);
  });
});

describe('the program the gate ran', () => {
  it('for a command check: the workspace with the candidate file in place, the hidden check files, then the argv', async () => {
    const run = initialRunState();
    run.slots.set('s1', { id: 's1', applied: { file: 'lib/a.py', after: 'def f():\n    return 2\n' } } as unknown as SlotView);
    const gate = { id: 'g1', slotId: 's1', attempt: 1, branchId: 0, running: false, startedT: 0, verdict: 'pass', command: ['python3', '-m', 'pytest'] } as GateView;
    const task = {
      files: [{ path: 'lib/a.py', text: 'def f():\n    return 1\n' }, { path: 'README', text: 'hello\n' }],
      oracle: { kind: 'command', argv: ['{python}', '-m', 'pytest'], files: [{ path: 'tests/test_a.py', text: 'def test_f():\n    assert f() == 2\n' }] },
    } as unknown as Task;
    const vm = programView(run, gate, task, 0);
    expect(vm.sections.map((s) => s.heading)).toEqual([
      'workspace lib/a.py (the candidate)',
      'workspace README',
      'check file tests/test_a.py (hidden from the model)',
      'command (argv as run, sandbox wrapper included)',
    ]);
    expect(vm.sections[0].text).toBe('def f():\n    return 2\n');
    expect(programText(vm)).toMatch(/^# gate g1 · s1 · attempt 1 · pass · judge oracle\n# ── workspace lib\/a\.py \(the candidate\)\ndef f\(\):\n {4}return 2\n/);
  });
});
