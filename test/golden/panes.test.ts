// Golden frames of the workbench at 80x24 and 120x40, from real engine runs with the scripted model.

import { beforeAll, describe, expect, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';
import type { RunState } from '../../src/state/run-state.js';
import { initialUiState, reduceUi, type UiAction, type UiState } from '../../src/state/ui-state.js';
import type { KeyContext } from '../../src/ui/common/contracts.js';
import { registerBuiltins } from '../../src/ui/controllers/builtin-commands.js';
import { CommandRegistry } from '../../src/ui/controllers/command-line.js';
import { KEYMAP } from '../../src/ui/controllers/keymap.js';
import type { Feed } from '../../src/ui/common/contracts.js';
import { composeFrame, type FrameInput } from '../../src/ui/frame.js';
import { loadTheme, type Theme } from '../../src/ui/common/theme.js';
import { expectGolden } from './golden.js';
import { screenText, taggedText, untag } from './screen.js';
import { branchEvents, HOSTILE_SCRIPT, pausedEvents, runEvents, stateOf } from './states.js';

const SIZES = [
  [80, 24],
  [120, 40],
] as const;

let theme: Theme;
const runs: Record<string, SlotbenchEvent[]> = {};

beforeAll(async () => {
  theme = await loadTheme('dark');
  runs.paused = await pausedEvents();
  runs.pass = await runEvents('humaneval-0-canonical');
  runs.repaired = await runEvents('humaneval-0-indent-broken');
  runs.fail = await runEvents('humaneval-0-wrong');
  runs.branch = await branchEvents();
  runs.hostile = await runEvents(HOSTILE_SCRIPT);
});

function frameInput(run: RunState, ui: UiState, cols: number, rows: number, kind: Feed['kind'] = 'engine', extra: Partial<FrameInput> = {}): FrameInput {
  const ctx: KeyContext = { run, ui, feedKind: kind, can: () => kind === 'engine' };
  return {
    run,
    ui,
    theme,
    cols,
    rows,
    keys: KEYMAP,
    commands: registerBuiltins(new CommandRegistry()).list(),
    ctx,
    session: '/tmp/sessions/example.jsonl',
    ...(run.settings ? { settings: run.settings } : {}),
    ...extra,
  };
}

function ui(...actions: UiAction[]): UiState {
  return actions.reduce(reduceUi, initialUiState());
}

/** The run with made-up token probabilities (the scripted model streams none): every fifth token unlikely, with rivals. */
function withProbabilities(events: SlotbenchEvent[]): SlotbenchEvent[] {
  let n = 0;
  return events.map((e) => {
    if (e.type !== 'token') return e;
    const logprob = ++n % 5 === 0 ? -1.2 : -0.05;
    return { ...e, logprob, top: [{ token: e.text, logprob }, { token: ' rival', logprob: -0.9 }, { token: '\n', logprob: -2.5 }] };
  });
}

/** Streaming: the canonical run cut after its 30th token. */
function streamingEvents(): SlotbenchEvent[] {
  let tokens = 0;
  const cut = runs.pass.findIndex((e) => e.type === 'token' && ++tokens === 30);
  return runs.pass.slice(0, cut + 1);
}

function golden(name: string, input: (cols: number, rows: number) => FrameInput): void {
  for (const [cols, rows] of SIZES) {
    const frame = composeFrame(input(cols, rows));
    const screen = screenText(frame, cols, rows);
    expectGolden(`${name}-${cols}x${rows}`, `${screen}\n\n${taggedText(frame)}`);
  }
}

describe('golden frames', () => {
  it('paused before the first slot', () => golden('paused', (c, r) => frameInput(stateOf(runs.paused), ui(), c, r)));
  it('streaming the implement slot', () => golden('streaming', (c, r) => frameInput(stateOf(streamingEvents()), ui(), c, r)));
  it('finished: pass', () => golden('pass', (c, r) => frameInput(stateOf(runs.pass), ui(), c, r)));
  it('repaired by re-indent, re-indent slot selected', () =>
    golden('repaired', (c, r) => frameInput(stateOf(runs.repaired), ui({ type: 'select', slotId: 's2' }, { type: 'focus', pane: 'plan' }), c, r)));
  it('failed tests', () => golden('fail', (c, r) => frameInput(stateOf(runs.fail), ui({ type: 'focus', pane: 'test' }), c, r)));
  it('a re-run branch with both attempts listed', () => golden('branch', (c, r) => frameInput(stateOf(runs.branch), ui(), c, r)));
  it('the old attempt of a branch selected', () =>
    golden('branch-old', (c, r) => frameInput(stateOf(runs.branch), ui({ type: 'select', slotId: 's1' }), c, r)));
  it('hostile model output', () => golden('hostile', (c, r) => frameInput(stateOf(runs.hostile), ui(), c, r)));
  it('help overlay', () => golden('help', (c, r) => frameInput(stateOf(runs.pass), ui({ type: 'overlay', overlay: 'help' }), c, r)));
  it('the next request while paused before the first slot (p)', () =>
    golden('prompt-next', (c, r) => frameInput(stateOf(runs.paused), ui({ type: 'overlay', overlay: 'prompt' }), c, r)));
  it('the test pane zoomed (z)', () =>
    golden('zoom-test', (c, r) => frameInput(stateOf(runs.fail), ui({ type: 'focus', pane: 'test' }, { type: 'zoom', on: true }), c, r)));
  it('the token inspector on an unlikely token (i)', () =>
    golden('inspect', (c, r) => {
      const state = stateOf(withProbabilities(runs.pass));
      const slot = state.slots.get('s1')!;
      const index = slot.scored!.findIndex((t) => Math.exp(t.logprob ?? 0) < 0.5);
      return frameInput(state, ui({ type: 'focus', pane: 'stream' }, { type: 'inspect', at: { slotId: 's1', index } }), c, r);
    }));
  it('prompt overlay', () => golden('prompt', (c, r) => frameInput(stateOf(runs.pass), ui({ type: 'overlay', overlay: 'prompt' }), c, r)));
  it('quit confirmation while streaming', () =>
    golden('confirm-quit', (c, r) => frameInput(stateOf(streamingEvents()), ui({ type: 'overlay', overlay: 'confirm-quit' }), c, r)));
  it('command line with a completion flash', () =>
    golden('command-line', (c, r) =>
      frameInput(stateOf(runs.pass), ui({ type: 'input', input: { kind: 'command', text: 't' } }, { type: 'flash', text: 'temp  theme', level: 'info' }), c, r)));
  it('welcome screen with the server down', () =>
    golden('welcome', (c, r) =>
      frameInput(stateOf([]), ui({ type: 'health', healthy: false, status: 'no llama-server at http://127.0.0.1:8080: start one with `llama-server -m MODEL.gguf --port 8080`' }), c, r, 'none', {
        modelName: 'local',
        welcome: {
          version: '0.1.0',
          model: 'local',
          health: { healthy: false, status: 'no llama-server at http://127.0.0.1:8080: start one with `llama-server -m MODEL.gguf --port 8080`' },
          datasets: ['humaneval'],
          recent: [
            { id: 'a', file: 'example-humaneval-0-scripted.jsonl', startedAt: '2026-01-01T00:00:00.000Z', flow: 'implement', problem: 'HumanEval/0', model: 'scripted', mode: 'run', label: 'scripted', verdict: 'pass' },
            { id: 'b', file: 'x.jsonl', startedAt: '2026-01-02T10:30:00.000Z', flow: 'implement', problem: 'Mbpp/11', model: 'local', mode: 'run', verdict: 'fail', tags: ['flaky'] },
          ],
          canReplay: true,
          demo: true,
        },
      })));
});

describe('frames at any size', () => {
  it('never draw a line wider than its box, from 80x24 up to 200x60 and below the minimum', () => {
    const state = stateOf(runs.hostile);
    for (const [cols, rows] of [[60, 15], [80, 24], [97, 31], [120, 40], [200, 60]]) {
      const frame = composeFrame(frameInput(state, ui({ type: 'overlay', overlay: 'help' }), cols, rows));
      const boxes = frame.panes ? Object.entries(frame.panes).map(([k, v]) => [frame.layout.panes[k as keyof typeof frame.layout.panes], v.content] as const) : [];
      for (const [rect, content] of boxes) {
        expect(content.length).toBeLessThanOrEqual(rect.height - 2);
        for (const line of content) expect(untag(line).length).toBeLessThanOrEqual(rect.width - 2);
      }
      for (const line of frame.status) expect(untag(line).length).toBeLessThanOrEqual(cols);
      if (cols < 80) expect(frame.tooSmall?.content.join(' ')).toMatch(/needs at least 80x24/);
    }
  });

  it('show untrusted text literally: markup escaped, control sequences gone', () => {
    const frame = composeFrame(frameInput(stateOf(runs.hostile), ui(), 120, 40));
    const all = [...Object.values(frame.panes!).flatMap((p) => p.content), ...frame.status].join('\n');
    expect(all).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(all).toContain('{open}bold{close}{open}red-fg{close}not markup{open}/{close}');
    expect(untag(frame.panes!.stream!.content.join('\n'))).toContain('# {bold}{red-fg}not markup{/}');
    expect(untag(frame.panes!.stream!.content.join('\n'))).toContain('"{/}\\x1b[0m \uFFFD\uFFFD done"');
  });

  it('the stream pane follows the end of a long slot and can scroll back to its start', () => {
    const long = [...runs.pass.slice(0, runs.pass.findIndex((e) => e.type === 'prompt_built') + 1)];
    const slotId = (long.find((e) => e.type === 'slot_started') as { slotId: string }).slotId;
    for (let i = 0; i < 5000; i++) long.push({ type: 'token', t: 100 + i, slotId, text: i % 10 === 9 ? `${i}\n` : `${i} ` });
    const state = stateOf(long);
    const end = untag(composeFrame(frameInput(state, ui(), 120, 40)).panes!.stream!.content.join('\n'));
    expect(end).toContain('4999');
    expect(end).not.toContain(' 10 11 ');
    const top = untag(composeFrame(frameInput(state, ui({ type: 'scroll', pane: 'stream', to: 0 }), 120, 40)).panes!.stream!.content.join('\n'));
    expect(top).toContain('0 1 2 3 4 5 6 7 8 9');
    expect(top).not.toContain('4999');
  });

  it('shades streamed tokens by probability when asked, with the theme\'s prob.* styles', () => {
    const head = runs.pass.slice(0, runs.pass.findIndex((e) => e.type === 'prompt_built') + 1);
    const probs = [-0.01, -0.3, -1.2, -3];
    const tokens: SlotbenchEvent[] = probs.map((logprob, i) => ({ type: 'token', t: 100 + i, slotId: 's1', text: `tok${i} `, logprob }));
    const state = stateOf([...head, ...tokens]);
    const shaded = composeFrame(frameInput(state, ui({ type: 'toggle-shading' }), 120, 40)).panes!.stream!.content.join('\n');
    for (const [i, style] of (['prob.high', 'prob.mid', 'prob.low', 'prob.vlow'] as const).entries()) {
      expect(shaded).toContain(`${theme.tags[style].open}tok${i} ${theme.tags[style].close}`);
    }
    const plainText = composeFrame(frameInput(state, ui(), 120, 40)).panes!.stream!.content.join('\n');
    expect(plainText).toContain('tok0 tok1 tok2 tok3');
  });

  it('uses only the theme for styling: mono frames carry no colour tags', async () => {
    const mono = await loadTheme('mono');
    const input = { ...frameInput(stateOf(runs.fail), ui(), 120, 40), theme: mono };
    const frame = composeFrame(input);
    const all = [...Object.values(frame.panes!).flatMap((p) => [p.label, ...p.content]), ...frame.status].join('\n');
    expect(all).not.toMatch(/-fg\}|-bg\}/);
    expect(DEFAULT_SAMPLING.temperature).toBe(0);
  });
});
