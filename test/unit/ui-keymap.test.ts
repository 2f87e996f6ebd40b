import { describe, expect, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';
import { initialRunState, reduceAll, type RunState } from '../../src/state/run-state.js';
import { initialUiState } from '../../src/state/ui-state.js';
import type { KeyContext } from '../../src/ui/common/contracts.js';
import { bindingFor, describeOverrides, KEYMAP, rerunOverrides } from '../../src/ui/controllers/keymap.js';
import { displayKey, keyName } from '../../src/ui/common/keys.js';
import type { Feed, FeedCapability } from '../../src/ui/common/contracts.js';
import { renderStatus, statusView } from '../../src/ui/panes/status-bar.js';
import { loadTheme } from '../../src/ui/common/theme.js';
import { plain } from '../../src/ui/common/text.js';

const header: SlotbenchEvent = {
  type: 'session_started', t: 0, formatVersion: 1, slotbenchVersion: 't', sessionId: 'x', startedAt: '2026-01-01T00:00:00Z',
  flow: 'implement', task: { kind: 'dataset', id: 'HumanEval/0', dataset: 'd' }, model: { name: 'scripted', kind: 'scripted' },
  sampling: { ...DEFAULT_SAMPLING }, attempts: 1,
};
const started: SlotbenchEvent[] = [header, { type: 'flow_started', t: 1, flow: 'implement', branchId: 0 }];
const paused: SlotbenchEvent[] = [...started, { type: 'slot_stopped', t: 2, reason: 'entry', slotName: 'implement', ordinal: 0, branchId: 0 }];
const streaming: SlotbenchEvent[] = [
  ...paused,
  { type: 'slot_started', t: 3, slotId: 's1', name: 'implement', ordinal: 0, attempt: 1, branchId: 0 },
  { type: 'prompt_built', t: 3, slotId: 's1', model: 'scripted', api: 'completion', request: { prompt: 'p', sampling: { ...DEFAULT_SAMPLING } } },
  { type: 'token', t: 4, slotId: 's1', text: 'x' },
];
const finished: SlotbenchEvent[] = [
  ...streaming,
  { type: 'slot_output', t: 5, slotId: 's1', text: 'x', tokenCount: 1, stopType: 'eos', durationMs: 2 },
  { type: 'flow_finished', t: 6, verdict: 'fail', reason: 'r', branchId: 0, attempts: 1, durationMs: 6 },
];

const ALL: FeedCapability[] = ['step', 'continue', 'pause', 'toggleBreakpoint', 'breakpoints', 'rerun', 'abort', 'configure', 'settings', 'modelNames', 'health', 'flush'];

function ctx(events: SlotbenchEvent[], kind: Feed['kind'] = 'engine', caps: FeedCapability[] = ALL): KeyContext {
  const run: RunState = reduceAll(events, initialRunState());
  return { run, ui: initialUiState(), feedKind: kind, can: (c) => caps.includes(c) };
}

function reason(id: string, context: KeyContext): string | undefined {
  return KEYMAP.find((k) => k.id === id)!.disabledReason?.(context);
}

describe('key table', () => {
  it('gives every key a description and binds no key twice (a mode may rebind keys while it is in play)', () => {
    const seen = new Map<string, string>();
    for (const binding of KEYMAP.filter((k) => !k.active)) {
      expect(binding.description.length, binding.id).toBeGreaterThan(10);
      for (const key of binding.keys) {
        expect(seen.get(key), `${key} bound by ${seen.get(key)} and ${binding.id}`).toBeUndefined();
        seen.set(key, binding.id);
      }
    }
    expect(bindingFor(KEYMAP, 'C-x')?.id).toBe('abort');
    expect(bindingFor(KEYMAP, 'S')?.id).toBe('seed');
    for (const binding of KEYMAP) expect(binding.description.length, binding.id).toBeGreaterThan(10);
  });

  it('enables step and continue only while the engine waits before a slot, and says why otherwise', () => {
    expect(reason('step', ctx(paused))).toBeUndefined();
    expect(reason('continue', ctx(paused))).toBeUndefined();
    expect(reason('step', ctx(streaming))).toMatch(/a slot is streaming: wait for it, or abort it with x/);
    expect(reason('step', ctx(finished))).toMatch(/the flow has finished: re-run a slot with r/);
    expect(reason('step', ctx(started))).toMatch(/running/);
  });

  it('enables abort only while streaming, and re-run only for a finished slot', () => {
    expect(reason('abort', ctx(streaming))).toBeUndefined();
    expect(reason('abort', ctx(paused))).toBe('no slot is streaming and no probe is running');
    expect(reason('abort', { ...ctx(paused), jobs: ['probe implement: 2/10 samples'] })).toBeUndefined();
    expect(reason('rerun', ctx(paused))).toMatch(/no slot has run yet/);
    expect(reason('rerun', ctx(streaming))).toMatch(/s1 is still streaming/);
    expect(reason('rerun', ctx(finished))).toBeUndefined();
  });

  it('explains what a replay cannot do, and what needs an open problem', () => {
    const replay = ctx(finished, 'replay', ['step', 'continue', 'pause']);
    expect(reason('rerun', replay)).toMatch(/this is a replay: re-running a slot needs a live engine/);
    expect(reason('temperature', replay)).toMatch(/this is a replay/);
    expect(reason('step', replay)).toBeUndefined();
    expect(reason('step', ctx([], 'none', ['health']))).toMatch(/no problem is open: :open DATASET PROBLEM-ID/);
  });

  it('re-runs with only what changed since the slot ran', () => {
    const run = reduceAll(finished, initialRunState());
    const slot = run.slots.get('s1')!;
    const same = { model: 'scripted', sampling: { ...DEFAULT_SAMPLING }, attempts: 1 };
    expect(rerunOverrides(slot, same)).toEqual({});
    const changed = { model: 'other', sampling: { ...DEFAULT_SAMPLING, temperature: 0.9, seed: 7, n_probs: 5 }, attempts: 1 };
    expect(rerunOverrides(slot, changed)).toEqual({ temperature: 0.9, seed: 7, n_probs: 5, model: 'other' });
    expect(describeOverrides({ temperature: 0.9, prompt: 'x' })).toBe(' with T=0.9, edited prompt');
  });

  it('names keys the way blessed reports them', () => {
    expect(keyName('G', { full: 'S-g', name: 'g', shift: true } as never)).toBe('G');
    expect(keyName(' ', { full: 'space', name: 'space' })).toBe('space');
    expect(keyName('\x03', { full: 'C-c', name: 'c', ctrl: true })).toBe('C-c');
    expect(keyName(undefined, { full: 'pagedown', name: 'pagedown' })).toBe('pagedown');
    expect(keyName('\t', { full: 'S-tab', name: 'tab' })).toBe('S-tab');
    expect(displayKey('C-x')).toBe('Ctrl-X');
    expect(displayKey('S-tab')).toBe('Shift-Tab');
  });

  it('status-bar hints come from the table, always keep help and quit, and grey out disabled keys', async () => {
    const theme = await loadTheme('mono');
    const context = ctx(finished);
    const vm = statusView(context.run, context.ui, context, KEYMAP, {});
    const step = vm.hints.find((h) => h.label === 'step')!;
    expect(step.disabled).toBe(true);
    expect(vm.hints.find((h) => h.label === 'rerun')!.disabled).toBe(false);
    expect(vm.hints.map((h) => h.label)).toEqual(KEYMAP.filter((k) => k.bar && !k.active).map((k) => k.bar));
    const line = renderStatus(vm, { cols: 40, rows: 2, theme })[1];
    expect(line).toContain('help');
    expect(line).toContain('quit');
    const width = plain([{ text: line.replace(/\{[^}]*\}/g, '') }]).length;
    expect(width).toBeLessThanOrEqual(40);
  });
});
