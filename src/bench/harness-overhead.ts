// Benchmark: engine time per slot with the model and the tests taken out (instant stand-ins), real parser.

import { FlowEngine } from '../core/engine.js';
import type { ModelRegistry } from '../core/ports.js';
import { DEFAULT_SAMPLING } from '../core/sampling.js';
import { implementFlow } from '../flows/implement.js';
import { ScriptedModel } from '../model/scripted.js';
import { loadPythonParser } from '../tools/python-parser.js';
import { addTask as task, instantGateForBenchOnly } from './bench-doubles.js';
import { median, type BenchResult } from './types.js';

const RUNS = 300;


export async function benchHarnessOverhead(): Promise<BenchResult> {
  const parser = await loadPythonParser();
  const model = new ScriptedModel({ answers: [{ slot: 'implement', text: '    result = a + b\n    return result\n```\n' }] });
  const models: ModelRegistry = { get: () => model, names: () => ['scripted'] };
  const perSlot: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const engine = new FlowEngine(
      { models, gate: instantGateForBenchOnly, parser },
      { sessionId: `bench-${i}`, slotbenchVersion: 'bench', flow: implementFlow, task, model: 'scripted', sampling: { ...DEFAULT_SAMPLING }, attempts: 1, gateTimeoutMs: 1000 },
    );
    let events = 0;
    engine.on(() => events++);
    const started = performance.now();
    await engine.start();
    perSlot.push(performance.now() - started);
  }
  const ms = median(perSlot);
  return {
    name: 'harness overhead per slot (model and tests excluded)',
    figures: { 'median ms': round(ms), 'p90 ms': round(perSlot.sort((a, b) => a - b)[Math.floor(RUNS * 0.9)]), runs: RUNS },
    target: 'median < 5 ms',
    ok: ms < 5,
  };
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
