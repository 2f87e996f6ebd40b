// The Python gate against real processes: verdicts, group kill on timeout/abort/exit, output cap, rlimits, sandbox.

import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createPythonGate, NO_BWRAP_WARNING, type PythonGate } from '../../src/tools/gate.js';
import { findOnPath } from '../../src/tools/gate/find-on-path.js';
import { resolvePython } from '../../src/tools/python.js';
import { programInput } from '../helpers/gate-input.js';

const python = (await resolvePython()).executable;
const hasBwrap = (await findOnPath('bwrap')) !== undefined;

/** Processes whose argv contains `marker` (a forked child left behind would show here). */
function processesWith(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) found.push(pid);
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** A program that starts a sleeping child carrying `marker`, then does `then`. */
function forkingProgram(marker: string, then: string): string {
  return [
    'import subprocess, sys',
    `subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "${marker}"])`,
    then,
  ].join('\n');
}

function behaviours(sandbox: 'bwrap' | 'none'): void {
  let gate: PythonGate;
  const get = async () => (gate ??= await createPythonGate({ python, sandbox }));

  it('passes on exit 0 and keeps stdout', async () => {
    const info = await (await get()).run(programInput('print("hello")\n', 10_000));
    expect(info).toMatchObject({ verdict: 'pass', exitCode: 0, signal: null, stdoutTail: 'hello\n', sandbox });
    expect(info.command).toContain(python);
  });

  it('fails on a non-zero exit and keeps stderr', async () => {
    const info = await (await get()).run(programInput('assert 1 + 1 == 3\n', 10_000));
    expect(info.verdict).toBe('fail');
    expect(info.exitCode).toBe(1);
    expect(info.stderrTail).toContain('AssertionError');
  });

  it('times out a busy loop within the limit plus a second', async () => {
    const info = await (await get()).run(programInput('while True:\n    pass\n', 1000));
    expect(info.verdict).toBe('timeout');
    expect(info.durationMs).toBeLessThan(2000);
  });

  it('reports a signal death as a crash', async () => {
    const program = 'import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n';
    const info = await (await get()).run(programInput(program, 10_000));
    expect(info).toMatchObject({ verdict: 'crash', signal: 'SIGSEGV', exitCode: null });
  });

  it('leaves no forked child behind after a normal exit', async () => {
    const marker = `slotbench-marker-${randomUUID()}`;
    const info = await (await get()).run(programInput(forkingProgram(marker, 'print("done")'), 10_000));
    expect(info.verdict).toBe('pass');
    expect(processesWith(marker)).toEqual([]);
  });

  it('leaves no forked child behind after a timeout', async () => {
    const marker = `slotbench-marker-${randomUUID()}`;
    const program = forkingProgram(marker, 'import time\ntime.sleep(30)');
    const info = await (await get()).run(programInput(program, 800));
    expect(info.verdict).toBe('timeout');
    expect(processesWith(marker)).toEqual([]);
  });

  it('kills the group when aborted', async () => {
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 300);
    const run = (await get()).run(programInput('while True:\n    pass\n', 30_000, controller.signal));
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('keeps only the tail of a flood of output, without blocking', async () => {
    const gate = await createPythonGate({ python, sandbox, outputCapBytes: 1024 });
    const program = 'import sys\nfor i in range(200000):\n    sys.stdout.write(f"line {i}\\n")\n';
    const info = await gate.run(programInput(program, 20_000));
    expect(info.verdict).toBe('pass');
    expect(info.stdoutTail).toMatch(/^\[… \d+ bytes cut\]\n/);
    expect(info.stdoutTail.endsWith('line 199999\n')).toBe(true);
    expect(info.stdoutTail.length).toBeLessThan(1100);
  });

  it('limits the memory of the test process', async () => {
    const gate = await createPythonGate({ python, sandbox, memoryMb: 256 });
    const info = await gate.run(programInput('block = bytearray(1024 * 1024 * 1024)\n', 10_000));
    expect(info.verdict).toBe('fail');
    expect(info.stderrTail).toContain('MemoryError');
  });

  it('limits CPU time', async () => {
    const gate = await createPythonGate({ python, sandbox, cpuSeconds: 1 });
    const info = await gate.run(programInput('while True:\n    pass\n', 5000));
    expect(info.verdict).toBe('crash');
    expect(info.durationMs).toBeLessThan(4000);
  });

  it('refuses to start after an abort', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect((await get()).run(programInput('pass', 1000, controller.signal))).rejects.toMatchObject({ code: 'aborted' });
  });
}

describe.skipIf(!hasBwrap)('python gate in bwrap', () => {
  behaviours('bwrap');

  it('has no warning and no network', async () => {
    const gate = await createPythonGate({ python, sandbox: 'bwrap' });
    expect(gate.warning).toBeUndefined();
    const program = 'import socket\nsocket.create_connection(("1.1.1.1", 53), timeout=2)\n';
    const info = await gate.run(programInput(program, 10_000));
    expect(info.verdict).toBe('fail');
    expect(info.stderrTail).toMatch(/OSError|unreachable/i);
  });

  it('writes only in its own dir; /tmp is private', async () => {
    const gate = await createPythonGate({ python, sandbox: 'bwrap' });
    const outside = `/var/tmp/slotbench-escape-${randomUUID()}`;
    const inTmp = `/tmp/slotbench-private-${randomUUID()}`;
    const program = [`open("${inTmp}", "w").write("x")`, 'open("mine.txt", "w").write("x")', `open("${outside}", "w").write("x")`].join('\n');
    try {
      const info = await gate.run(programInput(program, 10_000));
      expect(info.verdict).toBe('fail');
      expect(info.stderrTail).toContain('Read-only file system');
      expect(existsSync(outside)).toBe(false);
      expect(existsSync(inTmp)).toBe(false);
    } finally {
      await rm(outside, { force: true });
      await rm(inTmp, { force: true });
    }
  });
});

describe('python gate unsandboxed', () => {
  behaviours('none');
});

describe('python gate without bwrap or prlimit on PATH', () => {
  const env = { PATH: '/nonexistent' };

  it('warns and runs unsandboxed, rlimits through /bin/sh', async () => {
    const gate = await createPythonGate({ python, env, memoryMb: 256 });
    expect(gate.warning).toBe(NO_BWRAP_WARNING);
    expect(gate.sandbox).toBe('none');
    const info = await gate.run(programInput('block = bytearray(1024 * 1024 * 1024)\n', 10_000));
    expect(info.command[0]).toBe('/bin/sh');
    expect(info).toMatchObject({ verdict: 'fail', sandbox: 'none' });
    expect(info.stderrTail).toContain('MemoryError');
  });

  it('refuses when bwrap is required', async () => {
    await expect(createPythonGate({ python, env, sandbox: 'bwrap' })).rejects.toThrow(/bwrap not found/);
  });
});
