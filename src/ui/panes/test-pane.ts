// Test pane: the gate run that judged the shown slot: exit, duration, sandbox, judge, limits, per-test outcomes,
// output tails, command.

import type { GateView, RunState } from '../../state/run-state.js';
import type { UiState } from '../../state/ui-state.js';
import { gateOf, gateStatus, STATUS_STYLE } from '../common/slot-status.js';
import { clean, highlight, proseLines, textLines, viewport, wrapLine, type Line } from '../common/text.js';
import { seconds, tagged, withRight, type PaneSize } from './pane.js';
import { shownSlot } from '../../state/selectors.js';

export interface TestVm {
  gate?: GateView;
  /** Shown when there is no gate for the slot. */
  message: string;
  scroll: number;
  search?: string;
}

export function testView(run: RunState, ui: UiState): TestVm {
  const scroll = typeof ui.scroll.test === 'number' ? ui.scroll.test : 0;
  const search = ui.search?.pane === 'test' ? ui.search.query : undefined;
  const base = { scroll, ...(search ? { search } : {}) };
  const slot = shownSlot(run, ui);
  if (!slot) return { ...base, message: 'no test run yet' };
  const gate = gateOf(run, slot);
  if (gate) return { ...base, gate, message: '' };
  const why = slot.status === 'streaming' ? 'tests run once the slot\'s code parses' : `no test run for ${slot.id}`;
  return { ...base, message: why };
}

/** Every body line: facts, the output tails (wrapped: error messages matter in full), then the command. */
export function testLines(vm: TestVm, cols: number): Line[] {
  const gate = vm.gate;
  if (!gate) return proseLines(vm.message, cols, 'muted');
  if (gate.running) return proseLines(`running the tests of ${gate.slotId}…`, cols, 'status.streaming');
  const lines: Line[] = [];
  const exit = gate.signal ? `signal ${gate.signal}` : `exit ${gate.exitCode ?? '–'}`;
  lines.push(...wrapLine([{ text: `${exit} · ${seconds(gate.durationMs)} · sandbox ` }, gate.sandbox === 'bwrap'
    ? { text: 'bwrap' }
    : { text: 'none (not isolated)', style: 'status.timeout' }], cols));
  if (gate.limitHit) lines.push(...wrapLine([{ text: `limit hit: ${gate.limitHit}`, style: 'status.failed' }], cols));
  lines.push(...outcomeLines(gate, cols));
  // stderr first: that is where a failing test says why.
  for (const [name, tail] of [['stderr', gate.stderrTail], ['stdout', gate.stdoutTail]] as const) {
    lines.push([{ text: `── ${name} `, style: 'heading' }, { text: tail ? '' : '(empty)', style: 'muted' }]);
    if (tail) lines.push(...textLines(tail.replace(/\n+$/, ''), cols));
  }
  lines.push(...judgeLines(gate, cols));
  lines.push([{ text: '── command', style: 'heading' }]);
  lines.push(...textLines((gate.command ?? []).join(' '), cols, 'muted'));
  return lines;
}

/** Who judged, and the limits the run had and what held them (the limit hit, if any, is shown at the top). */
function judgeLines(gate: GateView, cols: number): Line[] {
  const judge = gate.judge === 'own' ? "the model's own tests" : 'the hidden oracle';
  const lines: Line[] = [[{ text: '── judge ', style: 'heading' }, { text: judge }]];
  const limits = gate.limits;
  if (limits) {
    const text = `limits ${limits.memoryMb} MiB memory, ${limits.processes} processes, ${limits.diskMb} MiB disk, ${limits.cpuSeconds} s CPU`;
    lines.push(...proseLines(text, cols));
    if (limits.enforcedBy.length > 0) lines.push(...proseLines(`held by ${limits.enforcedBy.join(', ')}`, cols, 'muted'));
  }
  return lines;
}

/** Per-test outcomes of a command check: counts, then one line per test. */
function outcomeLines(gate: GateView, cols: number): Line[] {
  const tests = gate.tests ?? [];
  if (tests.length === 0) return [];
  const count = (outcome: string) => tests.filter((t) => t.outcome === outcome).length;
  const summary = ['passed', 'failed', 'error', 'skipped'].filter((o) => count(o) > 0).map((o) => `${count(o)} ${o}`).join(' · ');
  const lines: Line[] = [[{ text: '── tests ', style: 'heading' }, { text: summary, style: 'muted' }]];
  for (const test of tests) {
    const mark = test.outcome === 'passed' ? { text: '✓ ', style: 'status.passed' as const } : test.outcome === 'skipped' ? { text: '- ', style: 'muted' as const } : { text: '✗ ', style: 'status.failed' as const };
    lines.push(...wrapLine([mark, { text: oneLineOf(test.id) }, ...(test.message ? [{ text: ` ${oneLineOf(test.message)}`, style: 'muted' as const }] : [])], cols));
  }
  return lines;
}

/** Untrusted report text (a test id, a failure message) on one line. */
function oneLineOf(text: string): string {
  return clean(text).replace(/\n/g, ' ');
}

export function renderTest(vm: TestVm, size: PaneSize): string[] {
  let header: Line;
  if (vm.gate) {
    const status = gateStatus(vm.gate);
    header = withRight(
      [{ text: `test ${vm.gate.id}`, style: 'heading' }, { text: ` · ${vm.gate.slotId} · attempt ${vm.gate.attempt}`, style: 'muted' }],
      [{ text: status, style: STATUS_STYLE[status] }],
      size.cols,
    );
  } else header = [{ text: 'test', style: 'heading' }];
  const rows = Math.max(0, size.rows - 1);
  let body = viewport(testLines(vm, size.cols), rows, vm.scroll).visible;
  if (vm.search) body = body.map((line) => highlight(line, vm.search));
  return tagged([header, ...body], size);
}

