// `slotbench rerun SESSION`: the flow runs again live (real gate and parser) with the model's answers replayed from the recording.

import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { FlowEngine } from '../../core/engine.js';
import type { SlotbenchEvent } from '../../core/events.js';
import type { FlowDefinition } from '../../core/flow.js';
import type { CodeParser, GatePort, ModelPort } from '../../core/ports.js';
import type { Task } from '../../core/task.js';
import { loadConfig } from '../../config/config.js';
import { getFlow } from '../../flows/index.js';
import { ReplayModel, replayLabel } from '../../model/replay.js';
import { compareSessions, formatComparison, type SessionComparison } from '../../session/compare.js';
import { newSessionId, sessionsDir } from '../../session/paths.js';
import { readSession, type LoadedSession } from '../../session/reader.js';
import { openRecorder } from '../../session/recorder.js';
import { initialRunState } from '../../state/run-state.js';
import { loadTask } from '../../tools/datasets.js';
import { stripControl } from '../../ui/sanitize.js';
import { SLOTBENCH_VERSION } from '../../version.js';
import type { Command } from '../io.js';
import { plainProgress } from '../plain-progress.js';
import { numberOption, SANDBOX_OPTION, wireModels, wireTools, timeoutOption } from '../wiring.js';

export const RERUN_USAGE =
  'slotbench rerun SESSION [--flow NAME] [--model NAME] [--config FILE] [--dataset PATH] [--timeout-ms MS] [--sandbox bwrap|none] [--session OUT] [--json]' +
  ' (exit 1 when the verdict differs from the recording)';

export interface RerunInput {
  source: LoadedSession;
  flow: FlowDefinition;
  task: Task;
  gate: GatePort;
  parser: CodeParser;
  /** Live model answering from the first request the recording cannot; without it such a request ends the run. */
  fallback?: ModelPort;
  gateTimeoutMs: number;
  /** Where the new session goes (must not exist). */
  path: string;
  cwd: string;
  /** Sees every event of the new run (progress output). */
  onEvent?: (event: SlotbenchEvent) => void;
}

export interface RerunResult {
  path: string;
  events: SlotbenchEvent[];
  comparison: SessionComparison;
  /** Set when the run asked something the recording never answered (and there was no live model to ask). */
  notRecorded?: string;
}

/** Run the flow again against the recorded answers and record it as a new session derived from the source. */
export async function rerunSession(input: RerunInput): Promise<RerunResult> {
  const { source } = input;
  const replay = new ReplayModel(source, input.fallback ? { fallback: input.fallback } : {});
  const engine = new FlowEngine(
    { models: { get: () => replay, names: () => ['replay'] }, gate: input.gate, parser: input.parser },
    {
      sessionId: newSessionId(input.task.ref.id),
      slotbenchVersion: SLOTBENCH_VERSION,
      flow: input.flow,
      task: input.task,
      model: 'replay',
      sampling: { ...source.header.sampling },
      attempts: source.header.attempts,
      gateTimeoutMs: input.gateTimeoutMs,
      label: replayLabel(source, input.fallback?.identity.name),
      derivedFrom: source.header.sessionId,
      ...(source.header.mode ? { mode: source.header.mode } : {}),
    },
  );
  const recorder = openRecorder(input.path, input.cwd);
  const events: SlotbenchEvent[] = [];
  engine.on(recorder.onEvent);
  engine.on((event) => events.push(event));
  if (input.onEvent) engine.on(input.onEvent);
  try {
    await engine.start();
  } finally {
    await recorder.close();
  }
  const comparison = compareSessions(source, { header: events[0] as LoadedSession['header'], events, path: input.path });
  const refused = events.find((e) => e.type === 'slot_error' && e.code === 'not_recorded');
  return { path: input.path, events, comparison, ...(refused?.type === 'slot_error' ? { notRecorded: refused.message } : {}) };
}

export const rerunCommand: Command = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      flow: { type: 'string' },
      model: { type: 'string' },
      config: { type: 'string' },
      dataset: { type: 'string' },
      'timeout-ms': { type: 'string' },
      session: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...SANDBOX_OPTION,
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UserError(`rerun needs one session file: ${RERUN_USAGE}`);
  const timeoutMs = timeoutOption(values['timeout-ms']);
  const out = values.json ? io.stderr : io.stdout;
  const source = await readSession(resolve(io.cwd, positionals[0]));
  for (const warning of source.warnings) io.stderr.write(`warning: ${warning}\n`);

  const { header } = source;
  const flow = getFlow(values.flow ?? header.flow);
  const ref = header.task;
  if (ref.kind !== 'dataset' && values.dataset === undefined) {
    throw new UserError(`${source.path}: rerun knows dataset tasks only; this session's task is a ${ref.kind}`, 'task_kind');
  }
  const dataset = resolve(io.cwd, values.dataset ?? (ref.kind === 'dataset' ? ref.dataset : ''));
  if (!existsSync(dataset)) {
    throw new UserError(`${source.path}: the recorded dataset ${dataset} is not there: pass --dataset PATH (the file with ${ref.id})`, 'no_dataset');
  }
  const task = await loadTask(dataset, ref.id);
  const fallback = values.model ? await liveModel(values.model, values.config, io.cwd, (m) => out.write(`${m}\n`)) : undefined;
  const config = fallback ? undefined : await loadConfig(io.cwd, values.config);
  const gateTimeoutMs = timeoutMs ?? fallback?.gateTimeoutMs ?? config?.gate.timeoutMs ?? 10_000;
  const path = values.session ? resolve(io.cwd, values.session) : resolve(sessionsDir(io.cwd), `${newSessionId(task.ref.id)}.jsonl`);

  const result = await rerunSession({
    source,
    flow,
    task,
    ...(await wireTools(values, (fallback?.config ?? config)?.gate)),
    ...(fallback ? { fallback: fallback.model } : {}),
    gateTimeoutMs,
    path,
    cwd: io.cwd,
    onEvent: plainProgress(out, initialRunState()),
  }).finally(() => fallback?.model.close?.());
  out.write(`session: ${path}\n`);
  for (const line of formatComparison(result.comparison, { a: 'recorded', b: 'rerun' })) out.write(`${stripControl(line)}\n`);
  const { a, b, divergence } = result.comparison;
  if (values.json) {
    io.stdout.write(JSON.stringify({
      session: path,
      derivedFrom: header.sessionId,
      verdict: b.verdict ?? 'error',
      recordedVerdict: a.verdict ?? null,
      reproduced: divergence === undefined,
      divergence: divergence ?? null,
      notRecorded: result.notRecorded ?? null,
    }) + '\n');
  }
  if (result.notRecorded) {
    throw new UserError(`${result.notRecorded} (pass --model NAME to let a live model answer from there; partial rerun kept in ${path})`, 'not_recorded');
  }
  return a.verdict === b.verdict ? 0 : 1;
};

async function liveModel(name: string, config: string | undefined, cwd: string, onProgress: (m: string) => void) {
  const wiring = await wireModels({ model: name, ...(config ? { config } : {}) }, cwd, onProgress);
  return { model: wiring.models.get(wiring.modelName), gateTimeoutMs: wiring.gateTimeoutMs, config: wiring.config };
}
