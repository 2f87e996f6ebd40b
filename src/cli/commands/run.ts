// `slotbench run`: one flow on one problem, headless; live progress, a recorded session, a verdict.

import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { FlowEngine } from '../../core/engine.js';
import type { SlotbenchEvent } from '../../core/events.js';
import type { Task } from '../../core/task.js';
import { determinismReport, formatDeterminismReport } from '../../session/determinism.js';
import { getFlow } from '../../flows/index.js';
import { openRecorder } from '../../session/recorder.js';
import { newSessionId, sessionsDir } from '../../session/paths.js';
import { initialRunState, type RunState } from '../../state/run-state.js';
import { tokensPerSecond } from '../../state/selectors.js';
import { loadTask } from '../../tools/datasets.js';
import { SLOTBENCH_VERSION } from '../../version.js';
import type { Command } from '../io.js';
import { plainProgress, progressPrinter } from '../plain-progress.js';
import { numberOption, requireHealthy, RUN_OPTIONS, runSettings, wireModels, wireTools, type Wiring, timeoutOption } from '../wiring.js';

export const RUN_USAGE =
  'slotbench run --dataset PATH --problem ID [--flow implement] [--model NAME | --model-script FILE | --model-file FILE.gguf] ' +
  '[--temperature T] [--seed N] [--attempts N] [--n-probs N] [--timeout-ms MS] [--sandbox bwrap|none] [--session PATH] [--repeat N] [--json]';

export const runCommand: Command = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...RUN_OPTIONS,
      'timeout-ms': { type: 'string' },
      repeat: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.dataset || !values.problem) throw new UserError(`run needs --dataset and --problem: ${RUN_USAGE}`);
  const flow = getFlow(values.flow!);
  const repeat = numberOption(values.repeat, '--repeat', (n) => Number.isInteger(n) && n >= 1, 'an integer ≥ 1') ?? 1;
  const timeoutMs = timeoutOption(values['timeout-ms']);

  const progressOut = values.json ? io.stderr : io.stdout;
  const task = await loadTask(resolve(io.cwd, values.dataset), values.problem);
  const wiring = await wireModels(values, io.cwd, progressPrinter(progressOut));
  await requireHealthy(wiring.models.get(wiring.modelName));
  const tools = await wireTools(values, wiring.config.gate);

  const { sampling, attempts } = runSettings(values, wiring.sampling);

  const runs: Array<{ state: RunState; path: string; events: SlotbenchEvent[] }> = [];
  for (let i = 0; i < repeat; i++) {
    if (repeat > 1) progressOut.write(`run ${i + 1} of ${repeat}\n`);
    const sessionId = newSessionId(task.ref.id);
    const path = values.session ? numbered(resolve(io.cwd, values.session), i, repeat) : resolve(sessionsDir(io.cwd), `${sessionId}.jsonl`);
    const engine = new FlowEngine(
      { models: wiring.models, ...tools },
      {
        sessionId,
        slotbenchVersion: SLOTBENCH_VERSION,
        flow,
        task,
        model: wiring.modelName,
        sampling,
        attempts,
        gateTimeoutMs: timeoutMs ?? wiring.gateTimeoutMs,
        ...(wiring.label ? { label: wiring.label } : {}),
      },
    );
    const recorder = openRecorder(path, io.cwd);
    const state = initialRunState();
    const events: SlotbenchEvent[] = [];
    engine.on(recorder.onEvent);
    engine.on(plainProgress(progressOut, state));
    if (repeat > 1) engine.on((e) => events.push(e));
    const interrupt = () => engine.interrupt(INTERRUPTED);
    process.once('SIGINT', interrupt);
    try {
      await engine.start();
    } finally {
      process.off('SIGINT', interrupt);
      await recorder.close();
    }
    progressOut.write(`session: ${path}\n`);
    runs.push({ state, path, events });
    if (state.branches.get(state.currentBranch)?.finished?.reason === INTERRUPTED) break;
  }

  const determinism = repeat > 1 ? determinismReport(runs.map((r) => ({ header: r.state.header!, events: r.events, path: r.path }))) : undefined;
  if (determinism) for (const line of formatDeterminismReport(determinism)) progressOut.write(`${line}\n`);
  if (values.json) {
    const results = runs.map((r) => runResult(r.state, task, wiring, r.path));
    const out = determinism ? { runs: results, determinism } : results[0];
    io.stdout.write(JSON.stringify(out) + '\n');
  }
  // Like any interrupted program; the session is complete up to the stop and ends with an aborted verdict.
  return runs.at(-1)!.state.branches.get(0)?.finished?.reason === INTERRUPTED ? 130 : 0;
};

const INTERRUPTED = 'interrupted by Ctrl-C';

/** `--session out.jsonl --repeat 3` → out-1.jsonl, out-2.jsonl, out-3.jsonl. */
function numbered(path: string, index: number, count: number): string {
  return count > 1 ? path.replace(/(\.jsonl)?$/, `-${index + 1}.jsonl`) : path;
}

/** The one result object of `--json`: verdict, per-slot and per-gate figures, where the session is. */
function runResult(state: RunState, task: Task, wiring: Wiring, session: string) {
  const finished = state.branches.get(state.currentBranch)?.finished;
  return {
    session,
    sessionId: state.header?.sessionId,
    problem: task.ref.id,
    flow: state.header?.flow,
    model: wiring.modelName,
    label: wiring.label ?? null,
    verdict: finished?.verdict ?? 'error',
    reason: finished?.reason ?? 'the flow did not finish',
    attempts: finished?.attempts ?? 0,
    durationMs: finished?.durationMs ?? 0,
    slots: state.slotOrder.map((id) => {
      const slot = state.slots.get(id)!;
      return {
        id,
        name: slot.name,
        attempt: slot.attempt,
        status: slot.status,
        tokens: slot.tokenCount,
        tokensPerSecond: Math.round(tokensPerSecond(slot)),
        stopType: slot.output?.stopType ?? null,
        timings: slot.output?.timings ?? null,
      };
    }),
    gates: state.gateOrder.map((id) => {
      const gate = state.gates.get(id)!;
      return { id, slotId: gate.slotId, verdict: gate.verdict, exitCode: gate.exitCode, durationMs: gate.durationMs, sandbox: gate.sandbox };
    }),
  };
}
