// Builds a real engine (real gate, real parser, scripted model) on a HumanEval problem for tests.

import { join } from 'node:path';
import { FlowEngine, type RunSpec } from '../../src/core/engine.js';
import type { SlotbenchEvent } from '../../src/core/events.js';
import type { CodeParser, GatePort, ModelPort, ModelRegistry } from '../../src/core/ports.js';
import type { Task } from '../../src/core/task.js';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';
import { implementFlow } from '../../src/flows/implement.js';
import { loadScript, ScriptedModel, type ModelScript } from '../../src/model/scripted.js';
import { createPythonGate } from '../../src/tools/gate.js';
import { loadPythonParser } from '../../src/tools/python-parser.js';
import { loadTask } from '../../src/tools/datasets.js';
import { sharedDir } from './shared.js';
import { PROJECT_ROOT } from '../../src/version.js';

let tools: Promise<{ gate: GatePort; parser: CodeParser }> | undefined;

/** Real gate and parser, created once per test file. */
export function realTools(): Promise<{ gate: GatePort; parser: CodeParser }> {
  tools ??= Promise.all([createPythonGate(), loadPythonParser()]).then(([gate, parser]) => ({ gate, parser }));
  return tools;
}

export function humanEvalPath(): string {
  return join(sharedDir(), 'datasets', 'HumanEval.jsonl.gz');
}

export function loadHumanEval(id = 'HumanEval/0'): Promise<Task> {
  return loadTask(humanEvalPath(), id);
}

export function scriptPath(name: string): string {
  return join(PROJECT_ROOT, 'test', 'fixtures', 'scripts', `${name}.json`);
}

export function registryOf(...models: ModelPort[]): ModelRegistry {
  const byName = new Map(models.map((m) => [m.identity.name, m]));
  return {
    get(name) {
      const model = byName.get(name);
      if (!model) throw new Error(`no model ${name}`);
      return model;
    },
    names: () => [...byName.keys()],
  };
}

export interface Harness {
  engine: FlowEngine;
  events: SlotbenchEvent[];
  model: ScriptedModel;
}

/** An engine on HumanEval/0 with the named script (or an inline one), collecting every event. */
export async function harness(script: string | ModelScript, spec: Partial<RunSpec> = {}, extraModels: ModelPort[] = []): Promise<Harness> {
  const loaded = typeof script === 'string' ? await loadScript(scriptPath(script)) : script;
  const model = new ScriptedModel(loaded);
  const { gate, parser } = await realTools();
  const task = spec.task ?? (await loadHumanEval());
  const engine = new FlowEngine(
    { models: registryOf(model, ...extraModels), gate, parser },
    {
      sessionId: 'test-session',
      slotbenchVersion: '0.0.0-test',
      flow: implementFlow,
      task,
      model: 'scripted',
      sampling: { ...DEFAULT_SAMPLING },
      attempts: 1,
      gateTimeoutMs: 5000,
      ...spec,
    },
  );
  const events: SlotbenchEvent[] = [];
  engine.on((e) => events.push(e));
  return { engine, events, model };
}

export function ofType<T extends SlotbenchEvent['type']>(events: SlotbenchEvent[], type: T): Extract<SlotbenchEvent, { type: T }>[] {
  return events.filter((e) => e.type === type) as Extract<SlotbenchEvent, { type: T }>[];
}

/** Wait until the engine has emitted an event matching `predicate`. */
export async function until(events: SlotbenchEvent[], predicate: (e: SlotbenchEvent) => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!events.some(predicate)) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for an event');
    await new Promise((r) => setTimeout(r, 5));
  }
}
