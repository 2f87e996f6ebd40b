// `slotbench tui` (and bare `slotbench`): the workbench on a problem, paused before the first slot, or the welcome screen.

import { dirname, join, resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import { resolveFlowOptions, type FlowDefinition } from '../../core/flow.js';
import { getFlow } from '../../flows/index.js';
import { evalMode } from '../../ui/controllers/eval-command.js';
import { probeLineCommand } from '../../ui/controllers/probe-command.js';
import { readSummaries } from '../../session/index-store.js';
import { newSessionId, sessionsDir } from '../../session/paths.js';
import { readSession } from '../../session/reader.js';
import { prepareRun } from '../../runner/task-run.js';
import { loadTask } from '../../tools/datasets.js';
import { engineFeed } from '../../ui/engine-feed.js';
import { emptyFeed } from '../../ui/feed.js';
import { type Feed } from '../../ui/common/contracts.js';
import { modelHealth } from '../../ui/model-health.js';
import { replayFeed } from '../../ui/replay-feed.js';
import { chooseThemeName, loadTheme, themeNames } from '../../ui/common/theme.js';
import { openWorkbench } from '../../ui/workbench.js';
import { TUI_SPEC } from '../command-specs.js';
import { INTERRUPTED_EXIT, interruptScope } from '../interrupts.js';
import type { Command } from '../io.js';
import { parseCommand } from '../options.js';
import { datasetPath, flowOptions, runSettings, wireModels, wireTools } from '../wiring.js';
import { demoOpener } from '../demo-feed.js';
import { problemSource } from '../problem-source.js';
import { DEMO_KEY } from '../../ui/controllers/demo-key.js';
import { resumeControls } from '../../ui/controllers/resume-command.js';
import { resumeOpener } from '../resume-feed.js';

export const tuiCommand: Command = async (argv, io) => {
  const { values } = parseCommand(TUI_SPEC, argv);
  if (!io.stdout.isTTY) throw new UserError('the workbench needs a terminal (stdout is not one): use `slotbench run` for headless runs');
  if ((values.problem === undefined) !== (values.dataset === undefined)) throw new UserError('tui needs --dataset and --problem together (or neither, for the welcome screen)', 'usage');
  if (values.resume !== undefined && values.problem !== undefined) throw new UserError('tui takes --resume SESSION or --dataset/--problem, not both', 'usage');
  const flow: FlowDefinition = getFlow(values.flow ?? 'implement');

  // Everything that can fail on bad input fails here, before the screen opens, as one line.
  const wiring = await wireModels(values, io.cwd);
  const theme = await loadTheme(chooseThemeName(values.theme, wiring.config.theme, io.env), io.cwd);
  // The gate and parser take ~2 s to set up (python lookup, grammar load): only a problem needs them.
  let tools: ReturnType<typeof wireTools> | undefined;
  const lazyTools = () => (tools ??= wireTools(values, wiring.config.gate));
  const flowOpts = flowOptions(values['flow-opt']);
  const { sampling, attempts } = runSettings({ ...values, attempts: values.attempts ?? flowOpts.attempts }, wiring.sampling);
  resolveFlowOptions(flow, flowOpts.options);

  const firstSession = values.session ? resolve(io.cwd, values.session) : undefined;
  const sessionDir = firstSession ? dirname(firstSession) : sessionsDir(io.cwd);
  let opened = 0;
  const sessions: string[] = [];
  // --session names the first session this workbench writes; the rest go beside it.
  const sessionFile = (sessionId: string) => {
    const file = opened++ === 0 && firstSession ? firstSession : join(sessionDir, `${sessionId}.jsonl`);
    sessions.push(file);
    return file;
  };

  const openProblem = async (dataset: string, id: string, current?: Feed): Promise<Feed> => {
    const path = datasetPath(dataset, wiring.config, io.cwd);
    const task = await loadTask(path, id);
    // The settings in force carry over to the next problem, as a person would expect.
    const settings = current?.controls.settings?.() ?? { model: wiring.modelName, sampling, attempts };
    const sessionId = newSessionId(task.ref.id);
    const file = sessionFile(sessionId);
    const run = prepareRun({
      task,
      flow,
      flowOptions: flowOpts.options,
      models: wiring.models,
      model: settings.model,
      sampling: settings.sampling,
      attempts: settings.attempts,
      gateTimeoutMs: wiring.gateTimeoutMs,
      tools: await lazyTools(),
      record: { path: file, cwd: io.cwd },
      sessionId,
      pauseAtStart: true,
      ...(wiring.label && settings.model === wiring.modelName ? { label: wiring.label } : {}),
    });
    return engineFeed({ run, models: wiring.models, problem: { dataset: path, id: task.ref.id }, slotNames: flow.slots });
  };

  const openResumed = resumeOpener({ wiring, choice: values, tools: lazyTools, sessionsDir: sessionsDir(io.cwd), cwd: io.cwd, gateTimeoutMs: wiring.gateTimeoutMs, sessionFile });
  const resume = resumeControls(openResumed);
  const startModel = wiring.models.get(wiring.modelName);
  const welcome = () => emptyFeed(() => modelHealth(startModel), wiring.models.names());
  const feed = values.resume !== undefined ? await openResumed(values.resume) : values.problem ? await openProblem(values.dataset!, values.problem) : welcome();
  const readRecent = () =>
    readSummaries(sessionsDir(io.cwd))
      .then((rows) => [...rows].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 20))
      .catch(() => []);
  const recent = await readRecent();

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
  const evals = evalMode();
  const demo = demoOpener({ flow, tools: lazyTools, sessionDir, cwd: io.cwd, gateTimeoutMs: wiring.gateTimeoutMs, sessions });
  const workbench = openWorkbench({
    feed,
    theme,
    env: io.env,
    cwd: io.cwd,
    modelName: wiring.modelName,
    openProblem,
    openDemo: demo.open,
    problems: problemSource(wiring.config, io.cwd, sessionsDir(io.cwd)),
    openSession: async (file) => replayFeed(await readSession(resolve(sessionsDir(io.cwd), file))),
    recentSessions: recent,
    readRecentSessions: readRecent,
    sessionsDir: sessionsDir(io.cwd),
    recording: () => probe.recording(),
    datasets: Object.keys(wiring.config.datasets),
    themeNames: await themeNames(),
    commands: [probe, evals.command, resume.command],
    keys: [...evals.keys, DEMO_KEY, resume.key],
  });
  // SIGTERM or a hang-up quits like `q`: the abort is recorded, the terminal restored.
  const interrupt = interruptScope();
  let interrupted = false;
  interrupt.signal.addEventListener('abort', () => {
    interrupted = true;
    void workbench.close(String(interrupt.signal.reason));
  });
  const code = await workbench.done.finally(() => interrupt.dispose());
  await demo.close();
  for (const file of sessions) io.stdout.write(`session: ${file}\n`);
  return interrupted ? INTERRUPTED_EXIT : code;
};
