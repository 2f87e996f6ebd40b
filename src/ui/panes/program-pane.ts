// The program the gate ran, as the judge saw it: the candidate module, prelude and tests, or the argv and files.

import type { Task } from '../../core/task.js';
import type { GateView, RunState, SlotView } from '../../state/run-state.js';
import { clean, textLines, viewport, type Line } from '../common/text.js';
import { tagged, type PaneSize } from './pane.js';

/** One part of the program: a heading and the text exactly as the gate used it. */
export interface ProgramSection {
  heading: string;
  text: string;
}

export interface ProgramVm {
  /** `gate g1 · s1 · attempt 1 · passed · judge oracle`. */
  title: string;
  sections: ProgramSection[];
  scroll: number;
}

/** The code a gate tested: its slot's applied code, or for a re-indent the code applied for the slot it repaired. */
export function testedCode(run: RunState, gate: GateView): { file: string; code: string } | undefined {
  const tested = run.slots.get(gate.slotId);
  const owner: SlotView | undefined = tested?.applied ? tested : tested?.repairOf ? run.slots.get(tested.repairOf) : undefined;
  return owner?.applied ? { file: owner.applied.file, code: owner.applied.after } : undefined;
}

/** The sections for a gate run of `task` (absent = the task could not be loaded: only what the session recorded). */
export function programView(run: RunState, gate: GateView, task: Task | undefined, scroll: number): ProgramVm {
  const verdict = gate.running ? 'running' : (gate.verdict ?? '?');
  const title = `gate ${gate.id} · ${gate.slotId} · attempt ${gate.attempt} · ${verdict} · judge ${gate.judge ?? 'oracle'}`;
  const code = testedCode(run, gate);
  const sections: ProgramSection[] = [];
  const check = task?.oracle;
  if (check?.kind === 'script') {
    if (code) sections.push({ heading: `candidate module ${check.module}`, text: code.code });
    if (check.prelude) sections.push({ heading: 'prelude (trusted, run in the judge before the tests)', text: check.prelude });
    const bound = Object.entries(check.bind).map(([name, target]) => `${name} → ${target}`).join(', ');
    sections.push({ heading: `tests (the judge binds ${bound || 'nothing'}${check.bindAll ? ', and every top-level name' : ''})`, text: check.tests });
  } else if (check?.kind === 'command') {
    const files = task!.files.map((f) => (code && f.path === code.file ? { path: f.path, text: code.code } : f));
    for (const file of files) sections.push({ heading: `workspace ${file.path}${code?.file === file.path ? ' (the candidate)' : ''}`, text: file.text });
    for (const file of check.files) sections.push({ heading: `check file ${file.path} (hidden from the model)`, text: file.text });
  } else {
    if (code) sections.push({ heading: `candidate ${code.file}`, text: code.code });
    sections.push({ heading: 'tests', text: 'the task could not be loaded here, so its tests are not shown (open the problem live)' });
  }
  // Last: inside the sandbox wrapper the argv runs to many lines.
  if (gate.command) sections.push({ heading: 'command (argv as run, sandbox wrapper included)', text: gate.command.join(' ') });
  return { title, sections, scroll };
}

/** The program as plain text, for `:write FILE program`. */
export function programText(vm: ProgramVm): string {
  return [`# ${vm.title}`, ...vm.sections.flatMap((s) => [`# ── ${s.heading}`, s.text.replace(/\n$/, '')])].join('\n') + '\n';
}

export function programLines(vm: ProgramVm, cols: number): Line[] {
  return [
    [{ text: clean(vm.title), style: 'heading' }],
    ...vm.sections.flatMap((s): Line[] => [[{ text: `── ${clean(s.heading)}`, style: 'heading' }], ...textLines(s.text.replace(/\n$/, ''), cols)]),
  ];
}

export function renderProgram(vm: ProgramVm, size: PaneSize): string[] {
  return tagged(viewport(programLines(vm, size.cols), size.rows, vm.scroll).visible, size);
}
