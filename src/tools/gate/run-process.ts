// Runs one process as its own process group with a wall-clock limit, abort, and capped output tails.

import { spawn } from 'node:child_process';
import { UserError } from '../../core/errors.js';

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Bytes kept from the end of each stream; the rest is read and dropped so the child never blocks on a full pipe. */
  outputCapBytes: number;
}

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

// How long to wait for the pipes to close after the process exited and its group was killed; a grandchild that left
// the group (setsid) could otherwise hold them open forever.
const DRAIN_GRACE_MS = 500;

/**
 * Spawn `argv` detached (a new session and process group) and kill the whole group on timeout, abort, and after the
 * leader exits, so nothing it forked outlives the run. execa's own timeout would kill only the direct child.
 */
export function runProcessGroup(argv: string[], options: RunOptions): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const stdout = new TailBuffer(options.outputCapBytes);
    const stderr = new TailBuffer(options.outputCapBytes);
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let timedOut = false;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null; at: number } | undefined;
    let settled = false;

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is already gone
      }
    };
    const onAbort = () => {
      aborted = true;
      killGroup();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    let graceTimer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const finish = () => {
      if (settled || !exit) return;
      settled = true;
      cleanup();
      resolve({
        exitCode: exit.code,
        signal: exit.signal,
        timedOut,
        aborted,
        durationMs: exit.at - started,
        stdoutTail: stdout.text(),
        stderrTail: stderr.text(),
      });
    };

    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(new UserError(`cannot start ${argv[0]}: ${error.code ?? error.message}`, 'gate_spawn'));
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal, at: performance.now() };
      killGroup();
      graceTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, DRAIN_GRACE_MS);
    });
    child.on('close', finish);
  });
}

/** Keeps the last `cap` bytes of a stream and counts what was dropped before them. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0].length >= this.cap) {
      const first = this.chunks.shift()!;
      this.size -= first.length;
      this.dropped += first.length;
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks);
    const cut = Math.max(0, all.length - this.cap);
    const tail = all.subarray(cut).toString('utf8');
    const dropped = this.dropped + cut;
    return dropped > 0 ? `[… ${dropped} bytes cut]\n${tail}` : tail;
  }
}
