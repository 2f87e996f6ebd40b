import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplingChanges } from '../../src/ui/common/sampling-changes.js';
import { DEFAULT_SAMPLING, type Sampling } from '../../src/core/sampling.js';
import { initialRunState } from '../../src/state/run-state.js';
import { initialUiState, reduceUi, type UiState } from '../../src/state/ui-state.js';
import type { WorkbenchApi } from '../../src/ui/common/contracts.js';
import { registerBuiltins } from '../../src/ui/controllers/builtin-commands.js';
import { CommandRegistry, editInput, numberArg } from '../../src/ui/controllers/command-line.js';
import { handleKey } from '../../src/ui/controllers/controller.js';
import { KEYMAP } from '../../src/ui/controllers/keymap.js';
import type { Feed } from '../../src/ui/common/contracts.js';
import { loadTheme } from '../../src/ui/common/theme.js';

interface Fake {
  api: WorkbenchApi;
  configured: unknown[];
  flashes: { text: string; level: string }[];
  quits: boolean[];
  opened: [string | undefined, string][];
}

async function fake(kind: Feed['kind'] = 'engine'): Promise<Fake> {
  const theme = await loadTheme('mono');
  const configured: unknown[] = [];
  const flashes: Fake['flashes'] = [];
  const quits: boolean[] = [];
  const opened: Fake['opened'] = [];
  let ui: UiState = initialUiState();
  let settings = { model: 'scripted', sampling: { ...DEFAULT_SAMPLING } as Sampling, attempts: 1 };
  const feed: Feed = {
    kind,
    sessionPath: '/tmp/s.jsonl',
    slotNames: ['implement', 'reindent'],
    controls:
      kind === 'engine'
        ? {
            configure: (change) => {
              configured.push(change);
              settings = { ...settings, ...change, sampling: { ...settings.sampling, ...change.sampling } } as typeof settings;
            },
            settings: () => settings,
            modelNames: () => ['scripted', 'local', 'qwen'],
            flush: () => undefined,
            rerun: () => undefined,
          }
        : {},
    subscribe: () => () => undefined,
    start: () => undefined,
    close: async () => undefined,
  };
  const api: WorkbenchApi = {
    run: initialRunState(),
    get ui() {
      return ui;
    },
    feed,
    feedKind: kind,
    theme,
    can: (c) => feed.controls[c] !== undefined,
    dispatch: (action) => (ui = reduceUi(ui, action)),
    flash: (text, level = 'info') => {
      flashes.push({ text, level });
      ui = reduceUi(ui, { type: 'flash', text, level });
    },
    quit: (force = false) => quits.push(force),
    // One view open: back quits, as the workbench does.
    back: () => quits.push(false),
    startJob: () => () => undefined,
    cancelJobs: async () => 0,
    openProblem: async (dataset, id) => void opened.push([dataset, id]),
    openFeed: () => undefined,
    editPrompt: async () => undefined,
    setTheme: async () => undefined,
    themeNames: () => ['dark', 'light', 'high-contrast', 'mono'],
    showPanel: () => undefined,
    paneBody: () => ({ lines: [], rows: 10 }),
    cwd: '/',
    confirm: () => undefined,
    answer: async () => undefined,
    recording: () => [],
    forgetSession: () => undefined,
  };
  return { api, configured, flashes, quits, opened };
}

const registry = () => registerBuiltins(new CommandRegistry());

async function typeKeys(f: Fake, keys: string[]): Promise<void> {
  for (const key of keys) await handleKey(f.api, KEYMAP, registry(), key);
}

describe(': command line', () => {
  it('runs :temp, :seed, :model and :attempts through the feed', async () => {
    const f = await fake();
    const r = registry();
    await r.execute('temp 0.7', f.api);
    await r.execute(':seed 42', f.api);
    await r.execute('seed none', f.api);
    await r.execute('model qwen', f.api);
    await r.execute('attempts 2', f.api);
    expect(f.configured).toEqual([
      { sampling: { temperature: 0.7 } },
      { sampling: { seed: 42 } },
      { sampling: { seed: undefined } },
      { model: 'qwen' },
      { attempts: 2 },
    ]);
  });

  it('answers unknown commands and bad values with one line naming what to do', async () => {
    const f = await fake();
    const r = registry();
    await expect(r.execute('probe 20 0.8', f.api)).rejects.toThrow(/^unknown command :probe: try :temp .*:help/);
    await expect(r.execute('temp hot', f.api)).rejects.toThrow(':temp needs a number from 0 to 10, got "hot"');
    await expect(r.execute('temp', f.api)).rejects.toThrow(':temp needs a number from 0 to 10');
    await expect(r.execute('seed 1.5', f.api)).rejects.toThrow(':seed needs an integer from 0 to 4294967295, or none, got "1.5"');
    await expect(r.execute('model gpt', f.api)).rejects.toThrow(':model needs one of the configured models: scripted, local, qwen (not "gpt")');
    await expect(r.execute('attempts 0', f.api)).rejects.toThrow(':attempts needs an integer from 1 to 100, got "0"');
    await expect(r.execute('open', f.api)).rejects.toThrow(':open needs PROBLEM-ID, or DATASET PROBLEM-ID');
    await expect(r.execute('', f.api)).rejects.toThrow('empty command');
    expect(f.configured).toEqual([]);
  });

  it(':set changes n_predict, top_k, top_p, min_p, stop and grammar for the next slots; none clears one', async () => {
    const f = await fake();
    const r = registry();
    const dir = await mkdtemp(join(tmpdir(), 'slotbench-set-'));
    try {
      await writeFile(join(dir, 'digits.gbnf'), 'root ::= [0-9]+\n');
      await r.execute('set n_predict 64', f.api);
      await r.execute('set top_k 40', f.api);
      await r.execute('set top_p 0.9', f.api);
      await r.execute('set min_p 0.05', f.api);
      await r.execute('set stop ["\\n```", "def "]', f.api);
      await r.execute('set stop \\n\\n', f.api);
      await r.execute(`set grammar ${join(dir, 'digits.gbnf')}`, f.api);
      await r.execute('set top_k none', f.api);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(f.configured).toEqual([
      { sampling: { n_predict: 64 } },
      { sampling: { top_k: 40 } },
      { sampling: { top_p: 0.9 } },
      { sampling: { min_p: 0.05 } },
      { sampling: { stop: ['\n```', 'def '] } },
      { sampling: { stop: ['\n\n'] } },
      { sampling: { grammar: 'root ::= [0-9]+\n' } },
      { sampling: { top_k: undefined } },
    ]);
    expect(f.flashes.at(-2)?.text).toMatch(/^grammar for the next slots: 16 chars of GBNF from /);
    await expect(r.execute('set top_p 0', f.api)).rejects.toThrow(':set top_p needs a number above 0, up to 1, or none, got "0"');
    await expect(r.execute('set n_predict', f.api)).rejects.toThrow(':set n_predict needs an integer from 1 to 32768');
    await expect(r.execute('set temperature 1', f.api)).rejects.toThrow(':set takes one of n_predict, top_k, top_p, min_p, stop, grammar, then a value');
    await expect(r.execute('set grammar /nonexistent/x.gbnf', f.api)).rejects.toThrow(/^:set grammar: cannot read \/nonexistent\/x\.gbnf: /);
    await expect(r.execute('set stop []', f.api)).rejects.toThrow(/^:set stop needs a string/);
    const now = { ...DEFAULT_SAMPLING, n_predict: 64, top_p: 0.9, stop: ['a', 'b'], grammar: 'root ::= "x"' };
    expect(samplingChanges({ ...DEFAULT_SAMPLING, top_k: 40 }, now)).toEqual(['n_predict=64', 'top_k=–', 'top_p=0.9', 'stop=2', 'grammar']);
    expect(samplingChanges(DEFAULT_SAMPLING, { ...DEFAULT_SAMPLING, temperature: 0.5 })).toEqual([]);
  });

  it('refuses settings commands in a replay, with the reason', async () => {
    const f = await fake('replay');
    await expect(registry().execute('temp 0.5', f.api)).rejects.toThrow(':temp: this is a replay: changing settings needs a live engine');
  });

  it('passes :open arguments on: same dataset, or an explicit one', async () => {
    const f = await fake();
    await registry().execute('open HumanEval/3', f.api);
    await registry().execute('open mbpp Mbpp/11', f.api);
    expect(f.opened).toEqual([[undefined, 'HumanEval/3'], ['mbpp', 'Mbpp/11']]);
  });

  it('completes command names and their arguments with Tab', async () => {
    const f = await fake();
    const r = registry();
    expect(r.complete('te', f.api)).toEqual({ text: 'temp ', candidates: ['temp'] });
    expect(r.complete('t', f.api)).toEqual({ text: 't', candidates: ['tag', 'temp', 'theme'] });
    expect(r.complete('model q', f.api)).toEqual({ text: 'model qwen ', candidates: ['qwen'] });
    expect(r.complete('theme high', f.api).text).toBe('theme high-contrast ');
    expect(r.complete('break re', f.api).text).toBe('break reindent ');
    expect(r.complete('zz', f.api)).toEqual({ text: 'zz', candidates: [] });
  });

  it('lets other parts register commands, and refuses a second command of the same name', async () => {
    const f = await fake();
    const r = registry();
    const calls: string[][] = [];
    r.register({ name: 'probe', usage: 'probe N T', description: 'sample a slot N times', run: (args) => void calls.push(args) });
    await r.execute('probe 20 0.8', f.api);
    expect(calls).toEqual([['20', '0.8']]);
    expect(() => r.register({ name: 'q', usage: 'q', description: 'x', run: () => undefined })).toThrow(/registered twice/);
  });

  it('edits the input line key by key', () => {
    const input = { kind: 'command' as const, text: 'temp' };
    expect(editInput(input, 'space').input?.text).toBe('temp ');
    expect(editInput(input, '0').input?.text).toBe('temp0');
    expect(editInput(input, 'backspace').input?.text).toBe('tem');
    expect(editInput({ ...input, text: '' }, 'backspace')).toEqual({});
    expect(editInput(input, 'escape')).toEqual({});
    expect(editInput(input, 'enter')).toEqual({ input, submit: true });
    expect(editInput({ ...input, text: 'temp 0.5' }, 'C-w').input?.text).toBe('temp ');
    expect(editInput(input, 'pagedown').input).toEqual(input);
  });

  it('parses numbers strictly', () => {
    expect(numberArg('x', '1e1', (n) => n > 0, 'a positive number')).toBe(10);
    expect(() => numberArg('x', 'NaN', () => true, 'a number')).toThrow(':x needs a number, got "NaN"');
  });
});

describe('keys through the controller', () => {
  it('types a : command, completes it with Tab, and runs it on Enter', async () => {
    const f = await fake();
    await typeKeys(f, [':', 't', 'e', 'tab', '0', '.', '9', 'enter']);
    expect(f.configured).toEqual([{ sampling: { temperature: 0.9 } }]);
    expect(f.api.ui.input).toBeUndefined();
    expect(f.flashes.at(-1)?.text).toBe('temperature for the next slots: 0.9');
  });

  it('shows a command error as a flash and keeps going', async () => {
    const f = await fake();
    await typeKeys(f, [':', 'n', 'o', 'p', 'e', 'enter']);
    expect(f.flashes.at(-1)).toMatchObject({ level: 'error', text: expect.stringMatching(/^unknown command :nope/) });
  });

  it('flashes why a key is disabled instead of acting', async () => {
    const f = await fake();
    await typeKeys(f, ['r']);
    expect(f.flashes.at(-1)).toEqual({ text: 'no slot has run yet: step into one first (s)', level: 'error' });
    await typeKeys(f, ['Z']);
    expect(f.flashes.at(-1)?.text).toMatch(/no key "Z": press \? for the list of keys/);
  });

  it('opens help with ?, closes it with Esc, and quits with q or Ctrl-C', async () => {
    const f = await fake();
    await typeKeys(f, ['?']);
    expect(f.api.ui.overlay).toBe('help');
    await typeKeys(f, ['escape']);
    expect(f.api.ui.overlay).toBeUndefined();
    await typeKeys(f, ['q', 'C-c']);
    expect(f.quits).toEqual([false, false]);
  });

  it('confirms a quit with y and cancels it with any other key', async () => {
    const f = await fake();
    f.api.dispatch({ type: 'overlay', overlay: 'confirm-quit' });
    await typeKeys(f, ['n']);
    expect(f.api.ui.overlay).toBeUndefined();
    expect(f.quits).toEqual([]);
    f.api.dispatch({ type: 'overlay', overlay: 'confirm-quit' });
    await typeKeys(f, ['y']);
    expect(f.quits).toEqual([true]);
  });
});
