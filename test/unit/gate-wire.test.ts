// What crosses between the judge and the candidate: exact builtins, remote handles, exceptions and tracebacks.

import { describe, expect, it } from 'vitest';
import type { GateInput } from '../../src/core/ports.js';
import { createPythonGate, type PythonGate } from '../../src/tools/gate.js';
import { resolvePython } from '../../src/tools/python.js';

const python = (await resolvePython()).executable;
const gate: PythonGate = await createPythonGate({ python, sandbox: 'none', cgroup: false });

/** The candidate `module` judged by `tests`, with every top-level function and class bound (as MBPP does). */
function input(module: string, tests: string): GateInput {
  return {
    workspace: { files: [{ path: 'solution.py', text: module }] },
    check: { kind: 'script', module: 'solution.py', tests, bind: {}, bindAll: true },
    judge: 'oracle',
    timeoutMs: 20_000,
  };
}

async function judged(module: string, tests: string) {
  const info = await gate.run(input(module, tests));
  return { verdict: info.verdict, stdout: info.stdoutTail, stderr: info.stderrTail };
}

const VALUES = `
import collections, math

Point = collections.namedtuple("Point", "x y")

class MyList(list):
    def __eq__(self, other):
        return True

def values():
    return [None, True, 0, -7, 2 ** 200, -(2 ** 90), 1.5, float("nan"), float("inf"), -0.0, 3 + 4j, "é\\ud800", b"\\x00\\xff",
            bytearray(b"ab"), (1, (2,)), {1, 2}, frozenset({3}), {(1, 2): [3], None: {"k": 4}}, Point(1, 2),
            MyList([1]), collections.Counter("aab"), int, ValueError]
`;

describe('values', () => {
  it('arrive as exact builtins: subclasses as their builtin value, types as themselves', async () => {
    const tests = `
got = values()
want = [None, True, 0, -7, 2 ** 200, -(2 ** 90), 1.5, None, float("inf"), -0.0, 3 + 4j, "é\\ud800", b"\\x00\\xff",
        bytearray(b"ab"), (1, (2,)), {1, 2}, frozenset({3}), {(1, 2): [3], None: {"k": 4}}, (1, 2), [1], {"a": 2, "b": 1},
        int, ValueError]
assert len(got) == len(want)
for g, w in zip(got, want):
    assert type(g) is type(w) or w is None and g != g, (g, w)
    assert g == w or g != g, (g, w)
assert math.isnan(got[7]) and math.copysign(1, got[9]) == -1
print("ok")
`;
    expect(await judged(VALUES, tests)).toMatchObject({ verdict: 'pass', stdout: 'ok\n' });
  });

  it('a list subclass whose __eq__ is always True compares by its items', async () => {
    expect((await judged(VALUES, 'assert values()[19] == [2]\n')).verdict).toBe('fail');
  });

  it('builtin types cross as arguments (MBPP 533 passes `int`)', async () => {
    const module = 'def keep(items, kind):\n    return [x for x in items if not isinstance(x, kind)]\n';
    expect((await judged(module, 'assert keep((1, 2.5, "a"), int) == [2.5, "a"]\n')).verdict).toBe('pass');
  });

  it('the judge refuses to hand the candidate anything but plain data', async () => {
    const { verdict, stderr } = await judged('def call(f):\n    return f(1)\n', 'assert call(lambda x: x) == 1\n');
    expect(verdict).toBe('fail');
    expect(stderr).toContain("TypeError: slotbench: a function cannot be passed to the candidate's process (plain data only)");
  });
});

describe('remote handles', () => {
  const module = `
class Node:
    def __init__(self, value):
        self.value = value
        self.left = None

    def total(self):
        return self.value + (self.left.total() if self.left else 0)

    def __len__(self):
        return 2

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__

def count(n):
    for i in range(n):
        yield i
    raise KeyError("after the items")
`;

  it('construct, set attributes to other handles, call methods, and compare by identity only', async () => {
    const tests = `
root = Node(1)
root.left = Node(2)
assert root.total() == 3
assert root.left.value == 2
assert len(root) == 2 and bool(root)
assert root == root and root != Node(1) and not (root == 1)
assert {root: 1}[root] == 1
print(type(root).__name__, "Node" in repr(root))
`;
    expect(await judged(module, tests)).toMatchObject({ verdict: 'pass', stdout: 'Remote True\n' });
  });

  it('iterate in batches and deliver an exception only after the items before it', async () => {
    const tests = `
seen = []
try:
    for item in count(700):
        seen.append(item)
except KeyError as error:
    print(len(seen), seen[-1], error)
gen = count(3)
assert next(gen) == 0 and next(gen) == 1
`;
    expect(await judged(module, tests)).toMatchObject({ verdict: 'pass', stdout: "700 699 'after the items'\n" });
  });
});

describe('exceptions', () => {
  it('come back as the builtin type of the same name; a candidate class keeps its name and its builtin base', async () => {
    const module = `
class Oops(ValueError):
    pass

def fail(kind):
    if kind == "key":
        return {}["missing"]
    if kind == "file":
        return open("/nonexistent/file")
    raise Oops("custom")
`;
    const tests = `
for kind, expected in [("key", KeyError), ("file", FileNotFoundError), ("custom", ValueError)]:
    try:
        fail(kind)
    except expected as error:
        print(type(error).__name__, error)
`;
    expect(await judged(module, tests)).toMatchObject({
      verdict: 'pass',
      stdout: "KeyError 'missing'\nFileNotFoundError [Errno 2] No such file or directory: '/nonexistent/file'\nOops custom\n",
    });
  });

  it('SystemExit from the candidate is an ordinary failure, never the end of the judge', async () => {
    const module = 'import sys\n\ndef stop():\n    sys.exit(0)\n';
    const tests = 'try:\n    stop()\nexcept Exception as error:\n    print("caught", type(error).__name__)\nassert False\n';
    const { verdict, stdout } = await judged(module, tests);
    expect(verdict).toBe('fail');
    expect(stdout).toBe('caught SystemExit\n');
  });

  it('show the tests\' frames, then the candidate\'s, as one program would, with the chain', async () => {
    const module = 'def inner(x):\n    return [1][x]\n\n\ndef outer(x):\n    try:\n        return inner(x)\n    except IndexError as error:\n        raise ValueError("bad x") from error\n';
    const tests = 'def check():\n    assert outer(5) == 1\n\n\ncheck()\n';
    const { verdict, stderr } = await judged(module, tests);
    expect(verdict).toBe('fail');
    const program = /File "([^"]*\/program\.py)"/.exec(stderr)![1];
    expect(stderr.replaceAll(program, 'program.py')).toBe(
      [
        'Traceback (most recent call last):',
        '  File "program.py", line 7, in outer',
        '    return inner(x)',
        '           ^^^^^^^^',
        '  File "program.py", line 2, in inner',
        '    return [1][x]',
        '           ~~~^^^',
        'IndexError: list index out of range',
        '',
        'The above exception was the direct cause of the following exception:',
        '',
        'Traceback (most recent call last):',
        '  File "program.py", line 16, in <module>',
        '    check()',
        '  File "program.py", line 13, in check',
        '    assert outer(5) == 1',
        '           ^^^^^^^^',
        '  File "program.py", line 9, in outer',
        '    raise ValueError("bad x") from error',
        'ValueError: bad x',
        '',
      ].join('\n'),
    );
  });
});

describe('a candidate that breaks the channel', () => {
  it('dying mid-call fails the run even when the tests swallow every exception', async () => {
    const module = 'import os\n\ndef answer():\n    os._exit(0)\n';
    const tests = 'for _ in range(3):\n    try:\n        answer()\n    except:\n        pass\nprint("tests ran to the end")\n';
    const { verdict, stdout, stderr } = await judged(module, tests);
    expect(verdict).toBe('fail');
    expect(stdout).toBe('tests ran to the end\n');
    expect(stderr).toBe("slotbench.CandidateExited: the candidate's process ended during a call (it exited, was killed by a signal, or hit a limit)\n");
  });

  it('a forged reply that is not a proper answer ends the candidate for the judge, even when swallowed', async () => {
    const module = [
      'import json, os, struct, time',
      '',
      'def answer():',
      '    body = json.dumps({"id": 2, "err": 5}).encode()  # id 1 was the judge looking the function up',
      '    os.write(3, struct.pack(">I", len(body)) + body)',
      '    time.sleep(2)',
      '    return 42',
    ].join('\n');
    const tests = 'try:\n    answer()\nexcept BaseException:\n    pass\nprint("swallowed")\n';
    const { verdict, stdout, stderr } = await judged(module, tests);
    expect(verdict).toBe('fail');
    expect(stdout).toBe('swallowed\n');
    expect(stderr).toBe("slotbench.CandidateExited: the candidate's process sent a bad exception\n");
  });

  it('a value past the nesting limit is the candidate\'s error, not the judge\'s', async () => {
    const module = 'def deep():\n    value = []\n    for _ in range(500):\n        value = [value]\n    return value\n';
    const { verdict, stderr } = await judged(module, 'assert deep()\n');
    expect(verdict).toBe('fail');
    expect(stderr).toMatch(/wire\.WireError: value nested more than 100 deep\n$/);
  });
});
