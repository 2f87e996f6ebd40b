// Bench: open a 100,000-event session and seek to its end (read + reduce into RunState); time, memory, and cost over bare JSON.parse.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { SESSION_FORMAT_VERSION, type SlotbenchEvent } from '../core/events.js';
import { readSession } from '../session/reader.js';
import { reduceAll } from '../state/run-state.js';
import { median, type BenchResult } from './types.js';

const EVENTS = 100_000;
const TARGET_MS = 500;
const TARGET_MEMORY_RATIO = 2;
const RUNS = 5;

export async function benchSessionLoad(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'slotbench-bench-'));
  const path = join(dir, 'bench.jsonl');
  try {
    writeFileSync(path, syntheticSession(EVENTS).map((e) => JSON.stringify(e)).join('\n') + '\n');
    const bytes = statSync(path).size;
    const bare = median(Array.from({ length: RUNS }, () => timed(() => bareParse(path))));
    await readSession(path); // warm-up, so the JIT has compiled the reader
    const loads: number[] = [];
    for (let i = 0; i < RUNS; i++) loads.push(await timedAsync(async () => reduceAll((await readSession(path)).events)));
    const ms = median(loads);
    const retained = await retainedBytes(async () => {
      const session = await readSession(path);
      return { session, state: reduceAll(session.events) };
    });
    const memoryRatio = retained / bytes;
    return {
      name: 'session-load',
      figures: {
        events: EVENTS,
        fileMegabytes: Number((bytes / 1e6).toFixed(1)),
        loadAndSeekMs: Number(ms.toFixed(1)),
        bareJsonParseMs: Number(bare.toFixed(1)),
        timesBareParse: Number((ms / bare).toFixed(2)),
        retainedMegabytes: Number((retained / 1e6).toFixed(1)),
        memoryPerFileByte: Number(memoryRatio.toFixed(2)),
        mode: `median of ${RUNS} after a warm-up; memory = heap kept by the loaded events + RunState after GC`,
      },
      target: `≤ ${TARGET_MS} ms to open and seek to the end; memory ≤ ${TARGET_MEMORY_RATIO}× the file size`,
      ok: ms <= TARGET_MS && memoryRatio <= TARGET_MEMORY_RATIO,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The baseline: read the file whole, split lines, JSON.parse each; nothing kept. */
function bareParse(path: string): void {
  const text = readFileSync(path, 'utf8');
  let start = 0;
  for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
    JSON.parse(text.slice(start, end));
    start = end + 1;
  }
}

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

async function timedAsync(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Heap (plus buffers) still held by what `load` returns, measured between full collections. */
async function retainedBytes(load: () => Promise<unknown>): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const used = () => {
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  const kept = await load();
  const after = used();
  // Read after the measurement, so the loaded session cannot be collected before it.
  return kept === undefined ? 0 : Math.max(0, after - before);
}

/**
 * A plausible long session: many attempts of implement (and some reindent) slots, mostly tokens, a quarter of the
 * slots with top-3 probabilities, each answer extracted, applied and tested. Deterministic.
 */
export function syntheticSession(count: number): SlotbenchEvent[] {
  let seed = 42;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const words = ['    ', 'for', ' idx', ',', ' elem', ' in', ' enumerate', '(', 'numbers', '):', '\n', '        ', 'if', ' abs', ' <', ' threshold', ':', ' return', ' True', ' False'];
  const word = () => words[Math.floor(random() * words.length)];
  const sampling = { temperature: 0, n_predict: 512, cache_prompt: true, stop: ['```'] };
  const events: SlotbenchEvent[] = [];
  let t = 0;
  const at = () => (t += random() * 20);
  events.push({
    type: 'session_started', t: 0, formatVersion: SESSION_FORMAT_VERSION, slotbenchVersion: 'bench', sessionId: 'bench',
    startedAt: '2026-11-24T03:15:00.000Z', flow: 'implement', task: { kind: 'dataset', id: 'HumanEval/0', dataset: 'bench' },
    model: { name: 'bench', kind: 'scripted' }, sampling, attempts: 1000,
  });
  events.push({ type: 'flow_started', t: at(), flow: 'implement', branchId: 0 });
  // Each slot takes 8 events besides its tokens; the flow's end takes the last one.
  for (let n = 1; events.length + 9 <= count; n++) {
    const slotId = `s${n}`;
    const scored = n % 4 === 0;
    events.push({ type: 'slot_started', t: at(), slotId, name: 'implement', ordinal: n - 1, attempt: n, branchId: 0 });
    events.push({ type: 'prompt_built', t: at(), slotId, model: 'bench', api: 'completion', request: { prompt: `def f():\n    """${'x'.repeat(600)}"""\n`, sampling } });
    let text = '';
    let tokens = 0;
    for (; tokens < 300 && events.length < count - 7; tokens++) {
      const piece = word();
      text += piece;
      events.push(scored
        ? { type: 'token', t: at(), slotId, text: piece, logprob: -random(), top: [{ token: piece, logprob: -random() }, { token: word(), logprob: -2 - random() }, { token: word(), logprob: -3 - random() }] }
        : { type: 'token', t: at(), slotId, text: piece });
    }
    events.push({ type: 'slot_output', t: at(), slotId, text, tokenCount: tokens, stopType: 'word', stoppingWord: '```', durationMs: 900 });
    events.push({ type: 'code_extracted', t: at(), slotId, how: 'fenced', code: text });
    events.push({ type: 'slot_result', t: at(), slotId, status: 'ok' });
    events.push({ type: 'code_applied', t: at(), slotId, file: 'solution.py', before: 'pass\n', after: text, diff: `@@ -1 +1 @@\n-pass\n+${text.slice(0, 200)}` });
    events.push({ type: 'test_started', t: at(), gateId: `g${n}`, slotId, attempt: n, branchId: 0 });
    events.push({
      type: 'test_run', t: at(), gateId: `g${n}`, slotId, command: ['python3', 'test.py'], exitCode: 1, signal: null, durationMs: 80,
      verdict: 'fail', stdoutTail: '', stderrTail: 'AssertionError\n', sandbox: 'bwrap',
    });
  }
  while (events.length < count - 1) events.push({ type: 'note', t: at(), level: 'info', message: 'padding to the exact event count' });
  events.push({ type: 'flow_finished', t: at(), verdict: 'fail', reason: 'bench', branchId: 0, attempts: 1000, durationMs: t });
  return events;
}
