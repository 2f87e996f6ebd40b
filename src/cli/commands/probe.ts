// `slotbench probe`: ask one slot N times per temperature, gate every sample, show the outcome distribution.

import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { getFlow } from '../../flows/index.js';
import { checkSlot, probeParallelism, type ProbePlan } from '../../probe/plan.js';
import { probeProgress } from '../../probe/progress.js';
import { probeResults } from '../../probe/result.js';
import { ProbeRunner } from '../../probe/runner.js';
import { INTERVAL_METHOD } from '../../probe/stats.js';
import type { ProbeResult } from '../../probe/types.js';
import { openRecorder } from '../../session/recorder.js';
import { newSessionId, sessionsDir } from '../../session/paths.js';
import { flushAllSessions } from '../../session/writer.js';
import { initialRunState } from '../../state/run-state.js';
import { loadTask } from '../../tools/datasets.js';
import { renderProbeComparison } from '../../ui/panes/probe-compare.js';
import { renderProbe } from '../../ui/panes/probe-pane.js';
import { SLOTBENCH_VERSION } from '../../version.js';
import type { CliIo, Command } from '../io.js';
import { MODEL_OPTIONS, numberOption, requireHealthy, SANDBOX_OPTION, wireModels, wireTools, timeoutOption } from '../wiring.js';

export const PROBE_USAGE =
  'slotbench probe --dataset PATH --problem ID [--slot implement] [--n 20] [--temperature 0.8 | --temperature 0.2,0.6,1.0] ' +
  '[--model NAME | --model-script FILE | --model-file FILE.gguf] [--seed-base S] [--n-probs K] [--timeout-ms MS] [--sandbox bwrap|none] ' +
  '[--session PATH] [--json]';

/** Exit code of a probe stopped by Ctrl-C (its partial result is still printed and recorded). */
const INTERRUPTED = 130;

export const probeCommand: Command = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...MODEL_OPTIONS,
      ...SANDBOX_OPTION,
      dataset: { type: 'string' },
      problem: { type: 'string' },
      flow: { type: 'string', default: 'implement' },
      slot: { type: 'string' },
      n: { type: 'string', default: '20' },
      temperature: { type: 'string', default: '0.8' },
      'seed-base': { type: 'string', default: '1' },
      'n-probs': { type: 'string' },
      'timeout-ms': { type: 'string' },
      session: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.dataset || !values.problem) throw new UserError(`probe needs --dataset and --problem: ${PROBE_USAGE}`);
  const flow = getFlow(values.flow!);
  const slot = values.slot ?? flow.slots[0];
  checkSlot(flow, slot);
  const n = numberOption(values.n, '--n', (x) => Number.isInteger(x) && x >= 1, 'an integer ≥ 1')!;
  const temperatures = values.temperature!.split(',').map((t) => numberOption(t.trim(), '--temperature', (x) => x >= 0, 'a number ≥ 0 (or a list: 0.2,0.6,1.0)')!);
  const seedBase = numberOption(values['seed-base'], '--seed-base', (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0')!;
  const nProbs = numberOption(values['n-probs'], '--n-probs', (x) => Number.isInteger(x) && x >= 0, 'an integer ≥ 0');
  const timeoutMs = timeoutOption(values['timeout-ms']);

  const progressOut = values.json ? io.stderr : io.stdout;
  const task = await loadTask(resolve(io.cwd, values.dataset), values.problem);
  const wiring = await wireModels(values, io.cwd, (m) => progressOut.write(`${m}\n`));
  const model = wiring.models.get(wiring.modelName);
  await requireHealthy(model);
  const parallel = probeParallelism(model, await model.info(), wiring.config.models[wiring.modelName]?.maxParallel);
  const tools = await wireTools(values, wiring.config.gate);
  const sampling = { ...wiring.sampling, ...(nProbs !== undefined ? { n_probs: nProbs } : {}) };

  const sessionId = newSessionId(task.ref.id);
  const path = values.session ? resolve(io.cwd, values.session) : resolve(sessionsDir(io.cwd), `${sessionId}.jsonl`);
  const plan: ProbePlan = {
    sessionId,
    slotbenchVersion: SLOTBENCH_VERSION,
    flow,
    task,
    slot,
    model: wiring.modelName,
    sampling,
    temperatures,
    n,
    seedBase,
    parallel,
    gateTimeoutMs: timeoutMs ?? wiring.gateTimeoutMs,
    ...(wiring.label ? { label: wiring.label } : {}),
  };
  const runner = new ProbeRunner({ models: wiring.models, ...tools }, plan);
  const ascii = asciiOnly(io.env);
  const recorder = openRecorder(path, io.cwd);
  const state = initialRunState();
  const progress = probeProgress(progressOut, state, n * temperatures.length, ascii);
  runner.on(recorder.onEvent);
  runner.on(progress.listener);
  progressOut.write(
    `probe ${slot} on ${task.ref.id} with ${wiring.modelName}${wiring.label ? ` [${wiring.label}]` : ''}: ` +
      `${n} samples at T=${temperatures.join(', ')}, ${parallel} at a time\n`,
  );

  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted) {
      flushAllSessions();
      process.exit(INTERRUPTED);
    }
    interrupted = true;
    progressOut.write('\ninterrupted: stopping the running samples (Ctrl-C again quits at once)\n');
    runner.abort('interrupted (Ctrl-C)');
  };
  process.on('SIGINT', onInterrupt);
  try {
    await runner.run();
  } finally {
    process.off('SIGINT', onInterrupt);
    progress.done();
    await recorder.close();
  }

  const results = probeResults(state, tools.parser, slot);
  if (values.json) {
    io.stdout.write(JSON.stringify({ session: path, sessionId, flow: flow.name, slot, problem: task.ref.id, model: wiring.modelName,
      label: wiring.label ?? null, n, seedBase, parallel, stopped: runner.stopReason ?? null, intervalMethod: INTERVAL_METHOD, results }) + '\n');
  } else {
    io.stdout.write(['', ...report(results, runner.stopReason, io, ascii)].join('\n') + '\n');
  }
  progressOut.write(`session: ${path}\n`);
  if (interrupted) return INTERRUPTED;
  return runner.stopReason !== undefined ? 1 : 0;
};

/** Block characters need a UTF-8 locale; without one, bars are drawn in ASCII. */
function asciiOnly(env: NodeJS.ProcessEnv): boolean {
  return !/utf-?8/i.test(env.LC_ALL || env.LC_CTYPE || env.LANG || '');
}

function report(results: ProbeResult[], stopped: string | undefined, io: CliIo, ascii: boolean): string[] {
  const cols = io.stdout.isTTY ? (io.stdout.columns ?? 80) : 100;
  const lines = results.flatMap((r, i) => [...(i > 0 ? [''] : []), ...renderProbe(r, { cols, rows: Infinity, ascii })]);
  if (results.length > 1) lines.push('', ...renderProbeComparison(results, { cols, rows: Infinity }));
  lines.push('', `intervals: ${INTERVAL_METHOD}`);
  if (stopped) lines.push(`stopped early: ${stopped}`);
  return lines;
}
