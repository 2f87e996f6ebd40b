// `slotbench doctor` with injected machine facts, plus one run against this machine's real ones.

import { Writable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDoctorCommand, realProbes, type DoctorProbes, type ServerHealth } from '../../src/cli/commands/doctor.js';
import type { CliIo } from '../../src/cli/io.js';
import { UserError } from '../../src/core/errors.js';
import type { PythonInfo } from '../../src/tools/python.js';
import type { GateConfig } from '../../src/config/config.js';
import { gateChecks } from '../../src/cli/commands/doctor-gate.js';
import { sharedDir } from '../helpers/shared.js';

function captureIo(): { io: CliIo; out: () => string } {
  let text = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { io: { stdout: sink, stderr: sink, cwd: '/work', env: { PATH: '/usr/bin' } }, out: () => text };
}

const python: PythonInfo = {
  executable: '/opt/py/bin/python3.11',
  version: '3.11.7',
  hasPytest: true,
  requested: 'python3',
  requestedPath: '/usr/bin/python3',
  viaShim: false,
  probeMs: 30,
  dirs: ['/opt/py'],
  sitePackages: ['/opt/py/lib/python3.11/site-packages'],
};

const healthy: ServerHealth = { name: 'local', url: 'http://127.0.0.1:8080', healthy: true, status: 'ok' };

const goodProbes: DoctorProbes = {
  python: async () => python,
  pytestPython: async () => python,
  which: async (name) => `/usr/bin/${name}`,
  sandboxProblem: async () => undefined,
  cgroups: async () => ({ ok: true, detail: 'cgroup v1 memory+pids' }),
  countProblems: async () => 164,
  embeddedEngine: async () => 'node-llama-cpp 3.21.1 on cuda (NVIDIA GeForce RTX 3060)',
};

async function doctor(probes: Partial<DoctorProbes>, servers: ServerHealth[] = [healthy], datasets = { humaneval: '/data/HumanEval.jsonl' }, gate: GateConfig = { maxParallel: 2 }) {
  const { io, out } = captureIo();
  const code = await createDoctorCommand({ checkServers: async () => servers, datasets, gate, probes: { ...goodProbes, ...probes } })([], io);
  return { code, lines: out().trimEnd().split('\n') };
}

describe('doctor', () => {
  it('prints one ok line per check and exits 0 when all is there', async () => {
    const { code, lines } = await doctor({});
    expect(code).toBe(0);
    expect(lines).toEqual([
      'ok                 python             3.11.7 at /opt/py/bin/python3.11',
      'ok                 pytest             /opt/py/bin/python3.11 has it: command checks run pytest with it',
      'ok                 sandbox            bwrap (/usr/bin/bwrap): no network, no host files besides the interpreter and the task, own pids',
      'ok                 limits             1024 MiB memory, 64 processes, 256 MiB disk per test; CPU the timeout + 1 s per process; 2 at once; held by cgroup v1 memory+pids and prlimit',
      'ok                 embedded           node-llama-cpp 3.21.1 on cuda (NVIDIA GeForce RTX 3060): GGUF "path" models run in-process',
      'ok                 server local       http://127.0.0.1:8080: ok',
      'ok                 dataset humaneval  /data/HumanEval.jsonl (164 problems)',
      'everything a run needs is here',
    ]);
  });

  it('fails without python and says how to get it', async () => {
    const missing = new UserError('python3 not found on PATH: install it (apt-get install -y python3) or set SLOTBENCH_PYTHON');
    const { code, lines } = await doctor({
      python: async () => {
        throw missing;
      },
    });
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/^missing\s+python\s+python3 not found on PATH: install it \(apt-get install -y python3\) or set SLOTBENCH_PYTHON$/);
    expect(lines.at(-1)).toBe('1 required check failed');
  });

  it('names a slow shim', async () => {
    const { lines } = await doctor({ python: async () => ({ ...python, viaShim: true, requestedPath: '/root/.pyenv/shims/python3', probeMs: 2480 }) });
    expect(lines[0]).toContain('(/root/.pyenv/shims/python3 is a shim, slow: 2480 ms a start; tests run the interpreter directly)');
  });

  it('treats pytest and the cgroup as optional', async () => {
    const { code, lines } = await doctor({
      pytestPython: async () => {
        throw new UserError('no Python with pytest');
      },
      cgroups: async () => ({ ok: false, detail: 'cannot make a cgroup (cgroup v1 memory+pids: EACCES)' }),
    });
    expect(code).toBe(0);
    expect(lines[1]).toMatch(/^missing \(optional\)\s+pytest\s+needed only for command checks \(install: apt-get install -y python3-pytest/);
    expect(lines[3]).toMatch(/^missing \(optional\)\s+limits\s+1024 MiB memory, .*; per process only \(prlimit\): cannot make a cgroup \(cgroup v1 memory\+pids: EACCES\)$/);
  });

  it('requires the sandbox, and says how to get it or opt out', async () => {
    const { code, lines } = await doctor({ which: async (name) => (name === 'bwrap' ? undefined : `/usr/bin/${name}`) });
    expect(code).toBe(1);
    expect(lines[2]).toMatch(/^missing\s+sandbox\s+bwrap not found: install bubblewrap \(apt-get install -y bubblewrap\); or run with --sandbox none to accept running model code unsandboxed$/);
    expect(lines.at(-1)).toBe('1 required check failed');
  });

  it('says what to do on macOS, where bwrap cannot exist', async () => {
    const checks = await gateChecks({ ...goodProbes, which: async () => undefined }, {}, python, {}, 'darwin');
    expect(checks[1]).toMatchObject({ ok: false, name: 'sandbox' });
    expect(checks[1].detail).toMatch(/^bwrap not found: bubblewrap is Linux-only; on macOS run slotbench in a Linux VM or container .*; or run with --sandbox none/);
  });

  it('reports an unsandboxed config as such', async () => {
    const { code, lines } = await doctor({ which: async () => undefined }, [healthy], { humaneval: '/data/HumanEval.jsonl' }, { sandbox: 'none' });
    expect(code).toBe(0);
    expect(lines[2]).toMatch(/^ok\s+sandbox\s+none \(gate\.sandbox in the config\): model code runs unsandboxed/);
  });

  it('treats a missing embedded engine as optional and says what still works', async () => {
    const { code, lines } = await doctor({
      embeddedEngine: async () => {
        throw new UserError('node-llama-cpp has no working prebuilt binary for linux-riscv64: run `npm ci` in the slotbench folder');
      },
    });
    expect(code).toBe(0);
    expect(lines[4]).toBe(
      'missing (optional) embedded           node-llama-cpp has no working prebuilt binary for linux-riscv64: run `npm ci` in the slotbench folder (GGUF "path" models cannot run; llama-server "url" models can)',
    );
  });

  it('says when bwrap is there but does not work', async () => {
    const { lines } = await doctor({ sandboxProblem: async () => 'No permissions to create new namespace' });
    expect(lines[2]).toMatch(/^missing\s+sandbox\s+\/usr\/bin\/bwrap does not work here \(No permissions to create new namespace\)/);
  });

  it('fails for a server that is down and for an unreadable dataset', async () => {
    const down: ServerHealth = { name: 'qwen', url: 'http://127.0.0.1:9999', healthy: false, status: 'connection refused' };
    const { io, out } = captureIo();
    const command = createDoctorCommand({
      checkServers: async () => [healthy, down],
      datasets: { mbpp: 'data/missing.jsonl' },
      probes: { ...goodProbes, countProblems: realProbes.countProblems },
    });
    expect(await command([], io)).toBe(1);
    const lines = out().trimEnd().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^missing\s+server qwen\s+http:\/\/127\.0\.0\.1:9999: connection refused \(start llama-server there, or fix models\.qwen\.url in the config\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^missing\s+dataset mbpp\s+cannot read dataset \/work\/data\/missing\.jsonl: ENOENT.*\(fix datasets\.mbpp in the config\)$/));
    expect(lines.at(-1)).toBe('2 required checks failed');
  });

  it('reports a failing server registry as one failed check', async () => {
    const { io, out } = captureIo();
    const command = createDoctorCommand({
      checkServers: async () => {
        throw new UserError('slotbench.config.json: models.x.url is not a URL');
      },
      datasets: {},
      probes: goodProbes,
    });
    expect(await command([], io)).toBe(1);
    expect(out()).toMatch(/^missing\s+servers\s+slotbench\.config\.json: models\.x\.url is not a URL$/m);
  });

  it('takes no arguments', async () => {
    const { io } = captureIo();
    await expect(createDoctorCommand({ checkServers: async () => [], datasets: {}, probes: goodProbes })(['--fix'], io)).rejects.toThrow(/doctor takes no arguments/);
  });

  // The real embedded probe loads node-llama-cpp's binary, which self-tests in a child process: seconds under load.
  it('passes on this machine with the real probes', { timeout: 120_000 }, async () => {
    const { io, out } = captureIo();
    const command = createDoctorCommand({ checkServers: async () => [], datasets: { humaneval: join(sharedDir(), 'datasets', 'HumanEval.jsonl.gz') } });
    const code = await command([], { ...io, env: process.env });
    expect(out()).toMatch(/^ok\s+python\s+3\.\d+\.\d+ at \//m);
    expect(out()).toMatch(/^ok\s+dataset humaneval\s+.*\(164 problems\)$/m);
    // No GPU on the development machines: the CPU prebuilt for this platform loads.
    expect(out()).toMatch(/^ok\s+embedded\s+node-llama-cpp 3\.21\.1 on cpu: GGUF "path" models run in-process$/m);
    expect(out()).toMatch(/^ok\s+sandbox\s+bwrap \(/m);
    expect(out()).toMatch(/^ok\s+pytest\s+\/\S+ has it/m);
    expect(code).toBe(0);
  });
});
