// The welcome screen's live demo: the bundled story model on the embedded engine, on the bundled problem, paused.

import { join } from 'node:path';
import type { FlowDefinition } from '../core/flow.js';
import type { CodeParser, GatePort, ModelPort, ModelRegistry } from '../core/ports.js';
import { createDemoModel, DEMO, DEMO_SAMPLING } from '../model/embedded/demo.js';
import { prepareRun } from '../runner/task-run.js';
import { newSessionId } from '../session/paths.js';
import { loadTask } from '../tools/datasets.js';
import type { Feed } from '../ui/common/contracts.js';
import { engineFeed } from '../ui/engine-feed.js';

export interface DemoDeps {
  flow: FlowDefinition;
  tools: () => Promise<{ gate: GatePort; parser: CodeParser }>;
  sessionDir: string;
  cwd: string;
  gateTimeoutMs: number;
  /** Session files opened, for the line printed at exit. */
  sessions: string[];
}

/** Opens the demo as a live feed (the model loads once, on first use) and releases the model at the end. */
export function demoOpener(deps: DemoDeps): { open: () => Promise<Feed>; close: () => Promise<void> } {
  let model: ModelPort | undefined;
  const models: ModelRegistry = {
    get: () => (model ??= createDemoModel()),
    names: () => [DEMO.modelName],
  };
  return {
    async open() {
      const task = await loadTask(DEMO.dataset, DEMO.problem);
      const sessionId = newSessionId(`demo-${task.ref.id}`);
      const file = join(deps.sessionDir, `${sessionId}.jsonl`);
      const run = prepareRun({
        task,
        flow: deps.flow,
        models,
        model: DEMO.modelName,
        sampling: DEMO_SAMPLING,
        attempts: 1,
        gateTimeoutMs: deps.gateTimeoutMs,
        tools: await deps.tools(),
        record: { path: file, cwd: deps.cwd },
        sessionId,
        pauseAtStart: true,
      });
      deps.sessions.push(file);
      return engineFeed({ run, models, problem: { dataset: DEMO.dataset, id: task.ref.id }, slotNames: deps.flow.slots });
    },
    close: async () => {
      await model?.close?.();
    },
  };
}
