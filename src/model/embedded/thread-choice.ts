// Picks the embedded engine's thread count by timing generation on the loaded model, not by counting cores.

import type { LlamaModel, Token } from 'node-llama-cpp';

/** Generation speed measured at one thread count. */
export interface ThreadRate {
  threads: number;
  tokensPerSecond: number;
}

/** The thread count in force and how it was chosen. */
export interface ThreadChoice {
  threads: number;
  /** Rates behind an automatic choice, in the order measured; empty when the count was configured. */
  measured: ThreadRate[];
}

/** Tokens timed per candidate after one untimed token; their median interval gives the rate. */
const TIMED_TOKENS = 6;
/** More threads must beat fewer by this factor: on a tie, fewer leave cores to the test gate and other work. */
const MARGIN = 1.05;
const PROBE_CONTEXT = 64;

/** 1, 2, 4, … and `cores` itself: doubling keeps the probe short on big machines. */
export function threadCandidates(cores: number): number[] {
  const candidates: number[] = [];
  for (let threads = 1; threads < cores; threads *= 2) candidates.push(threads);
  candidates.push(Math.max(1, cores));
  return candidates;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Greedy generation on a small scratch context with `threads`, as tokens/s from the median token interval. Timing
 * ends early once it has taken `budgetMs`: a count that slow has lost already, and under load it can be very slow.
 */
async function generationRate(model: LlamaModel, threads: number, prompt: Token[], budgetMs: number): Promise<number> {
  const context = await model.createContext({ contextSize: PROBE_CONTEXT, sequences: 1, threads, flashAttention: false, failedCreationRemedy: false });
  try {
    const intervals: number[] = [];
    let last: number | undefined;
    let spent = 0;
    for await (const _token of context.getSequence().evaluate(prompt, { temperature: 0 })) {
      const now = performance.now();
      if (last !== undefined) {
        intervals.push(now - last);
        spent += now - last;
      }
      last = now;
      if (intervals.length >= TIMED_TOKENS || spent > budgetMs) break;
    }
    return 1000 / median(intervals);
  } finally {
    await context.dispose();
  }
}

/** The fastest measured count; more threads must beat fewer by MARGIN (a tie leaves cores to the test gate). */
export function fastestThreads(measured: readonly ThreadRate[]): number {
  let best = measured[0];
  for (const rate of measured) if (rate.tokensPerSecond > best.tokensPerSecond * MARGIN) best = rate;
  return best.threads;
}

/**
 * Times generation at each candidate count, fewest first, and stops once more threads got slower: past that point
 * the cores are oversubscribed.
 */
export async function measureThreads(model: LlamaModel, candidates: number[]): Promise<ThreadChoice> {
  const prompt = model.tokenize('Once upon a time', false).slice(0, 4);
  if (prompt.length === 0) prompt.push(model.tokens.bos ?? (0 as Token));
  const measured: ThreadRate[] = [];
  for (const threads of candidates) {
    const best = measured.length === 0 ? undefined : Math.max(...measured.map((r) => r.tokensPerSecond));
    const budgetMs = best === undefined ? Number.POSITIVE_INFINITY : ((2 * TIMED_TOKENS) / best) * 1000;
    const rate: ThreadRate = { threads, tokensPerSecond: await generationRate(model, threads, prompt, budgetMs) };
    const previous = measured.at(-1);
    measured.push(rate);
    if (previous !== undefined && rate.tokensPerSecond < previous.tokensPerSecond) break;
  }
  return { threads: fastestThreads(measured), measured };
}
