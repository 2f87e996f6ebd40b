// One test run: a fresh dir and cgroup, the check (script or command) run in them, the verdict, and the clean-up.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isUserError, UserError } from '../../core/errors.js';
import type { TestRunInfo } from '../../core/events.js';
import type { GateInput } from '../../core/ports.js';
import type { CommandCheck, ScriptCheck } from '../../core/task.js';
import { resolvePytestPython } from '../python.js';
import type { TestCgroup } from './cgroup.js';
import { runCommandCheck, testsPassed } from './command-check.js';
import { checkTimeout, cpuSecondsFor } from './limits.js';
import { JOIN_FAILED, limitsRecord, type GateRuntime } from './runtime.js';
import { systemMounts } from './sandbox.js';
import { runScriptCheck } from './script-check.js';
import { endOf, scriptJudgement, trustedLimit } from './verdict.js';
import { materialise, safePath } from './workspace.js';

/** Run `input`'s check once under `runtime`; throws a UserError on abort and on set-up failures (disk full, no pytest). */
export async function runCheck(runtime: GateRuntime, input: GateInput): Promise<TestRunInfo> {
  checkTimeout(input.timeoutMs);
  const runDir = await mkdtemp(join(tmpdir(), 'slotbench-gate-')).catch((error: unknown) => {
    throw setupError('cannot make the test dir', error);
  });
  let cgroup: TestCgroup | undefined;
  try {
    cgroup = runtime.cgroups ? await runtime.cgroups.create(runtime.limits) : undefined;
    const common = { timeoutMs: input.timeoutMs, cpuSeconds: cpuSecondsFor(runtime.limits, input.timeoutMs), signal: input.signal, joinFiles: cgroup?.joinFiles ?? [] };
    const result = input.check.kind === 'script'
      ? await scriptRun(runtime, input, input.check, runDir, common, cgroup)
      : await commandRun(runtime, input, input.check, runDir, common, cgroup);
    return { ...result, sandbox: runtime.sandbox ? 'bwrap' : 'none', judge: input.judge, limits: limitsRecord(runtime, common.cpuSeconds, cgroup !== undefined) };
  } catch (error) {
    // File-system failures (ENOSPC, EACCES) are the machine's state, said in one line; anything else is a bug.
    throw isUserError(error) || typeof (error as NodeJS.ErrnoException).code !== 'string' ? error : setupError('cannot run the test', error);
  } finally {
    await Promise.all([cgroup?.destroy().catch(() => undefined), rm(runDir, { recursive: true, force: true }).catch(() => undefined)]);
  }
}

type Common = { timeoutMs: number; cpuSeconds: number; signal?: AbortSignal; joinFiles: string[] };
type RunResult = Omit<TestRunInfo, 'sandbox' | 'judge' | 'limits'>;

async function scriptRun(runtime: GateRuntime, input: GateInput, check: ScriptCheck, runDir: string, common: Common, cgroup?: TestCgroup): Promise<RunResult> {
  await materialise(input.workspace, runDir).catch((error: unknown) => {
    throw isUserError(error) ? error : setupError('cannot write the test workspace', error);
  });
  const moduleText = await readFile(join(runDir, safePath(check.module)), 'utf8').catch(() => '');
  const outcome = await runScriptCheck({ runtime, workDir: runDir, check, moduleText, ...common });
  if (outcome.aborted) throw aborted();
  const judge = endOf(outcome.judgeExit);
  if (judge.exitCode === JOIN_FAILED && !outcome.report) throw new UserError(`cannot put the test into its cgroup: ${lastLine(outcome.stderrTail)}`, 'gate_cgroup');
  const judgement = scriptJudgement({
    timedOut: outcome.timedOut,
    judge,
    ...(outcome.workerExit ? { worker: endOf(outcome.workerExit) } : {}),
    workerEndedFirst: outcome.workerEndedFirst,
    reportedOk: outcome.report?.ok,
    reportedLimit: outcome.report?.limit,
    cgroup: await cgroup?.evidence(),
  });
  return {
    command: outcome.command,
    ...judgement,
    durationMs: Math.round(outcome.durationMs),
    stdoutTail: outcome.stdoutTail,
    stderrTail: outcome.stderrTail,
  };
}

async function commandRun(runtime: GateRuntime, input: GateInput, check: CommandCheck, runDir: string, common: Common, cgroup?: TestCgroup): Promise<RunResult> {
  const pytest = await resolvePytestPython(runtime.env);
  const sandbox = runtime.sandbox && { ...runtime.sandbox, systemMounts: systemMounts(pytest.dirs) };
  const outcome = await runCommandCheck({ runtime: { ...runtime, python: pytest.executable, sitePackages: pytest.sitePackages, sandbox }, runDir, workspace: input.workspace, check, ...common });
  if (outcome.aborted) throw aborted();
  const end = endOf({ code: outcome.exitCode, signal: outcome.signal, at: 0 });
  const report = outcome.report;
  const tests = report?.tests ?? [];
  const base = { command: outcome.command, durationMs: Math.round(outcome.durationMs), stdoutTail: outcome.stdoutTail, tests };
  const diskHit = outcome.grownBytes > runtime.limits.diskMb * 1024 * 1024;
  const limitHit = trustedLimit(await cgroup?.evidence(), [end.signal]) ?? (diskHit ? 'disk' : undefined);
  if (!limitHit && !outcome.timedOut && end.exitCode === 0 && report?.complete && testsPassed(tests, check)) {
    return { ...base, verdict: 'pass', exitCode: 0, signal: null, stderrTail: outcome.stderrTail };
  }
  const why = !report ? 'no JUnit report was written' : !report.complete ? 'the JUnit report is incomplete' : undefined;
  const stderrTail = why && !outcome.timedOut ? `${outcome.stderrTail}[slotbench] ${why}\n` : outcome.stderrTail;
  const verdict = limitHit ? 'crash' : outcome.timedOut ? 'timeout' : end.signal !== null ? 'crash' : 'fail';
  return { ...base, ...end, verdict, stderrTail, ...(limitHit ? { limitHit } : {}) };
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** A set-up failure (disk full, permissions) as one line naming what failed. */
function setupError(what: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOSPC' ? 'disk full (ENOSPC)' : (code ?? (error as Error).message.split('\n')[0]);
  return new UserError(`${what}: ${why}`, 'gate_setup');
}

function aborted(): UserError {
  return new UserError('test run aborted', 'aborted');
}
