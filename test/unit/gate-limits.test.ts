// Whole-test limits: a memory, a process and a disk bomb each end as `crash` naming the limit, and leave nothing behind.

import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import type { GateInput } from '../../src/core/ports.js';
import { createPythonGate } from '../../src/tools/gate.js';
import { findCgroups } from '../../src/tools/gate/cgroup.js';
import { findOnPath } from '../../src/tools/gate/find-on-path.js';
import { resolvePython } from '../../src/tools/python.js';

const python = (await resolvePython()).executable;
const hasBwrap = (await findOnPath('bwrap')) !== undefined;
const cgroups = await findCgroups();
const hasCgroups = typeof cgroups !== 'string';

/** A candidate whose `answer()` runs `bomb` and then returns 42, checked by a test expecting 42. */
function bombInput(bomb: string, timeoutMs = 30_000): GateInput {
  const module = ['import os, sys, time', '', '', 'def answer():', ...bomb.split('\n').map((line) => `    ${line}`), '    return 42', ''].join('\n');
  return {
    workspace: { files: [{ path: 'solution.py', text: module }] },
    check: { kind: 'script', module: 'solution.py', tests: 'assert answer() == 42\n', bind: { answer: 'answer' } },
    judge: 'oracle',
    timeoutMs,
  };
}

function processesWith(marker: string): string[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    });
}

/** Per-run cgroups this process made and did not remove. */
function leftoverCgroups(): string[] {
  const mine = `slotbench-${process.pid}-`;
  const roots = ['/sys/fs/cgroup/memory', '/sys/fs/cgroup/pids', '/sys/fs/cgroup'];
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 4 || !existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      if (entry.name.startsWith(mine)) found.push(`${dir}/${entry.name}`);
      else walk(`${dir}/${entry.name}`, depth + 1);
    }
  };
  roots.forEach((root) => walk(root, 0));
  return found;
}

// Children that fork, allocate and touch 150 MB each and hold it a while: three of them are past a 256 MB limit for
// the whole test, though each alone is within the per-process address-space limit.
const MEMORY_BOMB = `
kids = []
for _ in range(3):
    pid = os.fork()
    if pid == 0:
        block = bytearray(150 * 1024 * 1024)
        for i in range(0, len(block), 4096):
            block[i] = 1
        time.sleep(2)
        os._exit(0)
    kids.append(pid)
for pid in kids:
    os.waitpid(pid, 0)`;

const PROCESS_BOMB = (marker: string) => `
import subprocess
for _ in range(40):
    try:
        subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "${marker}"])
    except OSError:
        pass`;

describe.skipIf(!hasBwrap || !hasCgroups)('whole-test limits (cgroup)', () => {
  it('a memory bomb across processes ends as a crash naming memory, and leaves nothing behind', async () => {
    const gate = await createPythonGate({ python, memoryMb: 256 });
    const info = await gate.run(bombInput(MEMORY_BOMB));
    expect(info).toMatchObject({ verdict: 'crash', limitHit: 'memory' });
    expect(info.limits).toMatchObject({ memoryMb: 256, enforcedBy: expect.arrayContaining([(cgroups as { describe: string }).describe]) });
    // Removing the run's cgroup succeeds only once every process in it is gone.
    expect(leftoverCgroups()).toEqual([]);
  }, 60_000);

  it('a process bomb ends as a crash naming processes, and leaves nothing behind', async () => {
    const gate = await createPythonGate({ python, processes: 16 });
    const marker = `slotbench-bomb-${randomUUID()}`;
    const info = await gate.run(bombInput(PROCESS_BOMB(marker)));
    expect(info).toMatchObject({ verdict: 'crash', limitHit: 'processes' });
    expect(processesWith(marker)).toEqual([]);
    expect(leftoverCgroups()).toEqual([]);
  }, 60_000);

  it('unsandboxed too, including a child that left the process group (setsid)', async () => {
    const gate = await createPythonGate({ python, sandbox: 'none', processes: 16 });
    const marker = `slotbench-bomb-${randomUUID()}`;
    const escape = `subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "${marker}"], start_new_session=True)`;
    const info = await gate.run(bombInput(`${PROCESS_BOMB(marker)}\n${escape}`));
    expect(info).toMatchObject({ verdict: 'crash', limitHit: 'processes' });
    expect(processesWith(marker)).toEqual([]);
  }, 60_000);
});

describe.skipIf(!hasBwrap)('disk limit', () => {
  it('filling the private /tmp with many files ends as a crash naming disk; the host /tmp gets nothing', async () => {
    const gate = await createPythonGate({ python, diskMb: 16 });
    const name = `slotbench-disk-bomb-${randomUUID()}`;
    const info = await gate.run(bombInput(`for i in range(10 ** 6):\n    with open(f"/tmp/${name}-{i}", "wb") as f:\n        f.write(b"x" * 1024 * 1024)`));
    expect(info).toMatchObject({ verdict: 'crash', limitHit: 'disk' });
    expect(info.stderrTail).toContain('No space left on device');
    expect(existsSync(`${tmpdir()}/${name}-0`)).toBe(false);
  }, 60_000);

  it('one file past the limit, unsandboxed, is cut by the rlimit and ends as a crash naming disk', async () => {
    const gate = await createPythonGate({ python, sandbox: 'none', diskMb: 16 });
    const info = await gate.run(bombInput('with open("big.bin", "wb") as f:\n    while True:\n        f.write(b"x" * 1024 * 1024)'));
    expect(info).toMatchObject({ verdict: 'crash', limitHit: 'disk' });
    expect(info.stderrTail).toContain('File too large');
  }, 60_000);
});
