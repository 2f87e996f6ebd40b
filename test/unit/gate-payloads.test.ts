// Hostile answers straight through the gate: every payload that fooled the one-program gate is judged not `pass`,
// and the two that passed all 164 HumanEval problems fail on every one of them.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import { assembleCandidate, extractCode } from '../../src/flows/extract.js';
import { loadTask, loadTasks, SOLUTION_FILE } from '../../src/tools/datasets.js';
import { sharedDir } from '../helpers/shared.js';
import { createPythonGate, type PythonGate } from '../../src/tools/gate.js';
import { findOnPath } from '../../src/tools/gate/find-on-path.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath } from '../helpers/engine-harness.js';

const hasBwrap = (await findOnPath('bwrap')) !== undefined;
const scripts = join(PROJECT_ROOT, 'test', 'fixtures', 'scripts');
const payloads = readdirSync(scripts).filter((name) => name.startsWith('payload-')).map((name) => name.replace(/\.json$/, ''));

/** The candidate module the implement flow would build from a payload script's answer. */
function candidateOf(task: Task, payload: string): string {
  const answer = (JSON.parse(readFileSync(join(scripts, `${payload}.json`), 'utf8')) as { answers: Array<{ text: string }> }).answers[0].text;
  const entry = task.targets[0].symbol;
  return assembleCandidate(task.files[0].text, entry, extractCode(answer, entry).code);
}

async function verdictOf(gate: PythonGate, task: Task, module: string, timeoutMs = 5000): Promise<string> {
  return (await gate.run({ workspace: { files: [{ path: SOLUTION_FILE, text: module }] }, check: task.oracle, judge: 'oracle', timeoutMs })).verdict;
}

/** Two at a time: the verdicts of `modules` in order. */
async function verdicts(gate: PythonGate, jobs: Array<[Task, string]>): Promise<string[]> {
  const out: string[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await verdictOf(gate, ...jobs[i]);
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

let tasks: Task[];
beforeAll(async () => {
  tasks = await loadTasks(humanEvalPath());
});

describe.each(hasBwrap ? (['bwrap', 'none'] as const) : (['none'] as const))('every payload, sandbox %s', (sandbox) => {
  it('is judged not pass', async () => {
    const gate = await createPythonGate({ sandbox });
    const results = await verdicts(gate, payloads.map((payload) => [tasks[0], candidateOf(tasks[0], payload)]));
    const passed = payloads.filter((_, i) => results[i] === 'pass');
    expect(passed).toEqual([]);
    expect(payloads.length).toBeGreaterThanOrEqual(19);
  }, 180_000);
});

describe('the payloads that passed all 164 HumanEval problems', () => {
  it('module-level SystemExit(0) after a wrong body, and os._exit(0) in the body, fail on every problem', async () => {
    const gate = await createPythonGate({ sandbox: hasBwrap ? 'bwrap' : 'none' });
    const jobs: Array<[Task, string]> = [];
    for (const task of tasks) {
      const stub = task.files[0].text;
      jobs.push([task, `${stub.trimEnd()}\n    return None\n\n\nraise SystemExit(0)\n`]);
      jobs.push([task, `${stub.trimEnd()}\n    import os\n    os._exit(0)\n`]);
    }
    const results = await verdicts(gate, jobs);
    const notFailed = jobs.map(([task], i) => `${task.ref.id} ${i % 2 ? 'os._exit' : 'SystemExit'}: ${results[i]}`).filter((_, i) => results[i] !== 'fail');
    expect(notFailed).toEqual([]);
  }, 600_000);
});

describe('shadowing what the tests call (MBPP binds every top-level function of the candidate)', () => {
  const mbpp = (file: string, id: string) => loadTask(join(sharedDir(), 'datasets', file), id);

  it('a candidate `set` or a class named like the module the tests use (`sys`) decides nothing', async () => {
    const gate = await createPythonGate({ sandbox: hasBwrap ? 'bwrap' : 'none' });
    const similar = await mbpp('sanitized-mbpp.jsonl', 'Mbpp/2');
    const rigged = 'def set(*args):\n    return 1\n\n\ndef similar_elements(a, b):\n    return None\n';
    expect(await verdictOf(gate, similar, rigged)).toBe('fail');
    const size = await mbpp('mbpp.jsonl', 'Mbpp/596');
    const fakeModule = 'class sys:\n    getsizeof = staticmethod(lambda value: 0)\n\n\ndef tuple_size(t):\n    return 0\n';
    expect(await verdictOf(gate, size, fakeModule)).toBe('fail');
    // The module the reference imports (and the tests use without importing) is the interpreter's own.
    expect(await verdictOf(gate, size, size.reference![0].text)).toBe('pass');
    // An entry point named like a builtin is still bound: the dataset names it.
    const sum = await mbpp('mbpp.jsonl', 'Mbpp/126');
    expect(await verdictOf(gate, sum, sum.reference![0].text)).toBe('pass');
  }, 120_000);
});
