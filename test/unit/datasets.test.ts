// Dataset loading against the real shared files: mapping, one-line errors, and references passing the real gate.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatePort } from '../../src/core/ports.js';
import { taskFile, type Task, type WorkspaceFile } from '../../src/core/task.js';
import { loadTask, loadTasks, SOLUTION_FILE } from '../../src/tools/datasets.js';
import { createPythonGate } from '../../src/tools/gate.js';
import { loadPythonParser } from '../../src/tools/python-parser.js';
import { sharedDir } from '../helpers/shared.js';

const dataset = (name: string) => join(sharedDir(), 'datasets', name);
let gate: GatePort;
let scratch: string;

beforeAll(async () => {
  gate = await createPythonGate();
  scratch = await mkdtemp(join(tmpdir(), 'slotbench-datasets-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A task's oracle run on given files. */
interface Judged {
  task: Task;
  files: WorkspaceFile[];
}
const withReference = (task: Task): Judged => ({ task, files: task.reference! });
const withStub = (task: Task): Judged => ({ task, files: task.files });

/** Run each task's check two at a time; verdicts in input order. */
async function verdicts(runs: Judged[]): Promise<string[]> {
  const out: string[] = new Array(runs.length);
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const i = next++;
      const { task, files } = runs[i];
      out[i] = (await gate.run({ workspace: { files }, check: task.oracle, judge: 'oracle', timeoutMs: 10_000 })).verdict;
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

const idsWhere = (tasks: Task[], verdictsOf: string[], wanted: string) => tasks.filter((_, i) => verdictsOf[i] !== wanted).map((t) => t.ref.id);
const stubOf = (task: Task) => taskFile(task, SOLUTION_FILE)!;
const referenceOf = (task: Task) => task.reference![0].text;

describe('HumanEval', () => {
  it('reads plain and gzipped JSONL alike', async () => {
    const plain = await loadTasks(dataset('HumanEval.jsonl'));
    const gzipped = await loadTasks(dataset('HumanEval.jsonl.gz'));
    expect(plain).toHaveLength(164);
    const withoutPath = (t: Task) => JSON.stringify(t).replaceAll(JSON.stringify(t.ref.kind === 'dataset' ? t.ref.dataset : '').slice(1, -1), '');
    expect(gzipped.map(withoutPath)).toEqual(plain.map(withoutPath));
  });

  it('maps the fields', async () => {
    const task = await loadTask(dataset('HumanEval.jsonl'), 'HumanEval/0');
    expect(task).toMatchObject({ ref: { kind: 'dataset', id: 'HumanEval/0' }, language: 'python', targets: [{ file: SOLUTION_FILE, symbol: 'has_close_elements' }] });
    expect(stubOf(task)).toMatch(/^from typing import List\n\n\ndef has_close_elements\(.*"""\n$/s);
    expect(task.statement).toMatch(/^Check if in given list of numbers, are any two numbers closer to each other than\ngiven threshold\./);
    expect(task.oracle).toMatchObject({ kind: 'script', module: SOLUTION_FILE, prelude: stubOf(task), bind: { has_close_elements: 'has_close_elements' } });
    expect(task.oracle.kind === 'script' && task.oracle.tests).toMatch(/def check\(candidate\):[\s\S]*\n\ncheck\(has_close_elements\)\n$/);
    expect(referenceOf(task).startsWith(stubOf(task))).toBe(true);
  });

  it('all 164 references pass the gate; the stubs of 0-9 fail', async () => {
    const problems = await loadTasks(dataset('HumanEval.jsonl'));
    const stubs = problems.slice(0, 10);
    const results = await verdicts([...problems.map(withReference), ...stubs.map(withStub)]);
    expect(idsWhere(problems, results.slice(0, 164), 'pass')).toEqual([]);
    expect(idsWhere(stubs, results.slice(164), 'fail')).toEqual([]);
  }, 300_000);
});

describe('MBPP', () => {
  it('maps the fields, with a stub from the reference', async () => {
    const task = await loadTask(dataset('mbpp.jsonl'), '11');
    expect(task).toMatchObject({
      ref: { kind: 'dataset', id: 'Mbpp/11' },
      targets: [{ file: SOLUTION_FILE, symbol: 'remove_Occ' }],
      statement: 'Write a python function to remove first and last occurrence of a given character from the string.',
    });
    expect(stubOf(task)).toBe('def remove_Occ(s,ch):\n    """Write a python function to remove first and last occurrence of a given character from the string."""\n    pass\n');
    expect(task.oracle).toEqual({
      kind: 'script',
      module: SOLUTION_FILE,
      tests: 'assert remove_Occ("hello","l") == "heo"\nassert remove_Occ("abcda","a") == "bcd"\nassert remove_Occ("PHP","P") == "H"\n',
      bind: { remove_Occ: 'remove_Occ' },
      bindAll: true,
    });
    expect(referenceOf(task)).not.toContain('\r');
    expect((await loadTask(dataset('mbpp.jsonl'), 'Mbpp/11')).ref.id).toBe('Mbpp/11');
  });

  it('finds the entry point inside a wrapping call and keeps the imports', async () => {
    const task = await loadTask(dataset('sanitized-mbpp.jsonl'), 'Mbpp/2');
    expect(task.targets[0].symbol).toBe('similar_elements');
    const withImport = (await loadTasks(dataset('mbpp.jsonl'))).find((t) => referenceOf(t).startsWith('import '))!;
    expect(stubOf(withImport)).toMatch(/^import .*\n\ndef /);
  });

  it('every stub parses (multi-line and commented def lines included)', async () => {
    const parser = await loadPythonParser();
    const problems = [...(await loadTasks(dataset('mbpp.jsonl'))), ...(await loadTasks(dataset('sanitized-mbpp.jsonl')))];
    expect(problems.filter((t) => parser.errors(stubOf(t)).length > 0).map((t) => t.ref.id)).toEqual([]);
    expect(stubOf(problems.find((t) => t.ref.id === 'Mbpp/966')!)).toMatch(/^def remove_empty\(tuple1\):\n/);
  });

  it('a sample of references pass the gate and their stubs fail', async () => {
    const full = (await loadTasks(dataset('mbpp.jsonl'))).filter((p, i) => i % 60 === 10);
    const sanitized = (await loadTasks(dataset('sanitized-mbpp.jsonl'))).filter((p, i) => i % 100 === 5);
    expect(await loadTasks(dataset('sanitized-mbpp.json'))).toHaveLength(427);
    const problems = [...full, ...sanitized];
    expect(problems.length).toBeGreaterThanOrEqual(20);
    const stubs = problems.slice(0, 10);
    const results = await verdicts([...problems.map(withReference), ...stubs.map(withStub)]);
    expect(idsWhere(problems, results.slice(0, problems.length), 'pass')).toEqual([]);
    expect(idsWhere(stubs, results.slice(problems.length), 'fail')).toEqual([]);
  }, 300_000);
});

describe('errors', () => {
  it('names an unreadable file', async () => {
    const path = join(scratch, 'missing.jsonl');
    await expect(loadTasks(path)).rejects.toThrow(`cannot read dataset ${path}: ENOENT: no such file or directory`);
  });

  it('names bad gzip', async () => {
    const path = join(scratch, 'bad.jsonl.gz');
    await writeFile(path, 'not gzip at all');
    await expect(loadTasks(path)).rejects.toThrow(new RegExp(`^cannot read dataset ${path}: not valid gzip`));
  });

  it('names the line that is not JSON', async () => {
    const good = (await import('node:fs')).readFileSync(dataset('HumanEval.jsonl'), 'utf8').split('\n').slice(0, 16);
    const path = join(scratch, 'broken.jsonl');
    await writeFile(path, [...good, '{"task_id": "HumanEval/16", oops', ''].join('\n'));
    await expect(loadTasks(path)).rejects.toThrow(`${path} line 17: not JSON`);
    await writeFile(`${path}.gz`, gzipSync([...good, 'oops'].join('\n')));
    await expect(loadTasks(`${path}.gz`)).rejects.toThrow(`${path}.gz line 17: not JSON`);
  });

  it('names an unknown format by its fields', async () => {
    const path = join(scratch, 'other.jsonl');
    await writeFile(path, '{"question": "q", "answer": "a"}\n');
    await expect(loadTasks(path)).rejects.toThrow(`${path} line 1: unknown dataset format (fields: question, answer)`);
  });

  it('says MBPP+ is not supported', async () => {
    await expect(loadTasks(dataset('MbppPlus-pre-v0.1.0-767efcc.jsonl.gz'))).rejects.toThrow(/MBPP\+ is not supported/);
  });

  it('names an unknown problem with the range there is', async () => {
    const path = dataset('HumanEval.jsonl');
    await expect(loadTask(path, 'HumanEval/999')).rejects.toThrow(`no problem "HumanEval/999" in ${path} (164 problems: HumanEval/0 … HumanEval/163)`);
    await expect(loadTask(dataset('mbpp.jsonl'), '9999')).rejects.toThrow(/\(974 problems: Mbpp\/1 … Mbpp\/974\)$/);
  });

  it('errors are UserErrors on one line', async () => {
    const error = await loadTasks(join(scratch, 'nope.jsonl')).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'UserError', code: 'dataset' });
    expect((error as Error).message).not.toContain('\n');
  });
});
