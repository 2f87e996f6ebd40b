// What resuming a session starts from, for the headless command and the workbench alike: the recording, its plan, its task.

import type { Config } from '../config/config.js';
import type { FlowDefinition } from '../core/flow.js';
import type { Task } from '../core/task.js';
import { getFlow } from '../flows/index.js';
import { planResume, type ResumePlan } from '../runner/resume.js';
import { locateSession } from '../session/locate.js';
import { readSession, type LoadedSession } from '../session/reader.js';
import { recordedTask } from './recorded-task.js';
import type { ModelChoice, Wiring } from './wiring.js';

export interface ResumeSource {
  source: LoadedSession;
  plan: ResumePlan;
  task: Task;
  flow: FlowDefinition;
}

export interface ResumeRequest {
  /** Session file, id or unique id prefix. */
  session: string;
  branch?: number;
  /** Stands in for a recorded dataset that moved. */
  dataset?: string;
}

/** Read and check the session to resume; every refusal is one line, before anything runs. */
export async function loadResume(request: ResumeRequest, config: Config, cwd: string, sessionsDir: string): Promise<ResumeSource> {
  const source = await readSession(await locateSession(request.session, cwd, sessionsDir));
  const plan = planResume(source, request.branch);
  const task = await recordedTask(source, request.dataset, config, cwd);
  return { source, plan, task, flow: getFlow(source.header.flow) };
}

/** The model that goes on: the one chosen on the command line, else the recorded one when configured, else the default. */
export function liveModelName(source: LoadedSession, wiring: Wiring, choice: ModelChoice): string {
  if (choice.model !== undefined || choice['model-script'] !== undefined || choice['model-file'] !== undefined) return wiring.modelName;
  const recorded = source.header.model.name;
  return wiring.config.models[recorded] !== undefined ? recorded : wiring.modelName;
}
