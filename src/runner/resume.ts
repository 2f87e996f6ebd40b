// Resuming an unfinished session: its recorded answers replayed up to where it stopped, then a live model, one new run.

import { UserError } from '../core/errors.js';
import type { FlowDefinition } from '../core/flow.js';
import type { ModelPort, ModelRegistry } from '../core/ports.js';
import type { Task } from '../core/task.js';
import { ReplayModel } from '../model/replay.js';
import { branchCalls, recordedRun, type SessionLike } from '../session/recorded.js';
import { branchPoints, type OverridesAt } from '../state/branch-points.js';
import { reduceAll } from '../state/run-state.js';
import { decidingBranch } from '../state/selectors.js';
import type { TaskRun } from './task-run.js';
import { plural } from '../text/plural.js';

/** How a recording is resumed: which branch, the path it walked, and where the live model takes over. */
export interface ResumePlan {
  branch: number;
  /** The recorded branch's overrides, for the engine to apply at the same calls. */
  overridesAt: OverridesAt;
  /** The first call the recording does not answer: the workbench pauses there. */
  pauseAtOrdinal: number;
  /** Calls answered from the recording before that. */
  replayedCalls: number;
}

/** Verdicts that end a session without judging it: resuming it asks again what was never answered. */
const RESUMABLE = new Set(['aborted', 'error']);

/**
 * Plan the resumption of `branch` (default: the one that decided the session). Refuses, in one line, a session whose
 * branch was judged (pass, fail, …): there is nothing left to run, only to rerun or branch.
 */
export function planResume(source: SessionLike, branch?: number): ResumePlan {
  const where = source.path ?? `session ${source.header.sessionId}`;
  if (source.header.mode === 'probe') {
    throw new UserError(`${where} is a probe's sample: probes are not resumed; run the probe again`, 'not_resumable');
  }
  const state = reduceAll(source.events);
  const chosen = branch ?? decidingBranch(state);
  if (!state.branches.has(chosen)) {
    throw new UserError(`${where}: no branch ${chosen} (the session has ${[...state.branches.keys()].join(', ')})`, 'no_branch');
  }
  const finished = state.branches.get(chosen)?.finished;
  if (finished && !RESUMABLE.has(finished.verdict)) {
    throw new UserError(
      `nothing to resume: branch ${chosen} of ${where} finished (${finished.verdict}); open it to re-run a slot as a branch, or \`slotbench rerun\` it`,
      'not_resumable',
    );
  }
  const calls = branchCalls(recordedRun(source.events), chosen).sort((a, b) => a.ordinal - b.ordinal);
  const open = calls.find((call) => call.output === undefined || call.error !== undefined);
  const pauseAtOrdinal = open?.ordinal ?? (calls.at(-1)?.ordinal ?? -1) + 1;
  return {
    branch: chosen,
    overridesAt: branchPoints(state, chosen),
    pauseAtOrdinal,
    replayedCalls: calls.filter((call) => call.ordinal < pauseAtOrdinal).length,
  };
}

/** The session's label: what was replayed and who answers after (a test double's own label first). */
export function resumeLabel(source: SessionLike, plan: ResumePlan, liveModel: string, liveLabel?: string): string {
  const calls = plural(plan.replayedCalls, 'recorded call');
  const resumed = `resumed from session ${source.header.sessionId} (branch ${plan.branch}): ${calls} replayed, then live model ${liveModel}`;
  return liveLabel ? `${liveLabel}; ${resumed}` : resumed;
}

/**
 * `models` with `liveModel` answering from the recording first: the engine runs on that name as usual, and a change
 * of model mid-run (`:model`) reaches the registry's own.
 */
export function resumeModels(source: SessionLike, plan: ResumePlan, models: ModelRegistry, liveModel: string): ModelRegistry {
  let resumed: ModelPort | undefined;
  return {
    names: () => models.names(),
    get: (name) =>
      name === liveModel ? (resumed ??= new ReplayModel(source, { branch: plan.branch, fallback: models.get(liveModel), resume: true })) : models.get(name),
  };
}

/** What a resumed run needs besides the recording and its plan: the live side, as any run has it. */
export type ResumeWiring = Pick<TaskRun, 'models' | 'model' | 'label' | 'gateTimeoutMs' | 'tools' | 'record' | 'sessionId' | 'sinks' | 'onTrouble' | 'signal'> & {
  task: Task;
  flow: FlowDefinition;
  /** Pause where the recording stops answering (the workbench); headless runs go straight on. */
  pause: boolean;
};

/** The run that resumes `source`: its flow options, settings and path, its answers replayed, then `wiring.model`. */
export function resumedRun(source: SessionLike, plan: ResumePlan, wiring: ResumeWiring): TaskRun {
  const { task, flow, pause, models, model, label, ...live } = wiring;
  return {
    ...live,
    task,
    flow,
    flowOptions: source.header.flowOptions,
    models: resumeModels(source, plan, models, model),
    model,
    sampling: { ...source.header.sampling },
    attempts: source.header.attempts,
    label: resumeLabel(source, plan, model, label),
    derivedFrom: source.header.sessionId,
    overridesAt: plan.overridesAt,
    ...(pause ? { pauseAtOrdinal: plan.pauseAtOrdinal } : {}),
  };
}
