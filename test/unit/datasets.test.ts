// Dataset loading against the real shared files: mapping, one-line errors, and references passing the real gate.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatePort } from '../../src/core/ports.js';
import { testProgram, type Problem } from '../../src/core/problem.js';
import { loadProblem, loadProblems } from '../../src/tools/datasets.js';
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

/** Run `programs` through the gate two at a time; verdicts in input order. */
async function verdicts(programs: string[]): Promise<string[]> {
  const out: string[] = new Array(programs.length);
  let next = 0;
  const worker = async () => {
    while (next < programs.length) {
      const i = next++;
      out[i] = (await gate.run({ program: programs[i], timeoutMs: 10_000 })).verdict;
    }
  };
  await Promise.all([worker(), worker()]);
  return out;
}

const idsWhere = (problems: Problem[], verdictsOf: string[], wanted: string) => problems.filter((_, i) => verdictsOf[i] !== wanted).map((p) => p.id);

describe('HumanEval', () => {
  it('reads plain and gzipped JSONL alike', async () => {
    const plain = await loadProblems(dataset('HumanEval.jsonl'));
    const gzipped = await loadProblems(dataset('HumanEval.jsonl.gz'));
    expect(plain).toHaveLength(164);
    expect(gzipped.map((p) => ({ ...p, dataset: '' }))).toEqual(plain.map((p) => ({ ...p, dataset: '' })));
  });

  it('maps the fields', async () => {
    const problem = await loadProblem(dataset('HumanEval.jsonl'), 'HumanEval/0');
    expect(problem).toMatchObject({ id: 'HumanEval/0', language: 'python', entryPoint: 'has_close_elements' });
    expect(problem.stub).toMatch(/^from typing import List\n\n\ndef has_close_elements\(.*"""\n$/s);
    expect(problem.statement).toMatch(/^Check if in given list of numbers, are any two numbers closer to each other than\ngiven threshold\./);
    expect(problem.tests).toMatch(/def check\(candidate\):[\s\S]*\n\ncheck\(has_close_elements\)\n$/);
    expect(problem.reference!.startsWith(problem.stub)).toBe(true);
  });

  it('all 164 references pass the gate; the stubs of 0-9 fail', async () => {
    const problems = await loadProblems(dataset('HumanEval.jsonl'));
    const stubs = problems.slice(0, 10);
    const results = await verdicts([...problems.map((p) => testProgram(p, p.reference!)), ...stubs.map((p) => testProgram(p, p.stub))]);
    expect(idsWhere(problems, results.slice(0, 164), 'pass')).toEqual([]);
    expect(idsWhere(stubs, results.slice(164), 'fail')).toEqual([]);
  }, 60_000);
});

describe('MBPP', () => {
  it('maps the fields, with a stub from the reference', async () => {
    const problem = await loadProblem(dataset('mbpp.jsonl'), '11');
    expect(problem).toMatchObject({ id: 'Mbpp/11', entryPoint: 'remove_Occ', statement: 'Write a python function to remove first and last occurrence of a given character from the string.' });
    expect(problem.stub).toBe('def remove_Occ(s,ch):\n    """Write a python function to remove first and last occurrence of a given character from the string."""\n    pass\n');
    expect(problem.tests).toBe('assert remove_Occ("hello","l") == "heo"\nassert remove_Occ("abcda","a") == "bcd"\nassert remove_Occ("PHP","P") == "H"\n');
    expect(problem.reference).not.toContain('\r');
    expect((await loadProblem(dataset('mbpp.jsonl'), 'Mbpp/11')).id).toBe('Mbpp/11');
  });

  it('finds the entry point inside a wrapping call and keeps the imports', async () => {
    const problem = await loadProblem(dataset('sanitized-mbpp.jsonl'), 'Mbpp/2');
    expect(problem.entryPoint).toBe('similar_elements');
    const withImport = (await loadProblems(dataset('mbpp.jsonl'))).find((p) => p.reference!.startsWith('import '))!;
    expect(withImport.stub).toMatch(/^import .*\n\ndef /);
  });

  it('every stub parses (multi-line and commented def lines included)', async () => {
    const parser = await loadPythonParser();
    const problems = [...(await loadProblems(dataset('mbpp.jsonl'))), ...(await loadProblems(dataset('sanitized-mbpp.jsonl')))];
    expect(problems.filter((p) => parser.errors(p.stub).length > 0).map((p) => p.id)).toEqual([]);
    expect(problems.find((p) => p.id === 'Mbpp/966')!.stub).toMatch(/^def remove_empty\(tuple1\):\n/);
  });

  it('a sample of references pass the gate and their stubs fail', async () => {
    const full = (await loadProblems(dataset('mbpp.jsonl'))).filter((p, i) => i % 60 === 10);
    const sanitized = (await loadProblems(dataset('sanitized-mbpp.jsonl'))).filter((p, i) => i % 100 === 5);
    expect(await loadProblems(dataset('sanitized-mbpp.json'))).toHaveLength(427);
    const problems = [...full, ...sanitized];
    expect(problems.length).toBeGreaterThanOrEqual(20);
    const stubs = problems.slice(0, 10);
    const results = await verdicts([...problems.map((p) => testProgram(p, p.reference!)), ...stubs.map((p) => testProgram(p, p.stub))]);
    expect(idsWhere(problems, results.slice(0, problems.length), 'pass')).toEqual([]);
    expect(idsWhere(stubs, results.slice(problems.length), 'fail')).toEqual([]);
  }, 60_000);
});

describe('errors', () => {
  it('names an unreadable file', async () => {
    const path = join(scratch, 'missing.jsonl');
    await expect(loadProblems(path)).rejects.toThrow(`cannot read dataset ${path}: ENOENT: no such file or directory`);
  });

  it('names bad gzip', async () => {
    const path = join(scratch, 'bad.jsonl.gz');
    await writeFile(path, 'not gzip at all');
    await expect(loadProblems(path)).rejects.toThrow(new RegExp(`^cannot read dataset ${path}: not valid gzip`));
  });

  it('names the line that is not JSON', async () => {
    const good = (await import('node:fs')).readFileSync(dataset('HumanEval.jsonl'), 'utf8').split('\n').slice(0, 16);
    const path = join(scratch, 'broken.jsonl');
    await writeFile(path, [...good, '{"task_id": "HumanEval/16", oops', ''].join('\n'));
    await expect(loadProblems(path)).rejects.toThrow(`${path} line 17: not JSON`);
    await writeFile(`${path}.gz`, gzipSync([...good, 'oops'].join('\n')));
    await expect(loadProblems(`${path}.gz`)).rejects.toThrow(`${path}.gz line 17: not JSON`);
  });

  it('names an unknown format by its fields', async () => {
    const path = join(scratch, 'other.jsonl');
    await writeFile(path, '{"question": "q", "answer": "a"}\n');
    await expect(loadProblems(path)).rejects.toThrow(`${path} line 1: unknown dataset format (fields: question, answer)`);
  });

  it('says MBPP+ is not supported', async () => {
    await expect(loadProblems(dataset('MbppPlus-pre-v0.1.0-767efcc.jsonl.gz'))).rejects.toThrow(/MBPP\+ is not supported/);
  });

  it('names an unknown problem with the range there is', async () => {
    const path = dataset('HumanEval.jsonl');
    await expect(loadProblem(path, 'HumanEval/999')).rejects.toThrow(`no problem "HumanEval/999" in ${path} (164 problems: HumanEval/0 … HumanEval/163)`);
    await expect(loadProblem(dataset('mbpp.jsonl'), '9999')).rejects.toThrow(/\(974 problems: Mbpp\/1 … Mbpp\/974\)$/);
  });

  it('errors are UserErrors on one line', async () => {
    const error = await loadProblems(join(scratch, 'nope.jsonl')).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'UserError', code: 'dataset' });
    expect((error as Error).message).not.toContain('\n');
  });
});
