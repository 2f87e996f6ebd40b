// Bench helper: a llama-server child process on a free port (LLAMA_SERVER=path or llama-server on PATH).

import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { findOnPath } from '../tools/gate/find-on-path.js';
import type { ModelPort } from '../core/ports.js';
import { LlamaServerModel } from '../model/llama-server.js';

/** A running server and the port that talks to it; `stop` ends both. */
export interface BenchServer {
  model: ModelPort;
  stop(): Promise<void>;
}

/** The llama-server binary to compare with: LLAMA_SERVER, else the one on PATH, else none. */
export async function findLlamaServer(): Promise<string | undefined> {
  return process.env.LLAMA_SERVER || (await findOnPath('llama-server'));
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit();
    else child.once('exit', () => resolveExit());
  });
}

/**
 * Starts `binary` on `modelFile` with one slot and `threads` threads (prompt and generation alike, as the embedded
 * engine runs) and waits until it is healthy. `extraArgs` are passed as given.
 */
export async function startServer(binary: string, modelFile: string, threads: number, contextSize: number, extraArgs: string[]): Promise<BenchServer> {
  const port = await freePort();
  const args = ['-m', modelFile, '--host', '127.0.0.1', '--port', String(port), '-t', String(threads), '-tb', String(threads)];
  const child = spawn(binary, [...args, '-np', '1', '-c', String(contextSize), ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-2000);
  });
  // Under heavy load a spinning thread pool can take minutes over a prompt: that is a figure, not a hang.
  const model = new LlamaServerModel({ name: `llama-server-${threads}t`, url: `http://127.0.0.1:${port}`, stallTimeoutMs: 600_000 });
  const stop = async (): Promise<void> => {
    await model.close?.();
    child.kill();
    await exited(child);
  };
  const started = Date.now();
  while (!(await model.info()).healthy) {
    if (child.exitCode !== null || Date.now() - started > 120_000) {
      await stop();
      throw new Error(`llama-server did not become healthy: ${log.trim().split('\n').at(-1) ?? ''}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  return { model, stop };
}
