// Diff pane: the unified diff a slot's code made to the file under work, coloured by line kind, scrollable.

import type { RunState, SlotView } from '../../state/run-state.js';
import type { UiState } from '../../state/ui-state.js';
import { clean, clipLine, highlight, proseLines, viewport, type Line } from '../common/text.js';
import type { StyleName } from '../common/theme.js';
import { tagged, withRight, type PaneSize } from './pane.js';
import { branchSlots, shownSlot } from '../../state/selectors.js';

export interface DiffVm {
  /** `s1 implement`, or absent when no slot is shown. */
  slotLabel?: string;
  file?: string;
  /** The unified diff, when code was applied. */
  diff?: string;
  /** Why there is no diff (or a note above it). */
  message?: string;
  /** Parse errors of the slot's code, listed when it did not parse. */
  parseErrors?: { line: number; column: number; text: string }[];
  scroll: number;
  search?: string;
}

/** The slot whose applied code a slot stands for: a re-indent slot shows the diff of the slot it repaired. */
function appliedFor(run: RunState, slot: SlotView): SlotView {
  return slot.repairOf ? (run.slots.get(slot.repairOf) ?? slot) : slot;
}

export function diffView(run: RunState, ui: UiState): DiffVm {
  const scroll = typeof ui.scroll.diff === 'number' ? ui.scroll.diff : 0;
  const search = ui.search?.pane === 'diff' ? ui.search.query : undefined;
  const base = { scroll, ...(search ? { search } : {}) };
  const slot = shownSlot(run, ui);
  if (!slot) return { ...base, message: 'no code yet: the diff appears once a slot\'s code is applied' };
  const owner = appliedFor(run, slot);
  const slotLabel = `${slot.id} ${slot.name}`;
  if (owner.applied) {
    const unchanged = diffStat(owner.applied.diff);
    const same = unchanged.added + unchanged.removed === 0 ? sameAs(run, owner) : undefined;
    const note = same ?? (owner !== slot ? `applied for ${owner.id} after this re-indent` : undefined);
    return { ...base, slotLabel, file: owner.applied.file, diff: owner.applied.diff, ...(note ? { message: note } : {}) };
  }
  let message: string;
  if (slot.status === 'streaming') message = 'waiting for the slot to finish…';
  else if (slot.error) message = `no code: ${slot.error.message}`;
  else if (owner.parseErrors && owner.noRepair) message = `${owner.id} did not parse: ${owner.noRepair}`;
  else if (owner.parseErrors && owner.status === 'parse_error') message = `${owner.id} did not parse: no code applied`;
  else if (owner.parseErrors) message = `${owner.id} did not parse: waiting for the re-indent`;
  else message = 'no code applied for this slot';
  return { ...base, slotLabel, message, ...(owner.parseErrors ? { parseErrors: owner.parseErrors } : {}) };
}

/** An empty diff in words: the code is the same as the attempt before (or as the file it started from). */
function sameAs(run: RunState, owner: SlotView): string {
  const slots = branchSlots(run, owner.branchId);
  const before = slots.slice(0, slots.indexOf(owner)).filter((s) => s.applied).at(-1);
  return before ? `same code as attempt ${before.attempt} (${before.id}): nothing changed` : 'same code as the file it started from: nothing changed';
}

function diffStyle(line: string): StyleName | undefined {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff.header';
  if (line.startsWith('@@')) return 'diff.hunk';
  if (line.startsWith('+')) return 'diff.add';
  if (line.startsWith('-')) return 'diff.del';
  if (line.startsWith('\\')) return 'muted';
  return undefined;
}

/** Added and removed line counts of a unified diff. */
export function diffStat(diff: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+') && !line.startsWith('+++')) added++;
    else if (line.startsWith('-') && !line.startsWith('---')) removed++;
  }
  return { added, removed };
}

/** Every body line (diff lines are clipped, not wrapped, so columns stay aligned). */
export function diffLines(vm: DiffVm, cols: number): Line[] {
  const lines: Line[] = [];
  if (vm.message) lines.push(...proseLines(vm.message, cols, 'muted'));
  for (const error of vm.parseErrors ?? []) {
    lines.push(clipLine([{ text: `line ${error.line}:${error.column} `, style: 'status.failed' }, { text: clean(error.text) }], cols));
  }
  if (vm.diff) {
    for (const raw of clean(vm.diff).split('\n')) {
      // createTwoFilesPatch's Index:/==== banner says nothing the pane's header does not.
      if (/^=+$/.test(raw) || raw.startsWith('Index: ') || raw === '') continue;
      const style = diffStyle(raw);
      lines.push(clipLine([{ text: raw, ...(style ? { style } : {}) }], cols));
    }
  }
  return lines;
}

export function renderDiff(vm: DiffVm, size: PaneSize): string[] {
  let header: Line;
  if (!vm.slotLabel) header = [{ text: 'no slot', style: 'muted' }];
  else {
    const stat = vm.diff ? diffStat(vm.diff) : undefined;
    const left: Line = [{ text: vm.file ? clean(vm.file) : 'diff', style: 'heading' }, { text: ` · ${vm.slotLabel}`, style: 'muted' }];
    const right: Line = stat && stat.added + stat.removed > 0
      ? [{ text: `+${stat.added}`, style: 'diff.add' }, { text: ' ' }, { text: `-${stat.removed}`, style: 'diff.del' }]
      : [];
    header = withRight(left, right, size.cols);
  }
  const rows = Math.max(0, size.rows - 1);
  let body = viewport(diffLines(vm, size.cols), rows, vm.scroll).visible;
  if (vm.search) body = body.map((line) => highlight(line, vm.search));
  return tagged([header, ...body], size);
}
