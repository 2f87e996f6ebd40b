// The result of a probe from its run state: counts, pass@k with intervals, distinct solutions, divergence.

import type { CodeParser } from '../core/ports.js';
import type { RunState } from '../state/run-state.js';
import { groupSolutions } from './cluster.js';
import { firstDivergence } from './divergence.js';
import { probeSamples, type SampleView } from './samples.js';
import { INTERVAL_METHOD, passAtKTable } from './stats.js';
import { JUDGED, OUTCOMES, type ProbeResult, type SampleOutcome } from './types.js';

/** pass@k is reported for these k where there are at least k judged samples. */
export const PASS_AT = [1, 5, 10];

/**
 * One result per temperature, in the order the probe ran them (`slotName` for when no sample got to run). Works on a live probe's state and on a probe
 * session read back from its file (same reducer), so a replayed probe shows what the live one showed.
 * For a probe still running: `finishedOnly` counts only the samples that have ended (the others are not aborted, just
 * not done), and `temperatures` gives every temperature a result before its first sample starts.
 */
export function probeResults(state: RunState, parser: CodeParser, slotName?: string, options: { finishedOnly?: boolean; temperatures?: number[] } = {}): ProbeResult[] {
  const all = probeSamples(state);
  const views = all.filter((v) => !options.finishedOnly || state.branches.get(v.sample.branchId)?.finished !== undefined);
  const temperatures = [...new Set([...(options.temperatures ?? []), ...all.map((v) => v.sample.temperature)])];
  return temperatures.map((temperature) => summarise(state, views.filter((v) => v.sample.temperature === temperature), parser, temperature, slotName));
}

function summarise(state: RunState, views: SampleView[], parser: CodeParser, temperature: number, slotName?: string): ProbeResult {
  const samples = views.map((v) => v.sample);
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<SampleOutcome, number>;
  for (const sample of samples) counts[sample.outcome]++;
  const judged = samples.filter((s) => JUDGED.has(s.outcome)).length;
  const groups = groupSolutions(samples, parser);
  const divergence = firstDivergence(views.map((v) => v.slot?.scored ?? []));
  const slot = slotName ?? views.find((v) => v.slot)?.slot?.name ?? 'unknown';
  return {
    problem: state.header?.task.id ?? 'unknown',
    slot,
    model: state.header?.model.name ?? 'unknown',
    temperature,
    requested: samples.length,
    judged,
    passed: counts.pass,
    counts,
    repaired: samples.filter((s) => s.repaired).length,
    passAtK: passAtKTable(judged, counts.pass, PASS_AT),
    intervalMethod: INTERVAL_METHOD,
    groups,
    distinctPassing: groups.filter((g) => g.passing).length,
    ...(divergence ? { divergence } : {}),
    samples,
  };
}
