// Runs an eval: every selected problem × repeat through the one runner, a bounded pool wide, errors retried, rows appended.

import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FlowDefinition } from '../core/flow.js';
import type { CodeParser, GatePort, ModelRegistry } from '../core/ports.js';
import type { Sampling } from '../core/sampling.js';
import type { Task } from '../core/task.js';
import { runPool } from '../runner/pool.js';
import type { RunError } from '../runner/result-row.js';
import { runTask } from '../runner/task-run.js';
import { newSessionId } from '../session/paths.js';
import { rowKey, type EvalRow } from './eval-row.js';
import { appendRow, SESSIONS_DIR } from './run-dir.js';
import { splitOf } from './stats/split.js';

/** Everything an eval needs; the command gathers it. */
export interface EvalPlan {
  /** The run directory (created, manifest written). */
  dir: string;
  tasks: Task[];
  repeat: number;
  flow: FlowDefinition;
  flowOptions: Record<string, string>;
  models: ModelRegistry;
  model: string;
  label?: string;
  sampling: Sampling;
  attempts: number;
  gateTimeoutMs: number;
  tools: { gate: GatePort; parser: CodeParser };
  /** Problems run at once (≤ the model's slots). */
  parallel: number;
  /** Rows already recorded (a resume): their problem and repeat are not run again. */
  done?: ReadonlySet<string>;
  /** Runs of one problem that end with nothing judged are retried this many times (default 2). */
  maxRetries?: number;
  /** Wait before retry n (from 1); default 1 s, 3 s, 9 s … */
  retryDelayMs?: (retry: number) => number;
  /** Stops launching and aborts what runs (Ctrl-C): aborted problems get no row, so a resume runs them. */
  signal?: AbortSignal;
  /** Asked after a problem ended with nothing judged: a reason to stop (the model is gone), or undefined. */
  healthCheck?: () => Promise<string | undefined>;
  /** Told of each problem as it starts and of each row as it is written. */
  onStart?: (task: Task, repeat: number) => void;
  onRow?: (row: EvalRow) => void;
}

export interface EvalOutcome {
  /** Rows written by this run (a resume's earlier rows are not included). */
  rows: EvalRow[];
  /** Problem × repeat pairs left without a row (stopped or interrupted); a resume runs them. */
  left: number;
  stopReason?: string;
}

interface Item {
  task: Task;
  repeat: number;
}

export async function runEval(plan: EvalPlan): Promise<EvalOutcome> {
  const items: Item[] = [];
  for (let repeat = 1; repeat <= plan.repeat; repeat++) {
    for (const task of plan.tasks) {
      if (!plan.done?.has(rowKey({ problem: task.ref.id, repeat }))) items.push({ task, repeat });
    }
  }
  const rows: EvalRow[] = [];
  let left = 0;
  const pool = await runPool(
    items,
    async (item) => {
      const row = await runOne(plan, item);
      if (!row) {
        left++;
        return { failedOnModel: false };
      }
      appendRow(plan.dir, row);
      rows.push(row);
      plan.onRow?.(row);
      return { failedOnModel: !row.judged };
    },
    { concurrency: plan.parallel, ...(plan.signal ? { signal: plan.signal } : {}), ...(plan.healthCheck ? { healthCheck: plan.healthCheck } : {}) },
  );
  left += pool.notRun.length;
  return { rows, left, ...(pool.stopReason !== undefined ? { stopReason: pool.stopReason } : {}) };
}

/** One problem × repeat to a row, retrying runs that judged nothing; undefined when it was interrupted. */
async function runOne(plan: EvalPlan, { task, repeat }: Item): Promise<EvalRow | undefined> {
  const retries: RunError[] = [];
  const maxRetries = plan.maxRetries ?? 2;
  const delay = plan.retryDelayMs ?? ((n: number) => 1000 * 3 ** (n - 1));
  for (;;) {
    if (plan.signal?.aborted) return undefined;
    plan.onStart?.(task, repeat);
    const sessionId = newSessionId(task.ref.id);
    const row = await runTask({
      task,
      flow: plan.flow,
      flowOptions: plan.flowOptions,
      models: plan.models,
      model: plan.model,
      sampling: plan.sampling,
      attempts: plan.attempts,
      gateTimeoutMs: plan.gateTimeoutMs,
      tools: plan.tools,
      record: { path: join(plan.dir, SESSIONS_DIR, `${sessionId}.jsonl`), cwd: plan.dir },
      sessionId,
      ...(plan.label ? { label: plan.label } : {}),
      ...(plan.signal ? { signal: plan.signal } : {}),
    });
    if (plan.signal?.aborted && row.verdict === 'aborted') return undefined;
    if (!row.judged && row.error && retries.length < maxRetries && !plan.signal?.aborted) {
      retries.push(row.error);
      await sleep(delay(retries.length), undefined, plan.signal ? { signal: plan.signal } : {}).catch(() => undefined);
      continue;
    }
    return { ...row, split: splitOf(task.ref.id), class: null, repeat, retries };
  }
}
