// Welcome screen (no problem open): how to open one, the model's health, recent sessions to replay.

import { hashTags } from '../../core/annotation.js';
import type { SessionSummary } from '../../session/index-store.js';
import { clean, clipLine, proseLines, type Line } from '../common/text.js';
import { tagged, type PaneSize } from './pane.js';

export interface WelcomeVm {
  version: string;
  model?: string;
  health?: { healthy: boolean; status: string };
  /** Configured dataset names. */
  datasets: string[];
  recent: SessionSummary[];
  selected: number;
  /** True when Enter can replay a session here. */
  canReplay: boolean;
  /** True when `d` opens a live run on the bundled demo model. */
  demo?: boolean;
}

/** Column widths that fit the longest problem id and model name shown (within reason), so the rows line up. */
function columnWidths(recent: SessionSummary[]): { problem: number; model: number } {
  const widest = (values: string[], least: number) => Math.min(24, Math.max(least, ...values.map((v) => v.length)));
  return { problem: widest(recent.map((s) => s.problem), 14), model: widest(recent.map((s) => s.model), 12) };
}

function sessionRow(s: SessionSummary, selected: boolean, cols: number, width: { problem: number; model: number }): Line {
  const when = s.startedAt.replace('T', ' ').slice(0, 16);
  const verdict = (s.verdict ?? 'unfinished').padEnd(11);
  // Tags before the file name: a person tagged them to find the session again, and the name is the first thing cut.
  const tags = s.tags?.length ? `  ${hashTags(s.tags)}` : '';
  const text = `${verdict} ${s.problem.padEnd(width.problem)} ${s.model.padEnd(width.model)} ${when}${tags}  ${s.file}${s.label ? '  [test double]' : ''}`;
  const style = selected ? 'selected' : s.verdict === 'pass' ? 'status.passed' : s.verdict ? 'status.failed' : 'muted';
  const line = clipLine([{ text: `${selected ? '▶' : ' '} ` }, { text: clean(text) }], cols);
  return line.map((seg, i) => (i === 1 || selected ? { ...seg, style } : seg));
}

function welcomeLines(vm: WelcomeVm, cols: number): Line[] {
  const example = vm.datasets[0] ? `:open ${vm.datasets[0]} PROBLEM-ID` : ':open ../shared/datasets/HumanEval.jsonl.gz HumanEval/0';
  const lines: Line[] = [
    [{ text: `slotbench ${vm.version}`, style: 'heading' }, { text: ' — a workbench for slot-filling coding harnesses on local models', style: 'muted' }],
    [],
    [{ text: 'No problem is open. Open one from the command line:' }],
    [{ text: `  ${example}`, style: 'bar.key' }],
    [{ text: '  or start with one: slotbench tui --dataset PATH --problem ID', style: 'muted' }],
  ];
  if (vm.datasets.length) lines.push([{ text: `  configured datasets: ${clean(vm.datasets.join(', '))}`, style: 'muted' }]);
  lines.push([]);
  if (vm.demo) {
    lines.push(
      [{ text: 'Or try a live run now, with nothing else installed:' }],
      ...proseLines('step a live run on the bundled demo model (embedded engine; it writes stories, not code)', cols - 5).map((line, i): Line => [
        i === 0 ? { text: '  d  ', style: 'bar.key' } : { text: '     ' },
        ...line,
      ]),
      ...proseLines(
        'For real code, point slotbench at a coding model: start `llama-server -m MODEL.gguf --port 8080`, or give a model a GGUF path in slotbench.config.json: {"models": {"local": {"path": "MODEL.gguf"}}}',
        cols - 5,
        'muted',
      ).map((line): Line => [{ text: '     ' }, ...line]),
      [],
    );
  }
  if (vm.model) {
    const health = vm.health ? (vm.health.healthy ? ` ● ${vm.health.status}` : ` ✗ ${vm.health.status}`) : ' (checking…)';
    lines.push(...proseLines(`model ${vm.model}${health}`, cols, vm.health && !vm.health.healthy ? 'status.error' : undefined));
    lines.push([]);
  }
  if (vm.recent.length === 0) {
    lines.push([{ text: 'No recorded sessions in sessions/ yet.', style: 'muted' }]);
  } else {
    const how = vm.canReplay ? '↑↓ pick, Enter replays, o browses them all' : 'replay one with: slotbench replay sessions/FILE';
    lines.push([{ text: 'Recent sessions', style: 'heading' }, { text: `  ${how}`, style: 'muted' }]);
    const width = columnWidths(vm.recent);
    vm.recent.forEach((s, i) => lines.push(sessionRow(s, vm.canReplay && i === vm.selected, cols, width)));
  }
  lines.push([], [{ text: '? lists every key and command; q quits.', style: 'muted' }]);
  return lines.map((line) => clipLine(line, cols));
}

export function renderWelcome(vm: WelcomeVm, size: PaneSize): string[] {
  const lines = welcomeLines(vm, size.cols);
  // Keep the picked session in view on short terminals.
  const pickedAt = lines.findIndex((l) => l[0]?.text === '▶ ');
  const top = pickedAt >= size.rows ? pickedAt - size.rows + 1 : 0;
  return tagged(lines.slice(top), size);
}
