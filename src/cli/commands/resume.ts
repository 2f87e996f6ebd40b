// `slotbench resume SESSION`: an unfinished session goes on headless, as a new session: recorded answers, then a live model.

import { resolve } from 'node:path';
import { LIMITS } from '../../core/limits.js';
import { loadConfig } from '../../config/config.js';
import { resumedRun } from '../../runner/resume.js';
import { runTask } from '../../runner/task-run.js';
import { newSessionId, sessionsDir } from '../../session/paths.js';
import { initialRunState } from '../../state/run-state.js';
import { oneSafeLine, safeJson } from '../../text/sanitize.js';
import { RESUME_SPEC } from '../command-specs.js';
import { runExitCode } from '../exit-codes.js';
import { interruptScope } from '../interrupts.js';
import { printWarnings, type Command } from '../io.js';
import { numberOption } from '../numbers.js';
import { parseCommand } from '../options.js';
import { plainProgress, progressPrinter } from '../plain-progress.js';
import { liveModelName, loadResume } from '../resume-source.js';
import { requireHealthy, timeoutOption, wireModels, wireTools } from '../wiring.js';
import { plural } from '../../text/plural.js';

export const resumeCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommand(RESUME_SPEC, argv);
  const branch = numberOption(values.branch, '--branch (a branch id)', LIMITS.branch);
  const timeoutMs = timeoutOption(values['timeout-ms']);
  const out = values.json ? io.stderr : io.stdout;
  const config = await loadConfig(io.cwd, values.config);
  const request = { session: positionals[0], ...(branch !== undefined ? { branch } : {}), ...(values.dataset ? { dataset: values.dataset } : {}) };
  const { source, plan, task, flow } = await loadResume(request, config, io.cwd, sessionsDir(io.cwd));
  printWarnings(io, source.warnings);

  const wiring = await wireModels(values, io.cwd, progressPrinter(out));
  const model = liveModelName(source, wiring, values);
  await requireHealthy(wiring.models.get(model));
  const tools = await wireTools(values, wiring.config.gate);
  const sessionId = newSessionId(task.ref.id);
  const path = values.session ? resolve(io.cwd, values.session) : resolve(sessionsDir(io.cwd), `${sessionId}.jsonl`);
  const calls = plural(plan.replayedCalls, 'recorded call');
  out.write(`resuming ${oneSafeLine(source.header.sessionId)} (branch ${plan.branch}): ${calls} replayed, then ${model}\n`);

  const interrupt = interruptScope();
  const row = await runTask(
    resumedRun(source, plan, {
      task,
      flow,
      pause: false,
      models: wiring.models,
      model,
      ...(wiring.label && model === wiring.modelName ? { label: wiring.label } : {}),
      gateTimeoutMs: timeoutMs ?? wiring.gateTimeoutMs,
      tools,
      record: { path, cwd: io.cwd },
      sessionId,
      sinks: [plainProgress(out, initialRunState())],
      onTrouble: (message) => io.stderr.write(`slotbench: ${oneSafeLine(message)}\n`),
      signal: interrupt.signal,
    }),
  ).finally(() => interrupt.dispose());
  out.write(`session: ${path}${row.unrecorded ? ' (incomplete: see above)' : ''}\n`);
  if (values.json) {
    io.stdout.write(safeJson({ ...row, resumedFrom: source.header.sessionId, branch: plan.branch, replayedCalls: plan.replayedCalls }) + '\n');
  }
  return runExitCode([row]);
};
