// Determinism check over repeated runs (`run --repeat N`): did an answer that should not vary (T=0 or seeded) change, and why might it?

import { compareSessions, describeDivergence, type Divergence } from './compare.js';
import { slotLabel, type RecordedSlot, type SessionLike } from './recorded.js';
import { plural } from '../text/plural.js';

/** One answer that should have repeated and did not. */
export interface DeterminismChange {
  sessionA: string;
  sessionB: string;
  slot: string;
  /** Why the answer was expected to repeat: `temperature 0` or `seed N`. */
  expected: string;
  /** What differed first (token, output, error, code, result, gate). */
  kind: Divergence['kind'];
  /** One line, as `slotbench diff` says it. */
  description: string;
}

export interface DeterminismReport {
  /** Session ids, the first being the reference the others are compared with. */
  sessions: string[];
  /** Answers compared that should repeat (same request, temperature 0 or a fixed seed). */
  compared: number;
  deterministic: boolean;
  changes: DeterminismChange[];
  /** Recorded facts that could explain the first change (empty when nothing changed). */
  factors: string[];
}

/** Compare every session with the first, call by call, up to the first point where their requests differ. */
export function determinismReport(sessions: readonly SessionLike[]): DeterminismReport {
  const [reference, ...others] = sessions;
  const report: DeterminismReport = { sessions: sessions.map((s) => s.header.sessionId), compared: 0, deterministic: true, changes: [], factors: [] };
  if (!reference) return report;
  for (const other of others) {
    const comparison = compareSessions(reference, other);
    for (const pair of comparison.pairs) {
      const d = pair.difference;
      // Once the requests differ (prompt, sampling, slot sequence) nothing later is expected to repeat.
      if (d && (d.kind === 'slot' || d.kind === 'prompt' || d.kind === 'sampling')) break;
      // A call that errored has no answer to compare.
      if (pair.a?.error || pair.b?.error) continue;
      const expected = expectedToRepeat(pair.a!);
      if (!expected) {
        if (d) break;
        continue;
      }
      report.compared++;
      if (!d) continue;
      report.changes.push({
        sessionA: reference.header.sessionId,
        sessionB: other.header.sessionId,
        slot: slotLabel(pair.a!),
        expected,
        kind: d.kind,
        description: describeDivergence(d, comparison),
      });
      if (report.factors.length === 0) report.factors = explain(reference, other, pair.a!, pair.b!);
      break;
    }
  }
  report.deterministic = report.changes.length === 0;
  return report;
}

function expectedToRepeat(slot: RecordedSlot): string | undefined {
  const sampling = slot.request?.sampling;
  if (!sampling) return undefined;
  if (sampling.temperature === 0) return 'temperature 0';
  return sampling.seed !== undefined ? `seed ${sampling.seed}` : undefined;
}

/** What the recordings say about the usual causes: prompt cache, server slot, server build, seed. */
function explain(a: SessionLike, b: SessionLike, slotA: RecordedSlot, slotB: RecordedSlot): string[] {
  const factors: string[] = [];
  const sampling = slotA.request!.sampling;
  const cachedA = slotA.output?.tokensCached ?? slotA.output?.timings?.cache_n;
  const cachedB = slotB.output?.tokensCached ?? slotB.output?.timings?.cache_n;
  if (sampling.cache_prompt) {
    factors.push(
      `cache_prompt was on (prompt tokens reused from the KV cache: A ${cachedA ?? '?'}, B ${cachedB ?? '?'}): a cached prefix is evaluated in other batches than a fresh one, which can shift logits; rerun with cache_prompt off to rule it out`,
    );
  }
  if (sampling.id_slot === undefined) {
    factors.push(`id_slot was not pinned (server slot used: A ${slotA.output?.idSlot ?? '?'}, B ${slotB.output?.idSlot ?? '?'}): different slots hold different cache state`);
  }
  if (a.header.model.fingerprint !== b.header.model.fingerprint || a.header.model.name !== b.header.model.name) {
    factors.push(`the model differs: A ${a.header.model.name} (${a.header.model.fingerprint ?? 'no fingerprint'}), B ${b.header.model.name} (${b.header.model.fingerprint ?? 'no fingerprint'})`);
  }
  const settingsA = slotA.output?.generationSettings ?? {};
  const settingsB = slotB.output?.generationSettings ?? {};
  const changed = [...new Set([...Object.keys(settingsA), ...Object.keys(settingsB)])].filter(
    (key) => JSON.stringify(settingsA[key]) !== JSON.stringify(settingsB[key]),
  );
  if (changed.length > 0) {
    const shown = changed.slice(0, 4).map((k) => `${k} ${JSON.stringify(settingsA[k]) ?? 'absent'} vs ${JSON.stringify(settingsB[k]) ?? 'absent'}`);
    factors.push(`the server reported other generation settings (a build or server flag change?): ${shown.join('; ')}${changed.length > 4 ? '; …' : ''}`);
  }
  factors.push(
    sampling.seed === undefined
      ? 'no fixed seed (greedy decoding at temperature 0 does not use one; above 0 every run samples afresh)'
      : `seed ${sampling.seed} (fixed in both runs)`,
  );
  return factors;
}

/** The lines `run --repeat` prints. */
export function formatDeterminismReport(report: DeterminismReport): string[] {
  const runs = `${report.sessions.length} runs, ${plural(report.compared, 'answer')} that should repeat compared`;
  if (report.compared === 0) {
    return [`determinism: ${report.sessions.length} runs: nothing to compare (no answer was at temperature 0 or seeded)`];
  }
  if (report.deterministic) return [`determinism: ${runs}: all identical`];
  return [
    `determinism: ${runs}: ${report.changes.length} changed`,
    ...report.changes.map((c) => `  ${c.sessionB} vs ${c.sessionA} (${c.expected}): ${c.description}`),
    'possible causes:',
    ...report.factors.map((f) => `  - ${f}`),
  ];
}
