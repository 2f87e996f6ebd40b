// The workbench's resumed runs (tui --resume, R in a replay, :resume): live feeds that pause where the recording stops.

import type { CodeParser, GatePort } from '../core/ports.js';
import { resumedRun } from '../runner/resume.js';
import { prepareRun } from '../runner/task-run.js';
import { newSessionId } from '../session/paths.js';
import type { Feed } from '../ui/common/contracts.js';
import { engineFeed } from '../ui/engine-feed.js';
import { liveModelName, loadResume } from './resume-source.js';
import type { ModelChoice, Wiring } from './wiring.js';

export interface ResumeFeedDeps {
  wiring: Wiring;
  /** The model options given on the command line (they choose the live model over the recorded one). */
  choice: ModelChoice;
  tools: () => Promise<{ gate: GatePort; parser: CodeParser }>;
  /** Where session ids are looked up. */
  sessionsDir: string;
  cwd: string;
  gateTimeoutMs: number;
  /** The file the new session is written to. */
  sessionFile: (sessionId: string) => string;
}

/** Opens a session resumed live: recorded answers replay at once, then the engine pauses before the model is asked. */
export function resumeOpener(deps: ResumeFeedDeps): (session: string) => Promise<Feed> {
  return async (session) => {
    const { source, plan, task, flow } = await loadResume({ session }, deps.wiring.config, deps.cwd, deps.sessionsDir);
    const model = liveModelName(source, deps.wiring, deps.choice);
    const sessionId = newSessionId(task.ref.id);
    const run = prepareRun(
      resumedRun(source, plan, {
        task,
        flow,
        pause: true,
        models: deps.wiring.models,
        model,
        ...(deps.wiring.label && model === deps.wiring.modelName ? { label: deps.wiring.label } : {}),
        gateTimeoutMs: deps.gateTimeoutMs,
        tools: await deps.tools(),
        record: { path: deps.sessionFile(sessionId), cwd: deps.cwd },
        sessionId,
      }),
    );
    const dataset = task.ref.kind === 'dataset' ? task.ref.dataset : '';
    return engineFeed({ run, models: deps.wiring.models, problem: { dataset, id: task.ref.id }, slotNames: flow.slots });
  };
}
