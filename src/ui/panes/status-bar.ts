// Status bar: model and health, settings in force, run state and verdict, session file; then keys or the input line.

import type { RunState } from '../../state/run-state.js';
import { decidingBranch } from '../../state/selectors.js';
import type { UiState } from '../../state/ui-state.js';
import type { KeyContext } from '../common/contracts.js';
import { displayKey } from '../common/keys.js';
import { type KeyBinding } from '../common/contracts.js';
import { gateStatus, STATUS_STYLE } from '../common/slot-status.js';
import { clean, clipLine, lineWidth, type Line, type Segment } from '../common/text.js';
import type { StyleName } from '../common/theme.js';
import type { FeedSettings } from '../common/contracts.js';
import { samplingChanges } from '../common/sampling-changes.js';
import { tagged, withRight, type PaneSize } from './pane.js';

export interface KeyHint {
  key: string;
  label: string;
  disabled: boolean;
}

export interface StatusVm {
  model?: string;
  /** Set for test doubles and replays. */
  label?: string;
  health?: { healthy: boolean; status: string };
  temperature?: number;
  seed?: number;
  nProbs?: number;
  /** Sampling settings changed since the run started (`n_predict=256 grammar`). */
  changed?: string[];
  state: string;
  stateStyle: StyleName;
  session?: string;
  /** The feed's own words (replay position, speed). */
  feedNote?: string;
  input?: UiState['input'];
  /** What the command being typed would act on, shown after the input. */
  inputHint?: string;
  /** A yes/no question waiting for its answer. */
  confirm?: string;
  flash?: UiState['flash'];
  hints: KeyHint[];
}

function runStateText(run: RunState, feedKind: KeyContext['feedKind']): { state: string; style: StyleName } {
  if (!run.header) return { state: feedKind === 'none' ? 'no problem open' : 'starting…', style: 'muted' };
  if (run.paused) {
    const why = run.paused.reason === 'resume' ? 'where the recording ends' : run.paused.reason;
    return { state: `paused before ${run.paused.slotName} (${why})`, style: 'status.pending' };
  }
  if (run.streamingSlot) {
    const slot = run.slots.get(run.streamingSlot)!;
    return { state: `streaming ${slot.id} ${slot.name} · ${slot.tokenCount} tok`, style: 'status.streaming' };
  }
  const running = [...run.gates.values()].find((g) => g.running);
  if (running) return { state: `testing ${running.slotId} (${running.id})`, style: STATUS_STYLE[gateStatus(running)] };
  // The session's result, as the index and `diff`/`rerun` take it: the branch that finished last.
  const deciding = decidingBranch(run);
  const finished = run.branches.get(deciding)?.finished;
  if (finished) {
    const style: StyleName = finished.verdict === 'pass' ? 'status.passed' : finished.verdict === 'aborted' ? 'status.aborted' : 'status.failed';
    const which = run.branches.size > 1 ? ` (branch ${deciding} of ${run.branches.size})` : '';
    if (!run.branches.get(run.currentBranch)?.finished) {
      return { state: `branch ${run.currentBranch} running · so far: ${finished.verdict.toUpperCase()}${which}`, style: 'status.streaming' };
    }
    return { state: `finished: ${finished.verdict.toUpperCase()}${which}`, style };
  }
  return { state: 'running', style: 'status.streaming' };
}

export function statusView(
  run: RunState,
  ui: UiState,
  ctx: KeyContext,
  keys: KeyBinding[],
  extra: { settings?: FeedSettings; session?: string; feedNote?: string; modelName?: string; inputHint?: string | undefined },
): StatusVm {
  const settings = extra.settings ?? run.settings;
  const { state, style } = runStateText(run, ctx.feedKind);
  return {
    ...(settings ? { model: settings.model } : extra.modelName ? { model: extra.modelName } : {}),
    ...(run.header?.label ? { label: run.header.model.kind === 'replay' ? 'replay' : 'test double' } : {}),
    ...(ui.health ? { health: ui.health } : {}),
    ...(settings ? { temperature: settings.sampling.temperature } : {}),
    ...(settings?.sampling.seed !== undefined ? { seed: settings.sampling.seed } : {}),
    ...(settings?.sampling.n_probs ? { nProbs: settings.sampling.n_probs } : {}),
    ...(settings && run.header && samplingChanges(run.header.sampling, settings.sampling).length > 0
      ? { changed: samplingChanges(run.header.sampling, settings.sampling) }
      : {}),
    state,
    stateStyle: style,
    ...(extra.session ? { session: extra.session } : {}),
    ...(extra.feedNote ? { feedNote: extra.feedNote } : {}),
    ...(ui.input ? { input: ui.input } : {}),
    ...(ui.input && extra.inputHint ? { inputHint: extra.inputHint } : {}),
    ...(ui.confirm ? { confirm: ui.confirm } : {}),
    ...(ui.flash ? { flash: ui.flash } : {}),
    hints: keyHints(keys, ctx),
  };
}

/** Whether a key belongs in the bar here: in play now, and driving a control this source offers (a replay has no rerun). */
function inBar(key: KeyBinding, ctx?: KeyContext): boolean {
  if (!key.bar) return false;
  if (key.active && (!ctx || !key.active(ctx))) return false;
  return !ctx || !key.needs || ctx.can(key.needs);
}

/** The keys with a bar label (a mode's first), each marked disabled when it cannot act now in `ctx` (status bar, panel footers). */
export function keyHints(keys: KeyBinding[], ctx?: KeyContext): KeyHint[] {
  // A mode's keys (the token inspector's) come first while it is on: they are what the person is using.
  const shown = keys.filter((k) => inBar(k, ctx));
  return [...shown.filter((k) => k.active), ...shown.filter((k) => !k.active)].map((k) => ({ key: displayKey(k.keys[0]), label: (ctx && k.barNow?.(ctx)) ?? k.bar!, disabled: ctx !== undefined && k.disabledReason?.(ctx) !== undefined }));
}

/** Hints as one line of segments (a panel's footer). */
export function hintSegments(hints: KeyHint[]): Segment[] {
  return [{ text: ' ' }, ...hints.flatMap((h): Segment[] => [
    { text: h.key, style: h.disabled ? 'bar.disabled' : 'bar.key' },
    { text: ` ${h.label}  `, style: h.disabled ? 'bar.disabled' : 'muted' },
  ])];
}

const SEP: Segment = { text: ' │ ', style: 'muted' };

function firstLine(vm: StatusVm, cols: number): Line {
  const line: Line = [];
  if (vm.model) {
    line.push({ text: ` ${clean(vm.model)}`, style: 'heading' });
    if (vm.label) line.push({ text: ` [${vm.label}]`, style: 'status.timeout' });
  }
  if (vm.health) {
    // A down server's message is long (it says how to start one): it gets the second line, here just the fact.
    line.push(vm.health.healthy ? { text: ' ● ', style: 'status.passed' } : { text: ' ✗ ', style: 'status.failed' });
    line.push(vm.health.healthy ? { text: clean(vm.health.status), style: 'muted' } : { text: 'not ready', style: 'status.error' });
  }
  if (vm.temperature !== undefined) {
    line.push(SEP, { text: `T=${vm.temperature} seed=${vm.seed ?? '–'}${vm.nProbs ? ` n_probs=${vm.nProbs}` : ''}` });
    if (vm.changed) line.push({ text: ` ${vm.changed.join(' ')}`, style: 'status.pending' });
  }
  line.push(SEP, { text: vm.state, style: vm.stateStyle });
  if (vm.feedNote) line.push(SEP, { text: clean(vm.feedNote) });
  if (vm.session) line.push(SEP, { text: clean(vm.session), style: 'muted' });
  return clipLine(line, cols);
}

function hintLine(vm: StatusVm, cols: number): Line {
  const piece = (h: KeyHint): Segment[] => [
    { text: h.key, style: h.disabled ? 'bar.disabled' : 'bar.key' },
    { text: ` ${h.label}  `, style: h.disabled ? 'bar.disabled' : 'bar' },
  ];
  const width = (h: KeyHint) => h.key.length + h.label.length + 3;
  // Help and quit always show; the others in table order while they fit.
  const tail = vm.hints.slice(-2);
  let room = cols - 1 - tail.reduce((n, h) => n + width(h), 0);
  const shown: KeyHint[] = [];
  for (const hint of vm.hints.slice(0, -2)) {
    if (width(hint) > room) continue;
    shown.push(hint);
    room -= width(hint);
  }
  return [{ text: ' ' }, ...[...shown, ...tail].flatMap(piece)];
}

function inputLine(vm: StatusVm, cols: number): Line {
  const input = vm.input!;
  const prefix = input.kind === 'command' ? ':' : input.kind === 'filter' ? 'filter /' : '/';
  const line: Line = [{ text: prefix, style: 'bar.key' }, { text: clean(input.text) }, { text: ' ', style: 'selected' }];
  // The hint gives way to the typing when the line is full.
  const hint = vm.inputHint && !vm.flash ? `  ${clean(vm.inputHint)}` : '';
  if (hint && lineWidth(line) + hint.length <= cols) line.push({ text: hint, style: 'muted' });
  if (vm.flash) line.push({ text: `  ${clean(vm.flash.text)}`, style: vm.flash.level === 'error' ? 'bar.error' : 'muted' });
  // Keep the end of a long input in view: that is where the typing happens.
  const overflow = lineWidth(line) - cols;
  if (overflow > 0 && line[1].text.length > overflow) line[1] = { text: line[1].text.slice(overflow + 1) };
  return clipLine(line, cols);
}

export function renderStatus(vm: StatusVm, size: PaneSize): string[] {
  let second: Line;
  if (vm.input) second = inputLine(vm, size.cols);
  else if (vm.confirm) second = withRight([{ text: ` ${clean(vm.confirm)}`, style: 'bar.error' }], [{ text: 'y yes · any other key no', style: 'bar.key' }], size.cols);
  else if (vm.flash) second = [{ text: ` ${clean(vm.flash.text)}`, style: vm.flash.level === 'error' ? 'bar.error' : 'bar.info' }];
  else if (vm.health && !vm.health.healthy) second = [{ text: ` ${clean(vm.health.status)}`, style: 'status.error' }, { text: '  (? keys)', style: 'muted' }];
  else second = hintLine(vm, size.cols);
  return tagged([firstLine(vm, size.cols), second], size);
}
