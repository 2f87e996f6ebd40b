// A command check: argv (pytest) run from the workspace root with the hidden tests added, judged test by test.

import { mkdir, readFile, readdir, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestOutcome } from '../../core/events.js';
import type { CommandCheck } from '../../core/task.js';
import type { Workspace } from '../../core/ports.js';
import { parseJunit, type JunitReport } from './junit.js';
import { runProcessGroup, type ProcessOutcome } from './run-process.js';
import { testEnv, wrap, type GateRuntime } from './runtime.js';
import { materialise } from './workspace.js';

/** One command check run: where, against what, under which limits. */
export interface CommandRun {
  runtime: GateRuntime;
  /** A fresh, empty host dir: the workspace goes in `ws/`, the report in `out/`. */
  runDir: string;
  workspace: Workspace;
  check: CommandCheck;
  timeoutMs: number;
  cpuSeconds: number;
  signal?: AbortSignal;
  joinFiles: string[];
}

/** What a command check run left: the process's end, its report, and how much it wrote. */
export interface CommandOutcome extends ProcessOutcome {
  command: string[];
  /** The JUnit report, when the command wrote one. */
  report?: JunitReport;
  /** Bytes the run added to its host dirs (files past the disk limit are cut by the rlimit, but not their number). */
  grownBytes: number;
}

const REPORT_FILE = 'junit.xml';
// Reading more than this of a report, or counting more files than this, is a test filling the disk.
const MAX_REPORT_BYTES = 16 * 1024 * 1024;
const MAX_FILES = 100_000;

/**
 * Run the command with `{python}` and `{junit}` filled in, cwd the workspace root. In the sandbox the workspace and
 * the report dir are the only writable host dirs, each file in them capped by the disk rlimit.
 */
export async function runCommandCheck(run: CommandRun): Promise<CommandOutcome> {
  const { runtime, check } = run;
  const ws = join(run.runDir, 'ws');
  const out = join(run.runDir, 'out');
  await mkdir(ws);
  await mkdir(out);
  await materialise(run.workspace, ws, check.files);
  const junit = join(out, REPORT_FILE);
  const argv = check.argv.map((arg) => arg.replaceAll('{python}', runtime.python).replaceAll('{junit}', junit));
  const binds = [{ path: ws, writable: true }, { path: out, writable: true }];
  const command = wrap(runtime, argv, { binds, chdir: ws }, run.cpuSeconds, run.joinFiles);
  const before = await treeBytes(run.runDir);
  // pytest's cache would otherwise be written into the workspace; a check's own argv may still turn it on.
  const env = { ...testEnv(runtime.env, ws), PYTEST_ADDOPTS: '-p no:cacheprovider' };
  const outcome = await runProcessGroup(command, { cwd: ws, env, timeoutMs: run.timeoutMs, signal: run.signal, outputCapBytes: runtime.outputCapBytes });
  const after = await treeBytes(run.runDir);
  const grownBytes = after === Infinity ? Infinity : Math.max(0, after - before);
  const text = await readFile(junit).then((bytes) => (bytes.length > MAX_REPORT_BYTES ? undefined : bytes.toString('utf8')), () => undefined);
  return { ...outcome, command, grownBytes, ...(text === undefined ? {} : { report: parseJunit(text) }) };
}

/** Whether the reported tests make a pass: every listed test passed, or with no lists every test passed (skips aside) and one ran. */
export function testsPassed(tests: TestOutcome[], check: CommandCheck): boolean {
  const listed = [...(check.failToPass ?? []), ...(check.passToPass ?? [])];
  if (listed.length > 0) return listed.every((id) => tests.some((test) => test.id === id && test.outcome === 'passed'));
  return tests.some((test) => test.outcome === 'passed') && tests.every((test) => test.outcome === 'passed' || test.outcome === 'skipped');
}

/** Total bytes of the files under `dir`; past MAX_FILES entries, Infinity (a test that made that many is a disk bomb). */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  let count = 0;
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
      if (++count > MAX_FILES) return Infinity;
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else total += (await lstat(path).catch(() => ({ size: 0 }))).size;
    }
  }
  return total;
}
