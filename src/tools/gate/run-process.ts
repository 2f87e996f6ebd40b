// Spawns test processes as their own process groups, detached from the terminal, with capped output tails.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Stream } from 'node:stream';
import { UserError } from '../../core/errors.js';
import { TailBuffer } from './tail-buffer.js';

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() at exit. */
  at: number;
}

/** How to start one process group: where, with which environment and extra channels, where its output goes. */
export interface GroupOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdio past stdout/stderr (fd 3 on): 'pipe' for a new channel, or another child's stream to share its end. */
  extraStdio?: Array<'pipe' | 'ignore' | Stream>;
  stdout: TailBuffer;
  stderr: TailBuffer;
}

/** A running process group. */
export interface Group {
  readonly child: ChildProcess;
  /** Resolves when the leader exits (rejects with a UserError if it could not start). */
  readonly exit: Promise<ProcessExit>;
  /** Resolves once its output is drained, or a short grace after exit (a grandchild may hold the pipes). */
  readonly closed: Promise<void>;
  /** SIGKILL the whole group. */
  kill(): void;
}

// How long to wait for the pipes to close after the leader exited and its group was killed; a grandchild that left
// the group (setsid) could otherwise hold them open forever.
const DRAIN_GRACE_MS = 500;

/**
 * Spawn `argv` detached (a new session, so no controlling terminal, and its own process group), stdin from
 * /dev/null. The group is killed as soon as the leader exits, so nothing it forked outlives it.
 */
export function spawnGroup(argv: string[], options: GroupOptions): Group {
  const child = spawn(argv[0], argv.slice(1), {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...(options.extraStdio ?? [])],
  });
  const kill = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ESRCH: the group is already gone
    }
  };
  child.stdout!.on('data', (chunk: Buffer) => options.stdout.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => options.stderr.push(chunk));
  let closeGroup: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    closeGroup = resolve;
    child.on('close', () => resolve());
  });
  const exit = new Promise<ProcessExit>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      closeGroup();
      reject(new UserError(`cannot start ${argv[0]}: ${error.code ?? error.message}`, 'gate_spawn'));
    });
    child.on('exit', (code, signal) => {
      resolve({ code, signal, at: performance.now() });
      kill();
      setTimeout(() => {
        child.stdout!.destroy();
        child.stderr!.destroy();
        closeGroup();
      }, DRAIN_GRACE_MS).unref();
    });
  });
  exit.catch(() => undefined);
  return { child, exit, closed, kill };
}

/** The outcome of one process run to its end. */
export interface ProcessOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Killed by our wall-clock limit. */
  timedOut: boolean;
  /** Killed because the caller aborted. */
  aborted: boolean;
  durationMs: number;
  stdoutTail: string;
  stderrTail: string;
}

/** How to run one process group to its end. */
export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Bytes kept from the end of each stream; the rest is read and dropped so the child never blocks on a full pipe. */
  outputCapBytes: number;
  extraStdio?: GroupOptions['extraStdio'];
  /** Called once the process started, e.g. to talk to it over an extra stdio channel. */
  started?: (group: Group) => void;
}

/** Run one process group to its end under a wall-clock limit and an abort signal. */
export async function runProcessGroup(argv: string[], options: RunOptions): Promise<ProcessOutcome> {
  const stdout = new TailBuffer(options.outputCapBytes);
  const stderr = new TailBuffer(options.outputCapBytes);
  const started = performance.now();
  const group = spawnGroup(argv, { cwd: options.cwd, env: options.env, extraStdio: options.extraStdio, stdout, stderr });
  const watch = watchdog([group], options.timeoutMs, options.signal);
  try {
    options.started?.(group);
    const exit = await group.exit;
    await group.closed;
    return {
      exitCode: exit.code,
      signal: exit.signal,
      timedOut: watch.timedOut(),
      aborted: watch.aborted(),
      durationMs: exit.at - started,
      stdoutTail: stdout.text(),
      stderrTail: stderr.text(),
    };
  } finally {
    watch.stop();
  }
}

/** Kills `groups` on timeout or abort; says which of the two happened. */
export function watchdog(groups: Group[], timeoutMs: number, signal?: AbortSignal) {
  let timedOut = false;
  let aborted = false;
  const killAll = () => groups.forEach((group) => group.kill());
  const onAbort = () => {
    aborted = true;
    killAll();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killAll();
  }, timeoutMs);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    timedOut: () => timedOut,
    aborted: () => aborted,
    stop: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
