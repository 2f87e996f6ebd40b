// One whole screen as data: every box's label and content for a state and a terminal size (pure; goldens use it).

import type { RunState } from '../state/run-state.js';
import { PANES, type PaneId, type UiState } from '../state/ui-state.js';
import type { KeyContext, Panel } from './common/contracts.js';
import type { LineCommand } from './common/contracts.js';
import type { KeyBinding } from './common/contracts.js';
import type { FeedSettings } from './common/contracts.js';
import { inner, layout, type Layout } from './layout.js';
import { diffLines, diffView, renderDiff } from './panes/diff-pane.js';
import { helpLines, helpView, renderHelp } from './panes/help-pane.js';
import { renderConfirmQuit, renderTooSmall } from './panes/message-pane.js';
import { planView, renderPlan } from './panes/plan-pane.js';
import { promptLines, promptView, renderPrompt } from './panes/prompt-pane.js';
import { renderStatus, statusView } from './panes/status-bar.js';
import { renderStream, streamLines, streamView } from './panes/stream-pane.js';
import { renderTest, testLines, testView } from './panes/test-pane.js';
import { renderWelcome, type WelcomeVm } from './panes/welcome-pane.js';
import { plain, type Line } from './common/text.js';
import { styled, type Theme } from './common/theme.js';

export interface FrameInput {
  run: RunState;
  ui: UiState;
  theme: Theme;
  cols: number;
  rows: number;
  keys: KeyBinding[];
  commands: LineCommand[];
  ctx: KeyContext;
  settings?: FeedSettings;
  session?: string;
  feedNote?: string;
  modelName?: string;
  /** Set on the welcome screen (no problem open). */
  welcome?: Omit<WelcomeVm, 'selected'>;
  panel?: Panel;
}

export interface BoxContent {
  label: string;
  content: string[];
}

export interface Frame {
  layout: Layout;
  tooSmall?: BoxContent;
  /** The four panes; only the focused one while zoomed. */
  panes?: Partial<Record<PaneId, BoxContent>>;
  welcome?: BoxContent;
  status: string[];
  overlay?: BoxContent;
  dialog?: BoxContent;
}

const PANE_TITLES: Record<PaneId, string> = { plan: 'Plan', stream: 'Stream', diff: 'Diff', test: 'Test' };

function label(theme: Theme, title: string, focused: boolean): string {
  return focused ? styled(theme, 'title.focus', ` ▸ ${title} `) : styled(theme, 'title', ` ${title} `);
}

/** The pane filling the screen, if the person zoomed one (never on the welcome screen). */
function zoomedPane(input: Pick<FrameInput, 'ui' | 'welcome'>): PaneId | undefined {
  return input.ui.zoom && !input.welcome ? input.ui.focus : undefined;
}

/** What the command being typed would act on (`:probe` names its slot), from the command's own hint. */
function inputHint(input: FrameInput): string | undefined {
  if (input.ui.input?.kind !== 'command') return undefined;
  const [name, ...args] = input.ui.input.text.trim().split(/\s+/);
  return input.commands.find((command) => command.name === name)?.hint?.(input.ctx, args);
}

export function composeFrame(input: FrameInput): Frame {
  const { run, ui, theme, cols, rows } = input;
  const zoomed = zoomedPane(input);
  const box = layout(cols, rows, zoomed);
  const status = renderStatus(
    statusView(run, ui, input.ctx, input.keys, {
      ...(input.settings ? { settings: input.settings } : {}),
      ...(input.session ? { session: input.session } : {}),
      ...(input.feedNote ? { feedNote: input.feedNote } : {}),
      ...(input.modelName ? { modelName: input.modelName } : {}),
      inputHint: inputHint(input),
    }),
    { cols, rows: 2, theme },
  );
  if (box.tooSmall) {
    return { layout: box, status: [], tooSmall: { label: '', content: renderTooSmall({ cols, rows }, { cols: Math.max(1, cols - 2), rows: Math.max(1, rows - 2), theme }) } };
  }
  const frame: Frame = { layout: box, status };
  if (input.welcome) {
    frame.welcome = {
      label: label(theme, 'slotbench', true),
      content: renderWelcome({ ...input.welcome, selected: ui.welcomeRow }, { ...inner(box.main), theme }),
    };
  } else {
    const size = (pane: PaneId) => ({ ...inner(box.panes[pane]), theme });
    const render: Record<PaneId, () => string[]> = {
      plan: () => renderPlan(planView(run, ui), size('plan')),
      stream: () => renderStream(streamView(run, ui), size('stream')),
      diff: () => renderDiff(diffView(run, ui), size('diff')),
      test: () => renderTest(testView(run, ui), size('test')),
    };
    const title = (pane: PaneId) => (pane === zoomed ? `${PANE_TITLES[pane]} (zoomed: z restores)` : PANE_TITLES[pane]);
    frame.panes = {};
    for (const pane of zoomed ? [zoomed] : PANES) {
      frame.panes[pane] = { label: label(theme, title(pane), ui.focus === pane), content: render[pane]() };
    }
  }
  const overlaySize = { ...inner(box.overlay), theme };
  if (ui.overlay === 'help') {
    frame.overlay = { label: label(theme, 'Help', true), content: renderHelp(helpView(input.keys, input.commands, input.ctx, ui.overlayScroll), overlaySize) };
  } else if (ui.overlay === 'prompt') {
    frame.overlay = { label: label(theme, 'Request', true), content: renderPrompt(promptView(run, ui), overlaySize) };
  } else if (ui.overlay === 'panel' && input.panel) {
    frame.overlay = { label: label(theme, input.panel.title, true), content: input.panel.render({ ...overlaySize, scroll: ui.overlayScroll, ui }) };
  } else if (ui.overlay === 'confirm-quit') {
    const slot = run.streamingSlot ? run.slots.get(run.streamingSlot) : undefined;
    const vm = { ...(slot ? { slot: { id: slot.id, tokens: slot.tokenCount } } : {}), jobs: input.ctx.jobs ?? [] };
    frame.dialog = { label: label(theme, 'Quit?', true), content: renderConfirmQuit(vm, { ...inner(box.dialog), theme }) };
  }
  return frame;
}

/** A pane's (or the overlay's) scrollable body as plain text, and how many rows of it show: for scrolling and search. */
export function paneBody(input: FrameInput, pane: PaneId | 'overlay'): { lines: string[]; rows: number } {
  const box = layout(input.cols, input.rows, zoomedPane(input));
  const { run, ui } = input;
  const text = (lines: Line[]) => lines.map(plain);
  if (pane === 'overlay') {
    const { cols, rows } = inner(box.overlay);
    if (ui.overlay === 'help') return { lines: text(helpLines(helpView(input.keys, input.commands, input.ctx, 0), cols)), rows };
    if (ui.overlay === 'prompt') return { lines: text(promptLines(promptView(run, ui), cols)), rows };
    if (ui.overlay === 'panel' && input.panel?.body) return input.panel.body({ cols, rows, ui });
    return { lines: [], rows };
  }
  const { cols, rows } = inner(box.panes[pane]);
  const body = rows - 1; // each pane's first row is its header
  switch (pane) {
    case 'stream':
      return { lines: text(streamLines(streamView(run, ui), cols)), rows: body };
    case 'diff':
      return { lines: text(diffLines(diffView(run, ui), cols)), rows: body };
    case 'test':
      return { lines: text(testLines(testView(run, ui), cols)), rows: body };
    default:
      return { lines: planView(run, ui).rows.map((r) => `${r.label} ${r.detail}`), rows: rows - 2 };
  }
}
