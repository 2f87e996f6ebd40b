// Compares two sessions slot by slot and finds the first divergence: prompt, sampling, token, code, verdict.

import type { GateVerdict, ModelIdentity, Verdict } from '../core/events.js';
import type { Sampling } from '../core/sampling.js';
import { branchCalls, recordedRun, slotLabel, type RecordedSlot, type SessionLike } from './recorded.js';

/** Where two texts first differ, with a little context on each side. */
export interface TextDifference {
  offset: number;
  /** Excerpts around the offset (ellipsis where cut). */
  a: string;
  b: string;
}

export type Divergence =
  /** One side has no slot at this position, or a different one. */
  | { kind: 'slot'; pair: number; a?: string; b?: string }
  | ({ kind: 'prompt'; pair: number } & TextDifference)
  | { kind: 'sampling'; pair: number; param: string; a: unknown; b: unknown }
  /** An output token; `undefined` on the side whose answer ended first. */
  | { kind: 'token'; pair: number; index: number; a?: string; b?: string }
  /** Output text (when tokens are the same or were not recorded). */
  | ({ kind: 'output'; pair: number } & TextDifference)
  | { kind: 'error'; pair: number; a?: string; b?: string }
  | ({ kind: 'code'; pair: number; what: 'extracted code' | 'applied diff' } & TextDifference)
  | { kind: 'status'; pair: number; a?: string; b?: string }
  | { kind: 'gate'; pair: number; a: GateVerdict[]; b: GateVerdict[] }
  | { kind: 'flow'; a?: Verdict; b?: Verdict };

/** Two slots at the same place of their runs. */
export interface SlotPair {
  a?: RecordedSlot;
  b?: RecordedSlot;
  /** First difference within this pair. */
  difference?: Divergence;
}

export interface SideSummary {
  sessionId: string;
  path?: string;
  model: ModelIdentity;
  label?: string;
  flow: string;
  problem: string;
  branch: number;
  verdict?: Verdict;
  reason?: string;
}

export interface SessionComparison {
  a: SideSummary;
  b: SideSummary;
  pairs: SlotPair[];
  /** The first divergence, in run order; absent when the runs agree. */
  divergence?: Divergence;
}

/** How the two sides are called in text (`A`/`B`, `recorded`/`rerun`). */
export interface SideNames {
  a: string;
  b: string;
}

export interface CompareOptions {
  /** 'order': the n-th call of A against the n-th of B; 'name': by (slot name, attempt, occurrence). */
  align?: 'order' | 'name';
  /** Branch of each side to compare (with its inherited prefix); default 0, the original run. */
  branchA?: number;
  branchB?: number;
}

/** Sampling parameters in the order they are checked; any others follow alphabetically. */
const SAMPLING_ORDER: (keyof Sampling)[] = [
  'temperature', 'top_k', 'top_p', 'min_p', 'seed', 'n_predict', 'stop', 'grammar', 'json_schema', 'n_probs', 'cache_prompt', 'id_slot',
];

export function compareSessions(a: SessionLike, b: SessionLike, options: CompareOptions = {}): SessionComparison {
  const runA = recordedRun(a.events);
  const runB = recordedRun(b.events);
  const branchA = options.branchA ?? 0;
  const branchB = options.branchB ?? 0;
  const callsA = branchCalls(runA, branchA);
  const callsB = branchCalls(runB, branchB);
  const pairs = (options.align === 'name' ? alignByName(callsA, callsB) : alignByOrder(callsA, callsB)).map((pair, i) => ({
    ...pair,
    difference: pairDifference(pair, i),
  }));
  const side = (s: SessionLike, branch: number, run: typeof runA): SideSummary => ({
    sessionId: s.header.sessionId,
    ...(s.path ? { path: s.path } : {}),
    model: s.header.model,
    ...(s.header.label ? { label: s.header.label } : {}),
    flow: s.header.flow,
    problem: s.header.task.id,
    branch,
    verdict: run.branches.get(branch)?.verdict,
    reason: run.branches.get(branch)?.reason,
  });
  const result: SessionComparison = { a: side(a, branchA, runA), b: side(b, branchB, runB), pairs };
  const divergence = pairs.find((p) => p.difference)?.difference;
  if (divergence) result.divergence = divergence;
  else if (result.a.verdict !== result.b.verdict) result.divergence = { kind: 'flow', a: result.a.verdict, b: result.b.verdict };
  return result;
}

function alignByOrder(a: RecordedSlot[], b: RecordedSlot[]): SlotPair[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => ({ a: a[i], b: b[i] }));
}

function alignByName(a: RecordedSlot[], b: RecordedSlot[]): SlotPair[] {
  const keyed = (slots: RecordedSlot[]) => {
    const seen = new Map<string, number>();
    return slots.map((slot) => {
      const base = `${slot.name}\0${slot.attempt}`;
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return { key: `${base}\0${n}`, slot };
    });
  };
  const rest = new Map(keyed(b).map(({ key, slot }) => [key, slot]));
  const pairs: SlotPair[] = keyed(a).map(({ key, slot }) => {
    const other = rest.get(key);
    rest.delete(key);
    return { a: slot, b: other };
  });
  for (const slot of rest.values()) pairs.push({ b: slot });
  return pairs;
}

/** The first thing that differs between two aligned calls, checked in the order they happen. */
function pairDifference({ a, b }: SlotPair, pair: number): Divergence | undefined {
  if (!a || !b || a.name !== b.name) return { kind: 'slot', pair, a: a && slotLabel(a), b: b && slotLabel(b) };
  const prompt = firstTextDifference(a.request?.prompt ?? '', b.request?.prompt ?? '');
  if (prompt) return { kind: 'prompt', pair, ...prompt };
  const param = samplingDifference(a.request?.sampling, b.request?.sampling);
  if (param) return { kind: 'sampling', pair, ...param };
  const tokens = tokenDifference(a, b);
  if (tokens !== undefined) return { kind: 'token', pair, ...tokens };
  const output = firstTextDifference(a.output?.text ?? '', b.output?.text ?? '');
  if (output) return { kind: 'output', pair, ...output };
  if (a.error?.code !== b.error?.code) return { kind: 'error', pair, a: a.error?.message, b: b.error?.message };
  const extracted = firstTextDifference(a.extracted ?? '', b.extracted ?? '');
  if (extracted) return { kind: 'code', pair, what: 'extracted code', ...extracted };
  const diff = firstTextDifference(a.diff ?? '', b.diff ?? '');
  if (diff) return { kind: 'code', pair, what: 'applied diff', ...diff };
  if (a.status !== b.status) return { kind: 'status', pair, a: a.status, b: b.status };
  if (a.gates.join() !== b.gates.join()) return { kind: 'gate', pair, a: a.gates, b: b.gates };
  return undefined;
}

function tokenDifference(a: RecordedSlot, b: RecordedSlot): { index: number; a?: string; b?: string } | undefined {
  // Without token events on both sides the output text is compared instead.
  if (a.tokens.length === 0 || b.tokens.length === 0) return undefined;
  const length = Math.max(a.tokens.length, b.tokens.length);
  for (let i = 0; i < length; i++) {
    if (a.tokens[i]?.text !== b.tokens[i]?.text) return { index: i, a: a.tokens[i]?.text, b: b.tokens[i]?.text };
  }
  return undefined;
}

/** The first sampling parameter whose values differ (absent counts as a value). */
export function samplingDifference(a: Sampling | undefined, b: Sampling | undefined): { param: string; a: unknown; b: unknown } | undefined {
  const left = (a ?? {}) as unknown as Record<string, unknown>;
  const right = (b ?? {}) as unknown as Record<string, unknown>;
  const others = [...new Set([...Object.keys(left), ...Object.keys(right)])].filter((k) => !SAMPLING_ORDER.includes(k as keyof Sampling)).sort();
  for (const param of [...SAMPLING_ORDER, ...others]) {
    if (JSON.stringify(left[param]) !== JSON.stringify(right[param])) return { param, a: left[param], b: right[param] };
  }
  return undefined;
}

/** Where `a` and `b` first differ, with `context` characters around it; undefined when equal. */
export function firstTextDifference(a: string, b: string, context = 24): TextDifference | undefined {
  if (a === b) return undefined;
  let offset = 0;
  while (offset < a.length && offset < b.length && a[offset] === b[offset]) offset++;
  const excerpt = (text: string) => {
    const start = Math.max(0, offset - context);
    const end = Math.min(text.length, offset + context);
    return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
  };
  return { offset, a: excerpt(a), b: excerpt(b) };
}

/** One line describing a divergence (untrusted text is quoted as JSON strings; strip control before printing). */
export function describeDivergence(d: Divergence, comparison: SessionComparison, names: SideNames = { a: 'A', b: 'B' }): string {
  const { a: A, b: B } = names;
  if (d.kind === 'flow') return `flow verdict differs: ${A} ${d.a ?? 'unfinished'} vs ${B} ${d.b ?? 'unfinished'}`;
  const pair = comparison.pairs[d.pair];
  const slot = `slot ${slotLabel((pair.a ?? pair.b)!)}`;
  const q = (value: unknown) => (value === undefined ? 'absent' : JSON.stringify(value));
  switch (d.kind) {
    case 'slot':
      return `call ${d.pair + 1}: ${A} ${d.a ? `ran slot ${d.a}` : 'has no more calls'}, ${B} ${d.b ? `ran slot ${d.b}` : 'has no more calls'}`;
    case 'prompt':
      return `${slot}: the prompt differs at char ${d.offset}: ${A} ${q(d.a)} vs ${B} ${q(d.b)}`;
    case 'sampling':
      return `${slot}: sampling ${d.param} differs: ${A} ${q(d.a)} vs ${B} ${q(d.b)}`;
    case 'token':
      return `${slot}: output token ${d.index} differs: ${A} ${d.a === undefined ? 'ended' : q(d.a)} vs ${B} ${d.b === undefined ? 'ended' : q(d.b)}`;
    case 'output':
      return `${slot}: the output differs at char ${d.offset}: ${A} ${q(d.a)} vs ${B} ${q(d.b)}`;
    case 'error':
      return `${slot}: ${A} ${d.a ? `failed: ${d.a}` : 'answered'}, ${B} ${d.b ? `failed: ${d.b}` : 'answered'}`;
    case 'code':
      return `${slot}: the ${d.what} differs at char ${d.offset}: ${A} ${q(d.a)} vs ${B} ${q(d.b)}`;
    case 'status':
      return `${slot}: result differs: ${A} ${d.a ?? 'none'} vs ${B} ${d.b ?? 'none'}`;
    case 'gate':
      return `${slot}: gate verdict differs: ${A} ${d.a.join(', ') || 'not tested'} vs ${B} ${d.b.join(', ') || 'not tested'}`;
  }
}

/** The text report of `slotbench diff`. */
export function formatComparison(comparison: SessionComparison, names: SideNames = { a: 'A', b: 'B' }): string[] {
  const side = (name: string, s: SideSummary) =>
    `${name}: ${s.sessionId}${s.branch ? ` branch ${s.branch}` : ''} · ${s.flow} ${s.problem} · ${s.model.name} (${s.model.kind})` +
    ` · ${s.verdict ?? 'unfinished'}${s.label ? ` [${s.label}]` : ''}`;
  const lines = [side(names.a, comparison.a), side(names.b, comparison.b)];
  const same = comparison.pairs.findIndex((p) => p.difference);
  const agreeing = same < 0 ? comparison.pairs.length : same;
  const calls = agreeing === 1 ? '1 slot call agrees' : `${agreeing} slot calls agree`;
  if (!comparison.divergence) {
    lines.push(`no divergence: ${calls} (prompts, sampling, tokens, code, gate verdicts) and both ended ${comparison.a.verdict ?? 'unfinished'}`);
    return lines;
  }
  lines.push(`${calls} before the first divergence:`);
  lines.push(`  ${describeDivergence(comparison.divergence, comparison, names)}`);
  if (comparison.divergence.kind !== 'flow' && comparison.a.verdict !== comparison.b.verdict) {
    lines.push(`flow verdicts: ${names.a} ${comparison.a.verdict ?? 'unfinished'} vs ${names.b} ${comparison.b.verdict ?? 'unfinished'}`);
  }
  return lines;
}
