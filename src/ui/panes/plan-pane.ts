// Plan pane: the flow's steps as a tree with live status, sibling attempts of re-run slots, and the current step.

import type { RunState, SlotView } from '../../state/run-state.js';
import { branchSlots, shownBranch, shownSlot, siblings } from '../../state/selectors.js';
import type { UiState } from '../../state/ui-state.js';
import { gateOf, gateStatus, slotStatus, STATUS_STYLE, verdictStatus, type DisplayStatus } from '../common/slot-status.js';
import { clean, proseLines, type Line, type Segment } from '../common/text.js';
import { tagged, withRight, type PaneSize } from './pane.js';

/** One row of the plan. Rows with a slotId can be selected. */
export interface PlanRow {
  kind: 'info' | 'slot' | 'sibling' | 'gate' | 'next' | 'verdict';
  depth: number;
  glyph: string;
  label: string;
  detail: string;
  status?: DisplayStatus;
  slotId?: string;
  current: boolean;
  selected: boolean;
  breakpoint: boolean;
}

export interface PlanVm {
  title: string;
  summary: string;
  rows: PlanRow[];
}

function overridesText(run: RunState, slot: SlotView): string {
  const sampling = slot.request?.sampling;
  const parts = [`b${slot.branchId}`];
  if (sampling) parts.push(`T=${sampling.temperature}`);
  if (sampling?.seed !== undefined) parts.push(`seed=${sampling.seed}`);
  const branch = run.branches.get(slot.branchId);
  if (branch?.overrides?.prompt !== undefined && branch.fromSlotId && run.slots.get(branch.fromSlotId)?.ordinal === slot.ordinal) {
    parts.push('edited');
  }
  if (slot.model && slot.model !== run.header?.model.name) parts.push(slot.model);
  return parts.join(' ');
}

export function planView(run: RunState, ui: UiState): PlanVm {
  const header = run.header;
  if (!header) {
    return { title: 'Plan', summary: '', rows: [infoRow('waiting for the engine…')] };
  }
  const branchId = shownBranch(run, ui);
  const shown = shownSlot(run, ui);
  const slots = branchSlots(run, branchId);
  const rows: PlanRow[] = [];
  const isBreak = (name: string) => ui.breakpoints.includes(name);

  for (const slot of slots) {
    const status = slotStatus(run, slot, branchId);
    const attempts = siblings(run, slot);
    // A re-run slot becomes a group: the row names the step, its attempts below are what one selects.
    const grouped = attempts.length > 1;
    rows.push({
      kind: 'slot',
      depth: slot.repairOf ? 1 : 0,
      glyph: slot.repairOf ? '↳' : '●',
      label: slot.name,
      detail: `${slot.id} ${slot.tokenCount} tok`,
      status,
      ...(grouped ? {} : { slotId: slot.id }),
      current: !grouped && run.streamingSlot === slot.id,
      selected: !grouped && shown?.id === slot.id,
      breakpoint: isBreak(slot.name),
    });
    if (grouped) {
      attempts.forEach((sibling, i) => {
        rows.push({
          kind: 'sibling',
          depth: (slot.repairOf ? 1 : 0) + 1,
          glyph: i === attempts.length - 1 ? '└' : '├',
          label: sibling.id,
          detail: overridesText(run, sibling),
          status: slotStatus(run, sibling),
          slotId: sibling.id,
          current: run.streamingSlot === sibling.id,
          selected: shown?.id === sibling.id,
          breakpoint: false,
        });
      });
    }
    const gate = slot.repairOf ? undefined : gateOf(run, slot, branchId);
    const repair = slots.find((s) => s.repairOf === slot.id);
    if (gate && !repair) rows.push(gateRow(gate, gateStatus(gate)));
    if (slot.repairOf) {
      const repairedGate = gateOf(run, slot, branchId);
      if (repairedGate) rows.push(gateRow(repairedGate, gateStatus(repairedGate)));
    }
  }
  const paused = run.paused && run.paused.branchId === branchId ? run.paused : undefined;
  if (paused) {
    rows.push({
      kind: 'next',
      depth: 0,
      glyph: '○',
      label: paused.slotName,
      detail: `next (${paused.reason})`,
      status: 'pending',
      current: true,
      selected: false,
      breakpoint: isBreak(paused.slotName),
    });
  }
  const finished = run.branches.get(branchId)?.finished;
  if (finished) {
    rows.push({
      kind: 'verdict',
      depth: 0,
      glyph: '■',
      label: `verdict: ${finished.verdict}`,
      detail: clean(finished.reason),
      status: verdictStatus(finished.verdict),
      current: false,
      selected: false,
      breakpoint: false,
    });
  }
  if (rows.length === 0) rows.push(infoRow('starting…'));

  const attempt = Math.max(0, ...slots.map((s) => s.attempt));
  const branches = run.branches.size;
  const branchText = branches > 1 ? ` · branch ${branchId}/${branches}` : '';
  const attempts = run.settings?.attempts ?? header.attempts;
  return {
    title: `${clean(header.task.id)} · ${clean(header.flow)}`,
    summary: `attempt ${attempt}/${attempts}${branchText}`,
    rows,
  };
}

function gateRow(gate: { id: string; durationMs?: number; running: boolean }, status: DisplayStatus): PlanRow {
  const glyph = status === 'passed' ? '✓' : status === 'testing' ? '…' : '✗';
  const duration = gate.durationMs !== undefined ? ` ${(gate.durationMs / 1000).toFixed(2)} s` : '';
  return {
    kind: 'gate',
    depth: 1,
    glyph,
    label: `test ${gate.id}`,
    detail: duration.trim(),
    status,
    current: gate.running,
    selected: false,
    breakpoint: false,
  };
}

function infoRow(text: string): PlanRow {
  return { kind: 'info', depth: 0, glyph: ' ', label: text, detail: '', current: false, selected: false, breakpoint: false };
}


/** Index of the selected row, for scrolling it into view and for j/k. */
function selectedRow(vm: PlanVm): number {
  return vm.rows.findIndex((r) => r.selected);
}

/** Slot ids in plan order, for moving the selection. */
export function selectableSlots(vm: PlanVm): string[] {
  return vm.rows.filter((r) => r.slotId !== undefined).map((r) => r.slotId!);
}

function rowLines(row: PlanRow, cols: number): Line[] {
  const indent = { text: '  '.repeat(row.depth) };
  const marker: Segment = row.current ? { text: '▶ ', style: 'current' } : { text: '  ' };
  const glyph: Segment = { text: `${row.glyph} `, style: row.status ? STATUS_STYLE[row.status] : 'muted' };
  if (row.kind === 'verdict') {
    // The reason is the run's last word: wrapped in full rather than clipped.
    const reason = proseLines(row.detail, Math.max(1, cols - 4), 'muted').map((line) => [{ text: '    ' }, ...line]);
    return [[marker, indent, glyph, { text: row.label, style: row.status ? STATUS_STYLE[row.status] : undefined }], ...reason];
  }
  const left: Segment[] = [
    marker,
    indent,
    glyph,
    ...(row.breakpoint ? [{ text: '◆', style: 'breakpoint' as const }] : []),
    { text: row.label, style: row.kind === 'info' ? 'muted' : undefined },
    ...(row.detail ? [{ text: ` ${row.detail}`, style: 'muted' as const }] : []),
  ];
  const right: Segment[] = row.status ? [{ text: row.status, style: STATUS_STYLE[row.status] }] : [];
  const line = withRight(left, right, cols);
  return [row.selected ? line.map((s) => ({ text: s.text, style: 'selected' })) : line];
}

export function renderPlan(vm: PlanVm, size: PaneSize): string[] {
  const head: Line[] = [
    [{ text: vm.title, style: 'heading' }],
    [{ text: vm.summary, style: 'muted' }],
  ];
  const bodyRows = Math.max(0, size.rows - head.length);
  const selected = selectedRow(vm);
  const anchor = selected >= 0 ? selected : vm.rows.findIndex((r) => r.current);
  // Keep the selected (or current) row in view; the plan is short, so no manual scrolling is needed.
  const top = anchor >= bodyRows ? anchor - bodyRows + 1 : 0;
  const body = vm.rows.slice(top).flatMap((row) => rowLines(row, size.cols)).slice(0, bodyRows);
  return tagged([...head, ...body], size);
}
