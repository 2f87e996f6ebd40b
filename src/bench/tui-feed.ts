// Benchmark: 100,000 tokens into a live workbench (blessed drawing to a null terminal) vs the same feed reduced alone.

import { PassThrough, Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SESSION_FORMAT_VERSION, type SlotbenchEvent } from '../core/events.js';
import { DEFAULT_SAMPLING } from '../core/sampling.js';
import { initialRunState, reduce } from '../state/run-state.js';
import type { Feed } from '../ui/common/contracts.js';
import { loadTheme } from '../ui/common/theme.js';
import { openWorkbench } from '../ui/workbench.js';
import type { BenchResult } from './types.js';

const TOKENS = 100_000;
/** Tokens handed over per macrotask: the engine's own stream arrives in network-sized bursts like this. */
const BURST = 500;
const REALISTIC_TOKENS = 300;
const ROUNDS = 7;
const REALISTIC_RATE = 30;

function header(): SlotbenchEvent[] {
  return [
    {
      type: 'session_started', t: 0, formatVersion: SESSION_FORMAT_VERSION, slotbenchVersion: 'bench', sessionId: 'bench', startedAt: new Date().toISOString(),
      flow: 'implement', task: { kind: 'dataset', id: 'bench/1', dataset: 'inline' }, model: { name: 'bench', kind: 'scripted' },
      sampling: { ...DEFAULT_SAMPLING }, attempts: 1, label: 'benchmark feed',
    },
    { type: 'flow_started', t: 0, flow: 'implement', branchId: 0 },
    { type: 'slot_started', t: 0, slotId: 's1', name: 'implement', ordinal: 0, attempt: 1, branchId: 0 },
    { type: 'prompt_built', t: 0, slotId: 's1', model: 'bench', api: 'completion', request: { prompt: 'bench', sampling: { ...DEFAULT_SAMPLING } } },
  ];
}

function token(i: number): SlotbenchEvent {
  return { type: 'token', t: i, slotId: 's1', text: i % 12 === 11 ? 'tok\n' : 'tok ' };
}

/** Emit the header, then `count` tokens in bursts (or one per interval when `intervalMs` is set). */
function feedTokens(emit: (event: SlotbenchEvent) => void, count: number, intervalMs?: number): Promise<void> {
  for (const event of header()) emit(event);
  return new Promise((resolve) => {
    let i = 0;
    const next = () => {
      const end = intervalMs ? i + 1 : Math.min(count, i + BURST);
      while (i < end) emit(token(i++));
      if (i >= count) resolve();
      else if (intervalMs) setTimeout(next, intervalMs);
      else setImmediate(next);
    };
    next();
  });
}

/** A feed that plays the synthetic stream into whoever subscribes. */
function syntheticFeed(count: number, intervalMs?: number): Feed & { finished: Promise<void> } {
  const listeners: ((event?: SlotbenchEvent) => void)[] = [];
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  return {
    kind: 'engine',
    controls: {},
    finished,
    subscribe: (listener) => {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    start: () => void feedTokens((e) => listeners.forEach((l) => l(e)), count, intervalMs).then(finish),
    close: async () => undefined,
  };
}

/** A terminal that discards output: blessed does all its work (layout, diffing, escape codes) but writes nowhere. */
function nullTerminal(): { input: PassThrough; output: Writable } {
  const output = new Writable({ write: (_chunk, _encoding, done) => done() });
  Object.assign(output, { isTTY: true, columns: 120, rows: 40 });
  return { input: new PassThrough(), output };
}

interface Measured {
  wallMs: number;
  cpuMs: number;
  frames: number;
}

function measure<T>(run: () => Promise<T>): Promise<{ result: T; wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  return run().then((result) => {
    const used = process.cpuUsage(cpu);
    return { result, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
  });
}

/** Open a workbench on the synthetic feed (not timed), then time the feed from first to last token. */
async function live(count: number, intervalMs?: number): Promise<Measured> {
  const feed = syntheticFeed(count, intervalMs);
  const workbench = openWorkbench({ feed, theme: await loadTheme('dark'), ...nullTerminal(), terminal: 'xterm-256color', healthIntervalMs: 60_000 });
  const before = workbench.frames;
  const timed = await measure(() => feed.finished);
  const frames = workbench.frames - before;
  if (workbench.store.run.slots.get('s1')?.tokenCount !== count) throw new Error('the workbench lost tokens');
  await workbench.close();
  return { wallMs: timed.wallMs, cpuMs: timed.cpuMs, frames };
}

/**
 * Median of `n` runs after one untimed warm-up (JIT, terminfo, first screen allocation), with a full collection
 * before each, so one round's 100k-token strings are not collected on the next round's clock.
 */
async function median(n: number, run: () => Promise<Measured>): Promise<Measured> {
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  await run();
  const runs: Measured[] = [];
  for (let i = 0; i < n; i++) {
    collect();
    runs.push(await run());
  }
  runs.sort((a, b) => a.wallMs - b.wallMs);
  return runs[Math.floor(n / 2)];
}

export async function benchTuiFeed(): Promise<BenchResult> {
  const alone = await median(ROUNDS, async () => {
    const timed = await measure(() => {
      const state = initialRunState();
      return feedTokens((e) => reduce(state, e), TOKENS);
    });
    return { wallMs: timed.wallMs, cpuMs: timed.cpuMs, frames: 0 };
  });
  const withUi = await median(ROUNDS, () => live(TOKENS));
  const realistic = await live(REALISTIC_TOKENS, 1000 / REALISTIC_RATE);
  const fps = withUi.frames / (withUi.wallMs / 1000);
  const realisticFps = realistic.frames / (realistic.wallMs / 1000);
  const slowdown = withUi.wallMs / alone.wallMs - 1;
  return {
    name: `tui feed: ${TOKENS.toLocaleString('en')} tokens into the live workbench (blessed drawing to a null terminal, 120x40)`,
    figures: {
      'feed alone ms (median)': Math.round(alone.wallMs),
      'with workbench ms (median)': Math.round(withUi.wallMs),
      'slowdown %': Math.round(slowdown * 100),
      'cpu ms': Math.round(withUi.cpuMs),
      frames: withUi.frames,
      fps: Math.round(fps * 10) / 10,
      [`cpu ms per 1k tokens at ${REALISTIC_RATE} tok/s`]: Math.round((realistic.cpuMs / REALISTIC_TOKENS) * 1000),
      [`fps at ${REALISTIC_RATE} tok/s`]: Math.round(realisticFps * 10) / 10,
    },
    target: 'keeps up: wall within 10 % of the feed alone, at ≤ 30 fps',
    ok: slowdown <= 0.1 && fps <= 31 && realisticFps <= 31,
  };
}
