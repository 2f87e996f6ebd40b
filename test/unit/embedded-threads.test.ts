// Thread count of the embedded engine: candidates by core count, and a choice measured on the real tiny model.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmbeddedModel } from '../../src/model/embedded/index.js';
import { fastestThreads, threadCandidates } from '../../src/model/embedded/thread-choice.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MODEL_FILE = resolve(ROOT, '../shared/models/stories260K.gguf');

describe('thread candidates', () => {
  it('doubles from one up to the core count, which is always tried', () => {
    expect(threadCandidates(1)).toEqual([1]);
    expect(threadCandidates(2)).toEqual([1, 2]);
    expect(threadCandidates(6)).toEqual([1, 2, 4, 6]);
    expect(threadCandidates(8)).toEqual([1, 2, 4, 8]);
    expect(threadCandidates(12)).toEqual([1, 2, 4, 8, 12]);
    expect(threadCandidates(0)).toEqual([1]);
  });
});

describe('fastest threads', () => {
  const rates = (...perSecond: number[]) => perSecond.map((tokensPerSecond, i) => ({ threads: 2 ** i, tokensPerSecond }));

  it('keeps the fastest count', () => {
    expect(fastestThreads(rates(100))).toBe(1);
    expect(fastestThreads(rates(100, 140))).toBe(2);
    expect(fastestThreads(rates(100, 79))).toBe(1);
    expect(fastestThreads(rates(50, 90, 160, 150))).toBe(4);
  });

  it('takes more threads only when they beat fewer by more than 5 %', () => {
    expect(fastestThreads(rates(100, 104))).toBe(1);
    expect(fastestThreads(rates(100, 106))).toBe(2);
    expect(fastestThreads(rates(100, 120, 125))).toBe(2);
  });
});

describe('thread choice on stories260K.gguf', () => {
  const models = [
    createEmbeddedModel('auto', { path: MODEL_FILE, contextSize: 256 }),
    createEmbeddedModel('fixed', { path: MODEL_FILE, contextSize: 256, threads: 2 }),
  ];

  afterAll(async () => {
    for (const model of models) await model.close?.();
  });

  // Loading the binding and timing each count takes seconds, many more while other work loads the machine.
  it('measures from one thread up and reports the rates and the count chosen', { timeout: 120_000 }, async () => {
    expect(existsSync(MODEL_FILE)).toBe(true);
    const build = (await models[0].info()).build ?? '';
    const match = /, (\d+) threads? \(measured: (.*) tokens\/s\)$/.exec(build);
    expect(match, build).not.toBeNull();
    const measured = match![2].split(', ').map((pair) => pair.split(' → ').map(Number));
    expect(measured.map(([threads]) => threads)).toEqual(threadCandidates(measured.at(-1)![0]));
    for (const [, rate] of measured) expect(rate).toBeGreaterThan(0);
    expect(measured.map(([threads]) => threads)).toContain(Number(match![1]));
  });

  it('uses a configured count as given, without measuring', { timeout: 120_000 }, async () => {
    const info = await models[1].info();
    expect(info.build).toMatch(/ cpu, 2 threads \(configured\)$/);
    const completion = await models[1].generate(
      { prompt: 'Once upon a time', sampling: { temperature: 0, n_predict: 4, cache_prompt: false } },
      { onToken: () => {} },
    );
    expect(completion.generationSettings).toMatchObject({ threads: 2 });
  });
});
