// The Python gate against real processes: verdicts, group kill on timeout/abort/exit, output cap, limits, sandbox choice.

import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createPythonGate, SANDBOX_OFF_WARNING, type PythonGate } from '../../src/tools/gate.js';
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

  it('times out a busy loop near the limit, not when the loop would end', async () => {
    const info = await (await get()).run(programInput('while True:\n    pass\n', 1000));
    expect(info.verdict).toBe('timeout');
    // Slack for sandbox start-up on a loaded machine; the loop itself never ends.
    expect(info.durationMs).toBeLessThan(4000);
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
    expect(performance.now() - started).toBeLessThan(10_000);
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

  it('limits memory: an allocation past it is a crash naming the limit', async () => {
    const gate = await createPythonGate({ python, sandbox, memoryMb: 256 });
    const info = await gate.run(programInput('block = bytearray(1024 * 1024 * 1024)\n', 10_000));
    expect(info).toMatchObject({ verdict: 'crash', limitHit: 'memory' });
    expect(info.stderrTail).toContain('MemoryError');
    expect(info.limits).toMatchObject({ memoryMb: 256 });
  });

  it('limits CPU time: a crash naming the limit', async () => {
    const gate = await createPythonGate({ python, sandbox, cpuSeconds: 1 });
    // The wall-clock limit is far off: on a loaded machine one CPU second can take several.
    const info = await gate.run(programInput('while True:\n    pass\n', 30_000));
    expect(info).toMatchObject({ verdict: 'crash', limitHit: 'cpu', signal: 'SIGXCPU' });
  });

  it('records the limits and what enforced them', async () => {
    const info = await (await get()).run(programInput('pass\n', 10_000));
    expect(info.limits).toMatchObject({ memoryMb: 1024, processes: 64, diskMb: 256, cpuSeconds: 11 });
    expect(info.limits!.enforcedBy).toContain('prlimit as/cpu/fsize');
    expect(info.judge).toBe('oracle');
  });

  it('refuses a timeout Node cannot wait for (2^31 ms fires at once)', async () => {
    await expect((await get()).run(programInput('pass\n', 2 ** 31))).rejects.toMatchObject({ code: 'gate_timeout' });
    await expect((await get()).run(programInput('pass\n', 1.5))).rejects.toThrow(/whole number of milliseconds from 1 to 2147483647/);
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

  it('writes only to its private /tmp: the workspace and the rest are read-only', async () => {
    const gate = await createPythonGate({ python, sandbox: 'bwrap' });
    const outside = `/var/tmp/slotbench-escape-${randomUUID()}`;
    const inTmp = `/tmp/slotbench-private-${randomUUID()}`;
    const attempts = [inTmp, 'mine.txt', outside, '/usr/slotbench-escape'];
    const program = [
      'for path in ' + JSON.stringify(attempts) + ':',
      '    try:',
      '        open(path, "w").write("x")',
      '        print(path, "written")',
      '    except OSError as error:',
      '        print(path, error.strerror)',
    ].join('\n');
    try {
      const info = await gate.run(programInput(program, 10_000));
      expect(info.verdict).toBe('pass');
      expect(info.stdoutTail.split('\n')).toEqual([`${inTmp} written`, 'mine.txt Read-only file system', `${outside} No such file or directory`, '/usr/slotbench-escape Read-only file system', '']);
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

  it('says it is unsandboxed, and detaches the test from the terminal: own session, no tty, stdin /dev/null', async () => {
    const gate = await createPythonGate({ python, sandbox: 'none' });
    expect(gate.warning).toContain(SANDBOX_OFF_WARNING);
    const ourSession = Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[3]);
    const program = [
      'import os',
      'stat = open("/proc/self/stat").read().split(") ")[1].split()',
      'print(os.getsid(0) != ' + ourSession + ', stat[4] == "0", os.readlink("/proc/self/fd/0"))',
      'open("/dev/tty")',
    ].join('\n');
    const info = await gate.run(programInput(program, 10_000));
    expect(info.stdoutTail).toBe('True True /dev/null\n');
    expect(info.stderrTail).toMatch(/OSError: \[Errno 6\] No such device or address: '\/dev\/tty'/);
  });

  it('survives a test that kills its parent (a shell between it and slotbench takes the blow)', async () => {
    const gate = await createPythonGate({ python, sandbox: 'none' });
    const info = await gate.run(programInput('import os, time\nos.kill(os.getppid(), 9)\ntime.sleep(5)\n', 10_000));
    expect(info).toMatchObject({ verdict: 'crash', signal: 'SIGKILL' });
  });
});

describe('python gate without bwrap or prlimit on PATH', () => {
  const env = { PATH: '/nonexistent' };

  it('refuses to run model code unless asked to run it unsandboxed', async () => {
    await expect(createPythonGate({ python, env })).rejects.toMatchObject({ code: 'no_sandbox' });
    await expect(createPythonGate({ python, env, sandbox: 'bwrap' })).rejects.toThrow(
      'bwrap not found: install bubblewrap (apt-get install -y bubblewrap), or pass --sandbox none to run model code unsandboxed',
    );
  });

  it('runs unsandboxed when asked, with rlimits through /bin/sh', async () => {
    const gate = await createPythonGate({ python, env, sandbox: 'none', memoryMb: 256 });
    expect(gate.sandbox).toBe('none');
    const info = await gate.run(programInput('block = bytearray(1024 * 1024 * 1024)\n', 10_000));
    expect(info.command).toContain('ulimit -v 262144; ulimit -H -t 12; ulimit -S -t 11; ulimit -f 524288; ulimit -c 0; exec "$0" "$@"');
    expect(info).toMatchObject({ verdict: 'crash', limitHit: 'memory', sandbox: 'none' });
  });
});

describe('concurrency', () => {
  it('runs at most maxParallel tests at once', async () => {
    const gate = await createPythonGate({ python, sandbox: 'none', maxParallel: 1 });
    const program = 'import time\nprint(time.time())\ntime.sleep(0.3)\nprint(time.time())\n';
    const runs = await Promise.all([1, 2, 3].map(() => gate.run(programInput(program, 10_000))));
    const spans = runs.map((info) => info.stdoutTail.trim().split('\n').map(Number)).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
    expect(gate.maxParallel).toBe(1);
  });
});
