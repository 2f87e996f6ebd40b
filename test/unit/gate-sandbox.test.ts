// The sandbox from the inside: a candidate looks for host files, sockets and the network, and finds none of them.

import { createServer, type Server } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPythonGate, type PythonGate } from '../../src/tools/gate.js';
import { findOnPath } from '../../src/tools/gate/find-on-path.js';
import { resolvePython } from '../../src/tools/python.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { programInput } from '../helpers/gate-input.js';

const hasBwrap = (await findOnPath('bwrap')) !== undefined;
const python = await resolvePython();

/** Runs `program` in the sandbox and parses the JSON it prints last. */
async function probe(gate: PythonGate, program: string): Promise<Record<string, unknown>> {
  const info = await gate.run(programInput(`import json, os, socket\nfound = {}\n${program}\nprint(json.dumps(found))\n`, 20_000));
  expect(info.stderrTail).toBe('');
  expect(info.verdict).toBe('pass');
  return JSON.parse(info.stdoutTail.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe.skipIf(!hasBwrap)('sandbox', () => {
  let gate: PythonGate;
  let host: string;
  let socketServer: Server;
  let tcpServer: Server;
  const secrets: Record<string, string> = {};

  beforeAll(async () => {
    host = await mkdtemp(join(tmpdir(), 'slotbench-sandbox-test-'));
    const home = join(host, 'home');
    await rm(home, { recursive: true, force: true });
    await (await import('node:fs/promises')).mkdir(home);
    secrets.npmrc = join(home, '.npmrc');
    secrets.tmpFile = join(host, 'secret.txt');
    secrets.varTmp = join('/var/tmp', `slotbench-secret-${process.pid}`);
    for (const path of Object.values(secrets)) await writeFile(path, 'token=do-not-leak\n');
    secrets.socket = join(host, 'listener.sock');
    socketServer = createServer((connection) => connection.end('hello from the host\n'));
    await new Promise<void>((resolve) => socketServer.listen(secrets.socket, resolve));
    tcpServer = createServer((connection) => connection.end('hello\n'));
    await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
    gate = await createPythonGate({ python: python.executable, sandbox: 'bwrap', env: { ...process.env, HOME: home } });
  });

  afterAll(async () => {
    socketServer?.close();
    tcpServer?.close();
    await rm(secrets.varTmp, { force: true });
    await rm(host, { recursive: true, force: true });
  });

  it('reads no host file: secrets, the home dir, the project checkout, /tmp, /var/tmp, /run', async () => {
    const targets = {
      shadow: '/etc/shadow',
      passwd: '/etc/passwd',
      etcNpmrc: '/etc/npmrc',
      homeNpmrc: secrets.npmrc,
      checkout: join(PROJECT_ROOT, 'package.json'),
      tmp: secrets.tmpFile,
      varTmp: secrets.varTmp,
    };
    const found = await probe(
      gate,
      [
        `for name, path in ${JSON.stringify(targets)}.items():`,
        '    try:',
        '        found[name] = open(path).read()',
        '    except OSError as error:',
        '        found[name] = error.strerror',
        'found["envHome"] = os.path.exists(os.path.join(os.environ["HOME"], ".npmrc"))',
        'found["run"] = os.path.exists("/run")',
        'found["var"] = os.path.exists("/var")',
      ].join('\n'),
    );
    for (const name of Object.keys(targets)) expect(found[name], name).toBe('No such file or directory');
    expect(found).toMatchObject({ envHome: false, run: false, var: false });
  });

  it('sees only the system dirs, the interpreter, the harness and its workspace', async () => {
    const found = await probe(
      gate,
      [
        'found["root"] = sorted(os.listdir("/"))',
        'found["etc"] = sorted(os.listdir("/etc"))',
        'skip = ("/usr", "/proc", "/dev", "/sys") + tuple(' + JSON.stringify(python.dirs) + ')',
        'found["files"] = []',
        'for root, dirs, files in os.walk("/"):',
        '    if root.startswith(skip):',
        '        dirs[:] = []',
        '        continue',
        '    found["files"] += [os.path.join(root, name) for name in files]',
      ].join('\n'),
    );
    const interpreterTops = python.dirs.map((dir) => dir.split('/')[1]);
    const allowedRoot = new Set(['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32', 'usr', 'etc', 'dev', 'proc', 'tmp', 'slotbench', ...interpreterTops]);
    for (const entry of found.root as string[]) expect(allowedRoot.has(entry), entry).toBe(true);
    for (const entry of found.etc as string[]) expect(entry).toMatch(/^(ld\.so\.cache|ld\.so\.conf|ld\.so\.conf\.d|localtime|python3(\.\d+)?)$/);
    for (const file of found.files as string[]) {
      expect(file, file).toMatch(/^(\/slotbench\/harness\/(__pycache__\/)?[\w.-]+\.pyc?|\/tmp\/slotbench-gate-\w+\/solution\.py|\/etc\/.*)$/);
    }
    expect(found.files).toContainEqual(expect.stringMatching(/\/solution\.py$/));
  });

  it('reaches no unix socket on the host and no network, not even the host loopback', async () => {
    const port = (tcpServer.address() as { port: number }).port;
    const found = await probe(
      gate,
      [
        'def attempt(name, family, address):',
        '    try:',
        '        with socket.socket(family, socket.SOCK_STREAM) as s:',
        '            s.settimeout(3)',
        '            s.connect(address)',
        '            found[name] = s.recv(100).decode()',
        '    except OSError as error:',
        '        found[name] = type(error).__name__',
        `attempt("unix", socket.AF_UNIX, ${JSON.stringify(secrets.socket)})`,
        `attempt("loopback", socket.AF_INET, ("127.0.0.1", ${port}))`,
        'attempt("internet", socket.AF_INET, ("1.1.1.1", 53))',
        'found["interfaces"] = sorted(name for _, name in socket.if_nameindex())',
      ].join('\n'),
    );
    expect(found).toMatchObject({ unix: 'FileNotFoundError', loopback: 'ConnectionRefusedError', interfaces: ['lo'] });
    expect(found.internet).toMatch(/^(OSError|TimeoutError|ConnectionRefusedError)$/);
  });

  it('has no capabilities, cannot change host settings (/proc/sys), and sees only its own pids', async () => {
    const found = await probe(
      gate,
      [
        'found["caps"] = [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0]',
        'for path in ["/proc/sys/kernel/core_pattern", "/proc/sys/vm/swappiness"]:',
        '    try:',
        '        value = open(path).read()',
        '        open(path, "w").write(value)',
        '        found[path] = "written"',
        '    except OSError as error:',
        '        found[path] = error.strerror',
        'found["pids"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())',
      ].join('\n'),
    );
    expect(found.caps).toBe('0000000000000000');
    expect(found['/proc/sys/kernel/core_pattern']).toBe('Read-only file system');
    expect(found['/proc/sys/vm/swappiness']).toBe('Read-only file system');
    // Its own pid namespace: bwrap's init and the test's processes, nothing of the host's (nor of the judge's).
    expect((found.pids as number[]).every((pid) => pid < 10)).toBe(true);
  });
});
