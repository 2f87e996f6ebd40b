// `slotbench tui` (and bare `slotbench`): the workbench on a problem, paused before the first slot, or the welcome screen.

import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../../core/errors.js';
import { FlowEngine } from '../../core/engine.js';
import type { FlowDefinition } from '../../core/flow.js';
import { getFlow } from '../../flows/index.js';
import { probeLineCommand } from '../../probe/line-command.js';
import { readSummaries } from '../../session/index-store.js';
import { newSessionId, sessionsDir } from '../../session/paths.js';
import { readSession } from '../../session/reader.js';
import { openRecorder } from '../../session/recorder.js';
import { loadTask } from '../../tools/datasets.js';
import { engineFeed } from '../../ui/engine-feed.js';
import { emptyFeed, type Feed } from '../../ui/feed.js';
import { modelHealth } from '../../ui/model-health.js';
import { replayFeed } from '../../ui/replay-feed.js';
import { chooseThemeName, loadTheme, themeNames } from '../../ui/theme.js';
import { openWorkbench } from '../../ui/workbench.js';
import { SLOTBENCH_VERSION } from '../../version.js';
import type { Command } from '../io.js';
import { RUN_OPTIONS, runSettings, wireModels, wireTools, type Wiring } from '../wiring.js';

export const TUI_USAGE =
  'slotbench tui [--dataset PATH|NAME --problem ID] [--flow implement] [--model NAME | --model-script FILE | --model-file FILE.gguf] ' +
  '[--theme NAME] [--session PATH] [--config PATH] [--temperature T] [--seed N] [--attempts N] [--n-probs N] [--sandbox bwrap|none]';

/** A configured dataset name, else a path relative to the working directory. */
function datasetPath(value: string, wiring: Wiring, cwd: string): string {
  return wiring.config.datasets[value] ?? resolve(cwd, value);
}

export const tuiCommand: Command = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: { ...RUN_OPTIONS, theme: { type: 'string' } },
    strict: true,
  });
  if (!io.stdout.isTTY) throw new UserError('the workbench needs a terminal (stdout is not one): use `slotbench run` for headless runs');
  if ((values.problem === undefined) !== (values.dataset === undefined)) throw new UserError(`tui needs --dataset and --problem together: ${TUI_USAGE}`);
  const flow: FlowDefinition = getFlow(values.flow!);

  // Everything that can fail on bad input fails here, before the screen opens, as one line.
  const wiring = await wireModels(values, io.cwd);
  const theme = await loadTheme(chooseThemeName(values.theme, wiring.config.theme, io.env), io.cwd);
  // The gate and parser take ~2 s to set up (python lookup, grammar load): only a problem needs them.
  let tools: ReturnType<typeof wireTools> | undefined;
  const lazyTools = () => (tools ??= wireTools(values, wiring.config.gate));
  const { sampling, attempts } = runSettings(values, wiring.sampling);

  const firstSession = values.session ? resolve(io.cwd, values.session) : undefined;
  const sessionDir = firstSession ? dirname(firstSession) : sessionsDir(io.cwd);
  let opened = 0;
  const sessions: string[] = [];

  const openProblem = async (dataset: string, id: string, current?: Feed): Promise<Feed> => {
    const path = datasetPath(dataset, wiring, io.cwd);
    const task = await loadTask(path, id);
    // The settings in force carry over to the next problem, as a person would expect.
    const settings = current?.controls.settings?.() ?? { model: wiring.modelName, sampling, attempts };
    const sessionId = newSessionId(task.ref.id);
    const file = opened++ === 0 && firstSession ? firstSession : join(sessionDir, `${sessionId}.jsonl`);
    const engine = new FlowEngine(
      { models: wiring.models, ...(await lazyTools()) },
      {
        sessionId,
        slotbenchVersion: SLOTBENCH_VERSION,
        flow,
        task,
        model: settings.model,
        sampling: settings.sampling,
        attempts: settings.attempts,
        gateTimeoutMs: wiring.gateTimeoutMs,
        pauseAtStart: true,
        ...(wiring.label && settings.model === wiring.modelName ? { label: wiring.label } : {}),
      },
    );
    const recorder = openRecorder(file, io.cwd);
    sessions.push(file);
    return engineFeed({ engine, recorder, models: wiring.models, problem: { dataset: path, id: task.ref.id }, slotNames: flow.slots });
  };

  const startModel = wiring.models.get(wiring.modelName);
  const feed = values.problem
    ? await openProblem(values.dataset!, values.problem)
    : emptyFeed(() => modelHealth(startModel), wiring.models.names());
  const recent = await readSummaries(sessionsDir(io.cwd))
    .then((rows) => [...rows].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 20))
    .catch(() => []);

  const probe = probeLineCommand({
    flow,
    models: wiring.models,
    tools: lazyTools,
    configuredParallel: (model) => wiring.config.models[model]?.maxParallel,
    gateTimeoutMs: wiring.gateTimeoutMs,
    sessionDir,
    cwd: io.cwd,
    ...(wiring.label ? { label: wiring.label } : {}),
  });
  const workbench = openWorkbench({
    feed,
    theme,
    env: io.env,
    cwd: io.cwd,
    modelName: wiring.modelName,
    openProblem,
    openSession: async (file) => replayFeed(await readSession(resolve(sessionsDir(io.cwd), file))),
    recentSessions: recent,
    sessionsDir: sessionsDir(io.cwd),
    recording: () => probe.recording(),
    datasets: Object.keys(wiring.config.datasets),
    themeNames: await themeNames(),
    commands: [probe],
  });
  const code = await workbench.done;
  for (const file of sessions) io.stdout.write(`session: ${file}\n`);
  return code;
};
