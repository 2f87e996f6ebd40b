// `slotbench rerun SESSION`: the flow runs again live (real gate and parser) with the model's answers replayed from the recording.

import { resolve } from 'node:path';
import { LIMITS } from '../../core/limits.js';
import { UserError } from '../../core/errors.js';
import type { SlotbenchEvent } from '../../core/events.js';
import type { FlowDefinition } from '../../core/flow.js';
import type { CodeParser, GatePort, ModelPort } from '../../core/ports.js';
import type { Task } from '../../core/task.js';
import { loadConfig } from '../../config/config.js';
import { getFlow } from '../../flows/index.js';
import { ReplayModel, replayLabel } from '../../model/replay.js';
import { runTask } from '../../runner/task-run.js';
import { compareSessions, formatComparison, type SessionComparison } from '../../session/compare.js';
import { locateSession } from '../../session/locate.js';
import { newSessionId, sessionsDir } from '../../session/paths.js';
import { readSession, type LoadedSession } from '../../session/reader.js';
import { initialRunState, reduceAll } from '../../state/run-state.js';
import { branchPoints } from '../../state/branch-points.js';
import { decidingBranch } from '../../state/selectors.js';
import { oneSafeLine, safeJson, stripControl } from '../../text/sanitize.js';
import { RERUN_SPEC } from '../command-specs.js';
import { INTERRUPTED_EXIT, interruptScope } from '../interrupts.js';
import { printWarnings, type Command } from '../io.js';
import { parseCommand } from '../options.js';
import { plainProgress } from '../plain-progress.js';
import { numberOption } from '../numbers.js';
import { recordedTask } from '../recorded-task.js';
import { timeoutOption, wireModels, wireTools } from '../wiring.js';

export interface RerunInput {
  source: LoadedSession;
  /** Branch of the recording to rerun (default: the one that decided its result). */
  branch?: number;
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
  /** Hears, as one line, that the new session could not be written (or indexed). */
  onTrouble?: (message: string) => void;
  signal?: AbortSignal;
}

export interface RerunResult {
  path: string;
  branch: number;
  events: SlotbenchEvent[];
  comparison: SessionComparison;
  /** Set when the run asked something the recording never answered (and there was no live model to ask). */
  notRecorded?: string;
}

/** Run the flow again against the recorded answers of one branch and record it as a new session derived from the source. */
export async function rerunSession(input: RerunInput): Promise<RerunResult> {
  const { source } = input;
  const recorded = reduceAll(source.events);
  const branch = input.branch ?? decidingBranch(recorded);
  if (!recorded.branches.has(branch)) {
    throw new UserError(`${source.path}: no branch ${branch} (the session has ${[...recorded.branches.keys()].join(', ')})`, 'no_branch');
  }
  const replay = new ReplayModel(source, { branch, ...(input.fallback ? { fallback: input.fallback } : {}) });
  const events: SlotbenchEvent[] = [];
  await runTask({
    task: input.task,
    flow: input.flow,
    flowOptions: source.header.flowOptions,
    models: { get: () => replay, names: () => ['replay'] },
    model: 'replay',
    sampling: { ...source.header.sampling },
    attempts: source.header.attempts,
    gateTimeoutMs: input.gateTimeoutMs,
    tools: { gate: input.gate, parser: input.parser },
    record: { path: input.path, cwd: input.cwd },
    sessionId: newSessionId(input.task.ref.id),
    label: replayLabel(source, input.fallback?.identity.name),
    derivedFrom: source.header.sessionId,
    mode: source.header.mode,
    overridesAt: branchPoints(recorded, branch),
    sinks: [(event) => events.push(event), ...(input.onEvent ? [input.onEvent] : [])],
    ...(input.onTrouble ? { onTrouble: input.onTrouble } : {}),
    signal: input.signal,
  });
  const comparison = compareSessions(source, { header: events[0] as LoadedSession['header'], events, path: input.path }, { branchA: branch });
  const refused = events.find((e) => e.type === 'slot_error' && e.code === 'not_recorded');
  return { path: input.path, branch, events, comparison, ...(refused?.type === 'slot_error' ? { notRecorded: refused.message } : {}) };
}

export const rerunCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommand(RERUN_SPEC, argv);
  const timeoutMs = timeoutOption(values['timeout-ms']);
  const branch = numberOption(values.branch, '--branch (a branch id)', LIMITS.branch);
  const out = values.json ? io.stderr : io.stdout;
  const source = await readSession(await locateSession(positionals[0], io.cwd, sessionsDir(io.cwd)));
  printWarnings(io, source.warnings);

  const { header } = source;
  const flow = getFlow(values.flow ?? header.flow);
  const fallback = values.model ? await liveModel(values.model, values.config, io.cwd, (m) => out.write(`${m}\n`)) : undefined;
  const config = await loadConfig(io.cwd, values.config);
  const task = await recordedTask(source, values.dataset, config, io.cwd);
  const gateTimeoutMs = timeoutMs ?? fallback?.gateTimeoutMs ?? config.gate.timeoutMs ?? 10_000;
  const path = values.session ? resolve(io.cwd, values.session) : resolve(sessionsDir(io.cwd), `${newSessionId(task.ref.id)}.jsonl`);

  const interrupt = interruptScope();
  const result = await rerunSession({
    source,
    ...(branch !== undefined ? { branch } : {}),
    flow,
    task,
    ...(await wireTools(values, config.gate)),
    ...(fallback ? { fallback: fallback.model } : {}),
    gateTimeoutMs,
    path,
    cwd: io.cwd,
    onEvent: plainProgress(out, initialRunState()),
    onTrouble: (message) => io.stderr.write(`slotbench: ${oneSafeLine(message)}\n`),
    signal: interrupt.signal,
  }).finally(() => {
    interrupt.dispose();
    return fallback?.model.close?.();
  });
  out.write(`session: ${path}\n`);
  for (const line of formatComparison(result.comparison, { a: `recorded (branch ${result.branch})`, b: 'rerun' })) out.write(`${stripControl(line)}\n`);
  const { a, b, divergence } = result.comparison;
  if (values.json) {
    io.stdout.write(safeJson({
      session: path,
      derivedFrom: header.sessionId,
      branch: result.branch,
      verdict: b.verdict ?? 'error',
      recordedVerdict: a.verdict ?? null,
      reproduced: divergence === undefined,
      divergence: divergence ?? null,
      notRecorded: result.notRecorded ?? null,
    }) + '\n');
  }
  if (interrupt.signal.aborted) return INTERRUPTED_EXIT;
  if (result.notRecorded) {
    throw new UserError(`${result.notRecorded} (pass --model NAME to let a live model answer from there; partial rerun kept in ${path})`, 'not_recorded');
  }
  return a.verdict === b.verdict ? 0 : 1;
};

async function liveModel(name: string, config: string | undefined, cwd: string, onProgress: (m: string) => void) {
  const wiring = await wireModels({ model: name, ...(config ? { config } : {}) }, cwd, onProgress);
  return { model: wiring.models.get(wiring.modelName), gateTimeoutMs: wiring.gateTimeoutMs, config: wiring.config };
}
