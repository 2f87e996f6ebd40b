// `slotbench probe`: ask one slot N times per temperature, gate every sample, show the outcome distribution.

import { resolve } from 'node:path';
import { LIMITS } from '../../core/limits.js';
import { getFlow } from '../../flows/index.js';
import { checkSlot, probeParallelism, type ProbePlan } from '../../probe/plan.js';
import { probeProgress } from '../probe-progress.js';
import { probeResults } from '../../probe/result.js';
import { ProbeRunner } from '../../probe/runner.js';
import { INTERVAL_METHOD } from '../../probe/stats.js';
import type { ProbeResult } from '../../probe/types.js';
import { openRecorder } from '../../session/recorder.js';
import { newSessionId, sessionsDir } from '../../session/paths.js';
import { initialRunState } from '../../state/run-state.js';
import { loadTask } from '../../tools/datasets.js';
import { renderProbeComparison } from '../../ui/panes/probe-compare.js';
import { renderProbe } from '../../ui/panes/probe-pane.js';
import { SLOTBENCH_VERSION } from '../../version.js';
import { PROBE_SPEC } from '../command-specs.js';
import { NOT_JUDGED_EXIT } from '../exit-codes.js';
import { INTERRUPTED_EXIT, interruptScope } from '../interrupts.js';
import { oneSafeLine, safeJson } from '../../text/sanitize.js';
import type { CliIo, Command } from '../io.js';
import { parseCommand } from '../options.js';
import { numberOption } from '../numbers.js';
import { datasetPath, requireHealthy, timeoutOption, wireModels, wireTools } from '../wiring.js';

export const probeCommand: Command = async (argv, io) => {
  const { values } = parseCommand(PROBE_SPEC, argv);
  const flow = getFlow(values.flow ?? 'implement');
  const slot = values.slot ?? flow.slots[0];
  checkSlot(flow, slot);
  const n = numberOption(values.n ?? '20', '--n', LIMITS.samples)!;
  const temperatures = (values.temperature ?? '0.8').split(',').map((t) => numberOption(t.trim(), '--temperature (each of a list such as 0.2,0.6,1.0)', LIMITS.temperature)!);
  const seedBase = numberOption(values['seed-base'] ?? '1', '--seed-base', LIMITS.seed)!;
  const nProbs = numberOption(values['n-probs'], '--n-probs', LIMITS.nProbs);
  const timeoutMs = timeoutOption(values['timeout-ms']);

  const progressOut = values.json ? io.stderr : io.stdout;
  const wiring = await wireModels(values, io.cwd, (m) => progressOut.write(`${m}\n`));
  const task = await loadTask(datasetPath(values.dataset!, wiring.config, io.cwd), values.problem!);
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
  recorder.onTrouble((message) => io.stderr.write(`slotbench: ${oneSafeLine(message)}\n`));
  runner.on(recorder.onEvent);
  runner.on(progress.listener);
  progressOut.write(
    `probe ${slot} on ${task.ref.id} with ${wiring.modelName}${wiring.label ? ` [${wiring.label}]` : ''}: ` +
      `${n} samples at T=${temperatures.join(', ')}, ${parallel} at a time\n`,
  );

  const interrupt = interruptScope();
  const onInterrupt = () => {
    progressOut.write(`\n${String(interrupt.signal.reason)}: stopping the running samples (once more quits at once)\n`);
    runner.abort(String(interrupt.signal.reason));
  };
  interrupt.signal.addEventListener('abort', onInterrupt, { once: true });
  try {
    await runner.run();
  } finally {
    interrupt.dispose();
    progress.done();
    await recorder.close();
  }

  const results = probeResults(state, tools.parser, slot);
  if (values.json) {
    io.stdout.write(safeJson({ session: path, sessionId, flow: flow.name, slot, problem: task.ref.id, model: wiring.modelName,
      label: wiring.label ?? null, n, seedBase, parallel, stopped: runner.stopReason ?? null, intervalMethod: INTERVAL_METHOD, results }) + '\n');
  } else {
    io.stdout.write(['', ...report(results, runner.stopReason, io, ascii)].join('\n') + '\n');
  }
  progressOut.write(`session: ${path}\n`);
  if (interrupt.signal.aborted) return INTERRUPTED_EXIT;
  return runner.stopReason !== undefined ? NOT_JUDGED_EXIT : 0;
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
