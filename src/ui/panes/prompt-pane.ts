// Prompt view: the exact request of the shown slot, or of the next call while the engine waits — model, api, every
// sampling parameter, the prompt text.

import type { ModelRequest } from '../../core/sampling.js';
import type { RunState } from '../../state/run-state.js';
import type { UiState } from '../../state/ui-state.js';
import { clipLine, textLines, viewport, type Line } from '../common/text.js';
import { tagged, type PaneSize } from './pane.js';
import { nextCall, shownSlot } from '../../state/selectors.js';

export interface PromptVm {
  slotLabel?: string;
  model?: string;
  api?: string;
  request?: ModelRequest;
  scroll: number;
}

export function promptView(run: RunState, ui: UiState): PromptVm {
  const waiting = nextCall(run, ui);
  if (waiting) {
    const edited = waiting.overrides && Object.keys(waiting.overrides).length > 0 ? ', changed by you' : '';
    return {
      slotLabel: `next call: ${waiting.slotName} (not sent yet${edited}; s sends it, e edits it)`,
      ...(waiting.model ? { model: waiting.model } : {}),
      request: waiting.request,
      scroll: ui.overlayScroll,
    };
  }
  const slot = shownSlot(run, ui);
  if (!slot) return { scroll: ui.overlayScroll };
  return {
    slotLabel: `${slot.id} ${slot.name} (attempt ${slot.attempt}, branch ${slot.branchId})`,
    ...(slot.model ? { model: slot.model } : {}),
    ...(slot.api ? { api: slot.api } : {}),
    ...(slot.request ? { request: slot.request } : {}),
    scroll: ui.overlayScroll,
  };
}

export function promptLines(vm: PromptVm, cols: number): Line[] {
  if (!vm.slotLabel) return [[{ text: 'no slot has run yet: the request appears once a slot starts', style: 'muted' }]];
  const lines: Line[] = [[{ text: vm.slotLabel, style: 'heading' }]];
  lines.push(...textLines(`model ${vm.model ?? '?'} · api ${vm.api ?? '?'}`, cols, 'muted'));
  if (!vm.request) return [...lines, [{ text: 'the request is being built…', style: 'muted' }]];
  lines.push([{ text: '── sampling', style: 'heading' }]);
  const entries = Object.entries(vm.request.sampling);
  const width = Math.max(...entries.map(([key]) => key.length));
  for (const [key, value] of entries) {
    lines.push(clipLine([{ text: key.padEnd(width + 2), style: 'muted' }, { text: JSON.stringify(value) ?? 'undefined' }], cols));
  }
  if (vm.request.messages) {
    for (const message of vm.request.messages) {
      lines.push([{ text: `── ${message.role}`, style: 'heading' }]);
      lines.push(...textLines(message.content, cols));
    }
  } else {
    lines.push([{ text: `── prompt (${vm.request.prompt.length} chars)`, style: 'heading' }]);
    lines.push(...textLines(vm.request.prompt, cols));
  }
  return lines;
}

export function renderPrompt(vm: PromptVm, size: PaneSize): string[] {
  return tagged(viewport(promptLines(vm, size.cols), size.rows, vm.scroll).visible, size);
}
