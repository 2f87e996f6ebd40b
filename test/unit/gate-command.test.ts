// Command checks: pytest run in the workspace with hidden tests added, judged test by test from its JUnit report.

import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandCheck, Task } from '../../src/core/task.js';
import type { GateInput } from '../../src/core/ports.js';
import { createPythonGate, type PythonGate } from '../../src/tools/gate.js';
import { findOnPath } from '../../src/tools/gate/find-on-path.js';
import { parseJunit } from '../../src/tools/gate/junit.js';
import { harness, ofType } from '../helpers/engine-harness.js';

const hasBwrap = (await findOnPath('bwrap')) !== undefined;

const HIDDEN_TESTS = `from pkg.mathy import add


def test_small():
    assert add(1, 2) == 3


def test_big():
    assert add(100, 200) == 300
`;

const STUB = 'def add(a, b):\n    """Return the sum of a and b."""\n    pass\n';

const CHECK: CommandCheck = {
  kind: 'command',
  argv: ['{python}', '-m', 'pytest', '-q', '--junitxml={junit}', 'tests'],
  files: [{ path: 'tests/test_mathy.py', text: HIDDEN_TESTS }],
};

/** A two-file package with one function to fill, judged by a hidden pytest file. */
const TASK: Task = {
  ref: { kind: 'intent', id: 'mathy-add' },
  language: 'python',
  statement: 'Add two numbers.',
  files: [
    { path: 'pkg/__init__.py', text: '' },
    { path: 'pkg/mathy.py', text: STUB },
  ],
  targets: [{ file: 'pkg/mathy.py', symbol: 'add' }],
  oracle: CHECK,
};

function withBody(body: string): GateInput {
  return {
    workspace: { files: [{ path: 'pkg/__init__.py', text: '' }, { path: 'pkg/mathy.py', text: STUB.replace('    pass\n', body) }] },
    check: CHECK,
    judge: 'oracle',
    timeoutMs: 60_000,
  };
}

const WRONG = '    return a + b if a < 10 else 0\n';
const RIGHT = '    return a + b\n';

describe('parseJunit', () => {
  const report = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="5">
<testcase classname="tests.test_mathy" name="test_add" time="0.001" />
<testcase classname="tests.test_mathy" name="test_bad" time="0.028"><failure message="AssertionError: x &lt; y &amp; &quot;q&quot;&#10;assert 3 == 4">def test_bad():
&gt;       assert 1</failure></testcase>
<testcase classname="tests.test_mathy.TestK" name="test_in[a-1]" time="0.001" />
<testcase classname="tests.test_mathy" name="test_skip"><skipped type="pytest.skip" message="no">x</skipped></testcase>
<testcase classname="tests.test_mathy" name="test_err"><failure message="first">f</failure><error message="teardown broke">e</error></testcase>
</testsuite></testsuites>`;

  it('reads each test as classname::name with its worst outcome and the first line of its message', () => {
    expect(parseJunit(report)).toEqual({
      complete: true,
      tests: [
        { id: 'tests.test_mathy::test_add', outcome: 'passed' },
        { id: 'tests.test_mathy::test_bad', outcome: 'failed', message: 'AssertionError: x < y & "q"' },
        { id: 'tests.test_mathy.TestK::test_in[a-1]', outcome: 'passed' },
        { id: 'tests.test_mathy::test_skip', outcome: 'skipped' },
        { id: 'tests.test_mathy::test_err', outcome: 'error', message: 'teardown broke' },
      ],
    });
  });

  it('calls a cut-off or foreign report incomplete', () => {
    expect(parseJunit(report.slice(0, report.indexOf('</testsuite>'))).complete).toBe(false);
    expect(parseJunit('<html><body>not a report</body></html>')).toEqual({ tests: [], complete: false });
    expect(parseJunit('')).toEqual({ tests: [], complete: false });
  });
});

describe.each(hasBwrap ? (['bwrap', 'none'] as const) : (['none'] as const))('command check, sandbox %s', (sandbox) => {
  let gate: PythonGate;
  beforeAll(async () => {
    gate = await createPythonGate({ sandbox });
  });

  it('reports per-test outcomes; one failing test fails the check', async () => {
    const info = await gate.run(withBody(WRONG));
    expect(info.verdict).toBe('fail');
    expect(info.exitCode).toBe(1);
    expect(info.tests).toEqual([
      { id: 'tests.test_mathy::test_small', outcome: 'passed' },
      { id: 'tests.test_mathy::test_big', outcome: 'failed', message: 'assert 0 == 300' },
    ]);
    expect(info.stdoutTail).toContain('1 failed, 1 passed');
  });

  it('passes when every test passes', async () => {
    const info = await gate.run(withBody(RIGHT));
    expect(info).toMatchObject({ verdict: 'pass', exitCode: 0 });
    expect(info.tests!.map((t) => t.outcome)).toEqual(['passed', 'passed']);
  });

  it('judges the listed tests only: FAIL_TO_PASS and PASS_TO_PASS', async () => {
    const onlySmall = { ...withBody(WRONG), check: { ...CHECK, passToPass: ['tests.test_mathy::test_small'] } };
    expect((await gate.run(onlySmall)).verdict).toBe('fail'); // pytest's exit code is 1: a failing test anywhere fails
    const listedMissing = { ...withBody(RIGHT), check: { ...CHECK, failToPass: ['tests.test_mathy::test_gone'] } };
    expect((await gate.run(listedMissing)).verdict).toBe('fail');
    const listed = { ...withBody(RIGHT), check: { ...CHECK, failToPass: ['tests.test_mathy::test_big'], passToPass: ['tests.test_mathy::test_small'] } };
    expect((await gate.run(listed)).verdict).toBe('pass');
  });

  it('fails without a complete report, even on exit 0, and says why', async () => {
    const noReport = { ...withBody(RIGHT), check: { ...CHECK, argv: ['{python}', '-c', 'pass'] } };
    const info = await gate.run(noReport);
    expect(info).toMatchObject({ verdict: 'fail', exitCode: 0 });
    expect(info.stderrTail).toContain('[slotbench] no JUnit report was written');
    const forged = { ...withBody(RIGHT), check: { ...CHECK, argv: ['{python}', '-c', 'open("{junit}", "w").write("<testsuites><testsuite tests=\\"1\\"><testcase classname=\\"x\\" name=\\"y\\"/>")'] } };
    const cut = await gate.run(forged);
    expect(cut).toMatchObject({ verdict: 'fail' });
    expect(cut.stderrTail).toContain('[slotbench] the JUnit report is incomplete');
  });
});

describe('a base tree with changed files laid over it', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'slotbench-base-'));
    await mkdir(join(base, 'pkg'));
    await mkdir(join(base, '.git'));
    await writeFile(join(base, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(base, 'pkg', '__init__.py'), '');
    await writeFile(join(base, 'pkg', 'mathy.py'), STUB);
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('runs against the base with the changes, and never writes to the base', async () => {
    const gate = await createPythonGate({ sandbox: hasBwrap ? 'bwrap' : 'none' });
    const before = await snapshot(base);
    const info = await gate.run({
      workspace: { baseDir: base, changed: [{ path: 'pkg/mathy.py', text: STUB.replace('    pass\n', RIGHT) }] },
      check: CHECK,
      judge: 'oracle',
      timeoutMs: 60_000,
    });
    expect(info.verdict).toBe('pass');
    expect(await snapshot(base)).toEqual(before);
  });
});

describe('the implement flow over a command check (engine, scripted model, real gate)', () => {
  it('one test passing and one failing: per-test outcomes and verdict fail; a correct answer passes', async () => {
    const wrong = await harness({ label: 'scripted model (test double)', answers: [{ slot: 'implement', text: `${WRONG}\`\`\`\n` }] }, { task: TASK, gateTimeoutMs: 60_000 });
    await wrong.engine.start();
    const [failed] = ofType(wrong.events, 'test_run');
    expect(failed).toMatchObject({ verdict: 'fail', judge: 'oracle' });
    expect(failed.tests).toEqual([
      { id: 'tests.test_mathy::test_small', outcome: 'passed' },
      { id: 'tests.test_mathy::test_big', outcome: 'failed', message: 'assert 0 == 300' },
    ]);
    expect(ofType(wrong.events, 'flow_finished')[0].verdict).toBe('fail');

    const right = await harness({ label: 'scripted model (test double)', answers: [{ slot: 'implement', text: `${RIGHT}\`\`\`\n` }] }, { task: TASK, gateTimeoutMs: 60_000 });
    await right.engine.start();
    expect(ofType(right.events, 'test_run')[0]).toMatchObject({ verdict: 'pass', tests: [{ outcome: 'passed' }, { outcome: 'passed' }] });
    expect(ofType(right.events, 'flow_finished')[0].verdict).toBe('pass');
  }, 120_000);
});

/** Every path under `dir` with its content, to prove a run left it as it was. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    out[path] = entry.isFile() ? await readFile(path, 'utf8') : 'dir';
  }
  return out;
}
