// A script check as two processes: the trusted judge runs the tests and calls the candidate, loaded in a worker.

import { setTimeout as delay } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { ScriptCheck } from '../../core/task.js';
import type { CgroupEvidence } from './cgroup.js';
import { frame, FrameReader } from './control.js';
import { spawnGroup, watchdog, type Group, type ProcessExit } from './run-process.js';
import { pythonArgv, testEnv, wrap, type GateRuntime } from './runtime.js';
import { TailBuffer } from './tail-buffer.js';

/** The name both processes give the candidate module and the tests: the one-program gate's file, kept virtual. */
export const PROGRAM_FILE = 'program.py';

/** What the judge reported on its control channel, when it did. */
export interface JudgeReport {
  /** The tests ran to their end, every check passed, and the candidate's process never went missing. */
  ok: boolean;
  /** The limit a failure points at, from the candidate's exceptions (`memory`, `disk`, `processes`). */
  limit?: string;
  /** The candidate's process ended (`ended`) or broke the protocol (`protocol`) while the judge still needed it. */
  lost?: 'ended' | 'protocol';
}

/** Everything a script check run produced, for the verdict. */
export interface ScriptOutcome {
  command: string[];
  judgeExit: ProcessExit;
  workerExit?: ProcessExit;
  /** The worker ended on its own while the judge needed it (not killed by us after the tests). */
  workerEndedFirst: boolean;
  report?: JudgeReport;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  stdoutTail: string;
  stderrTail: string;
  cgroup?: CgroupEvidence;
}

/** One script check run: the set-up, the workspace, the check, the limits. */
export interface ScriptRun {
  runtime: GateRuntime;
  /** Host dir holding the workspace files (the worker's cwd, read-only to it). */
  workDir: string;
  check: ScriptCheck;
  /** The candidate module's text, for the judge's view of the virtual program.py in tracebacks. */
  moduleText: string;
  timeoutMs: number;
  cpuSeconds: number;
  signal?: AbortSignal;
  /** Files whose writing moves a process into the run's cgroup (the worker's: see runScriptCheck). */
  joinFiles: string[];
}

// How long a worker the judge saw end may take to be reaped before it is killed (its own end is then unknown).
const WORKER_GRACE_MS = 1000;

// The judge's report is a few hundred bytes; anything near this is not the judge.
const MAX_REPORT_BYTES = 1 << 20;

/**
 * Start the judge and the worker at once, each in its own sandbox and process group, joined by a socketpair that
 * Node creates as the judge's fd 3 and hands to the worker as its fd 3; Node keeps no end of it. The judge's fd 4
 * carries the job in and the report out, with a nonce only this run knows.
 */
export async function runScriptCheck(run: ScriptRun): Promise<ScriptOutcome> {
  const { runtime, workDir, check } = run;
  const nonce = randomBytes(16).toString('hex');
  const program = `${workDir}/${PROGRAM_FILE}`;
  // Only the candidate's side joins the run's cgroup: its memory and process bombs then cannot take the judge down
  // with them (the OOM killer picks within the group), and the judge, which starts nothing, keeps its rlimits.
  const judgeArgv = wrap(runtime, pythonArgv(runtime, 'judge.py'), { binds: [], chdir: runtime.sandbox ? '/tmp' : workDir }, run.cpuSeconds);
  const workerArgv = wrap(
    runtime,
    pythonArgv(runtime, 'worker.py', [check.module, program]),
    { binds: [{ path: workDir, writable: false }], chdir: workDir },
    run.cpuSeconds,
    run.joinFiles,
  );
  const stdout = new TailBuffer(runtime.outputCapBytes);
  const stderr = new TailBuffer(runtime.outputCapBytes);
  const started = performance.now();
  const judge = spawnGroup(judgeArgv, { cwd: workDir, env: testEnv(runtime.env, runtime.sandbox ? '/tmp' : workDir), extraStdio: ['pipe', 'pipe'], stdout, stderr });
  const channel = judge.child.stdio[3] as Socket | null;
  const control = judge.child.stdio[4] as Socket | null;
  let worker: Group | undefined;
  if (channel) {
    channel.on('error', () => undefined);
    worker = spawnGroup(workerArgv, { cwd: workDir, env: testEnv(runtime.env, workDir), extraStdio: [channel], stdout, stderr });
    channel.destroy();
  }
  const reports = new FrameReader(MAX_REPORT_BYTES);
  control?.on('error', () => undefined);
  control?.on('data', (chunk: Buffer) => reports.push(chunk));
  const job = { nonce, program, module: run.moduleText, prelude: check.prelude ?? '', tests: check.tests, testsLine: testsLine(run.moduleText), bind: check.bind, bindAll: check.bindAll ?? false };
  control?.write(frame(job));

  const groups = worker ? [judge, worker] : [judge];
  const watch = watchdog(groups, run.timeoutMs, run.signal);
  try {
    let workerDone = false;
    worker?.exit.then(() => (workerDone = true), () => undefined);
    const judgeExit = await judge.exit;
    // The judge saw the worker go: give its sandbox a moment to report how it ended, so the signal read is the
    // worker's own and not the SIGKILL below (under load bwrap's teardown can lag the judge's exit).
    if (worker && reportOf(reports.messages[0], nonce)?.lost === 'ended') await Promise.race([worker.exit.catch(() => undefined), delay(WORKER_GRACE_MS)]);
    const killedWorker = worker !== undefined && !workerDone;
    worker?.kill();
    const workerExit = worker ? await worker.exit : undefined;
    await Promise.all(groups.map((group) => group.closed));
    const report = reportOf(reports.messages[0], nonce);
    return {
      command: [...judgeArgv, '<->', ...workerArgv],
      judgeExit,
      workerExit,
      workerEndedFirst: workerExit !== undefined && !killedWorker && (report?.lost === 'ended' || workerExit.at < judgeExit.at),
      report,
      timedOut: watch.timedOut(),
      aborted: watch.aborted(),
      durationMs: judgeExit.at - started,
      stdoutTail: stdout.text(),
      stderrTail: stderr.text(),
    };
  } finally {
    watch.stop();
    groups.forEach((group) => group.kill());
  }
}

/** The line of the virtual program.py where the tests start: after the module and two blank lines, as the shim had. */
export function testsLine(moduleText: string): number {
  return moduleText.trimEnd().split('\n').length + 3;
}

/** The judge's report, if it is one and carries this run's nonce. */
function reportOf(message: unknown, nonce: string): JudgeReport | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { done, ok, limit, lost } = message as { done?: unknown; ok?: unknown; limit?: unknown; lost?: unknown };
  if (done !== nonce || typeof ok !== 'boolean') return undefined;
  return { ok, ...(lost === 'ended' || lost === 'protocol' ? { lost } : {}), ...(typeof limit === 'string' ? { limit } : {}) };
}
