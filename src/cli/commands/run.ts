// `slotbench run`: one flow on one problem, headless; live progress, a recorded session, a verdict, an exit code.

import { resolve } from 'node:path';
import { LIMITS } from '../../core/limits.js';
import { UserError } from '../../core/errors.js';
import type { SlotbenchEvent } from '../../core/events.js';
import { resolveFlowOptions } from '../../core/flow.js';
import { getFlow } from '../../flows/index.js';
import type { ResultRow } from '../../runner/result-row.js';
import { runTask } from '../../runner/task-run.js';
import { determinismReport, formatDeterminismReport } from '../../session/determinism.js';
import { newSessionId, sessionsDir } from '../../session/paths.js';
import type { SessionLike } from '../../session/recorded.js';
import { initialRunState } from '../../state/run-state.js';
import { loadTask } from '../../tools/datasets.js';
import { oneSafeLine, safeJson } from '../../text/sanitize.js';
import { RUN_SPEC } from '../command-specs.js';
import { runExitCode } from '../exit-codes.js';
import { interruptScope } from '../interrupts.js';
import type { Command } from '../io.js';
import { parseCommand } from '../options.js';
import { plainProgress, progressPrinter } from '../plain-progress.js';
import { numberOption } from '../numbers.js';
import { datasetPath, flowOptions, requireHealthy, runSettings, timeoutOption, wireModels, wireTools } from '../wiring.js';

export const runCommand: Command = async (argv, io) => {
  const { values } = parseCommand(RUN_SPEC, argv);
  const flow = getFlow(values.flow ?? 'implement');
  const repeat = numberOption(values.repeat, '--repeat', LIMITS.repeat) ?? 1;
  const timeoutMs = timeoutOption(values['timeout-ms']);

  const progressOut = values.json ? io.stderr : io.stdout;
  const wiring = await wireModels(values, io.cwd, progressPrinter(progressOut));
  const task = await loadTask(datasetPath(values.dataset!, wiring.config, io.cwd), values.problem!);
  await requireHealthy(wiring.models.get(wiring.modelName));
  const tools = await wireTools(values, wiring.config.gate);
  const flowOpts = flowOptions(values['flow-opt']);
  if (flowOpts.attempts !== undefined && values.attempts !== undefined && flowOpts.attempts !== values.attempts) {
    throw new UserError(`--attempts ${values.attempts} and --flow-opt attempts=${flowOpts.attempts} disagree: give one`, 'usage');
  }
  const { sampling, attempts } = runSettings({ ...values, attempts: values.attempts ?? flowOpts.attempts }, wiring.sampling);
  resolveFlowOptions(flow, flowOpts.options);

  const interrupt = interruptScope();
  const rows: ResultRow[] = [];
  const recorded: SessionLike[] = [];
  try {
    for (let i = 0; i < repeat && !interrupt.signal.aborted; i++) {
      if (repeat > 1) progressOut.write(`run ${i + 1} of ${repeat}\n`);
      const sessionId = newSessionId(task.ref.id);
      const path = values.session ? numbered(resolve(io.cwd, values.session), i, repeat) : resolve(sessionsDir(io.cwd), `${sessionId}.jsonl`);
      const events: SlotbenchEvent[] = [];
      const row = await runTask({
        task,
        flow,
        flowOptions: flowOpts.options,
        models: wiring.models,
        model: wiring.modelName,
        sampling,
        attempts,
        gateTimeoutMs: timeoutMs ?? wiring.gateTimeoutMs,
        tools,
        record: { path, cwd: io.cwd },
        sessionId,
        label: wiring.label,
        sinks: [plainProgress(progressOut, initialRunState()), ...(repeat > 1 ? [(e: SlotbenchEvent) => events.push(e)] : [])],
        onTrouble: (message) => io.stderr.write(`slotbench: ${oneSafeLine(message)}\n`),
        signal: interrupt.signal,
      });
      progressOut.write(`session: ${path}${row.unrecorded ? ' (incomplete: see above)' : ''}\n`);
      rows.push(row);
      if (repeat > 1) recorded.push({ header: events[0] as SessionLike['header'], events, path });
    }
  } finally {
    interrupt.dispose();
  }

  const determinism = repeat > 1 && rows.length > 1 ? determinismReport(recorded) : undefined;
  if (determinism) for (const line of formatDeterminismReport(determinism)) progressOut.write(`${line}\n`);
  if (values.json) io.stdout.write(safeJson(repeat > 1 ? { runs: rows, ...(determinism ? { determinism } : {}) } : rows[0]) + '\n');
  return runExitCode(rows);
};

/** `--session out.jsonl --repeat 3` → out-1.jsonl, out-2.jsonl, out-3.jsonl. */
function numbered(path: string, index: number, count: number): string {
  return count > 1 ? path.replace(/(\.jsonl)?$/, `-${index + 1}.jsonl`) : path;
}
