// Session format versions: how to tell which one a file is, and the chain that lifts old events to the current one.

import { SESSION_FORMAT_VERSION } from '../core/events.js';

/** A parsed JSONL line before it is known to be a valid current-format event. */
export type RawEvent = Record<string, unknown>;

/**
 * One step of the chain: turns an event of version `from` into one of version `from + 1`.
 * Steps are per event so a session streams through them without being held twice.
 */
interface Migration {
  from: number;
  describe: string;
  /** A lossless rename a reader need not hear about (no warning is shown for it). */
  quiet?: boolean;
  up(event: RawEvent): RawEvent;
}

/**
 * Format 0 (the prototype, before the header carried a version):
 * - every event named its variant in `kind` instead of `type`;
 * - the header had no `formatVersion`, and `model` was the bare configured name (every model was a llama-server);
 * - `problem` was the bare problem id, with the dataset path in a top-level `dataset` field.
 */
const v0ToV1: Migration = {
  from: 0,
  describe: 'format 0 (kind → type, bare model name and problem id in the header)',
  up(event) {
    const { kind, ...rest } = event;
    const lifted: RawEvent = { type: rest.type ?? kind, ...rest };
    if (lifted.type !== 'session_started') return lifted;
    const { dataset, ...header } = lifted;
    return {
      ...header,
      formatVersion: 1,
      model: typeof header.model === 'string' ? { name: header.model, kind: 'llama-server' } : header.model,
      problem: typeof header.problem === 'string' ? { id: header.problem, dataset: typeof dataset === 'string' ? dataset : '' } : header.problem,
    };
  },
};

/**
 * Format 1 named the work `problem: {id, dataset}` (a dataset row was the only kind); format 2 carries a task ref
 * (`task: {kind: 'dataset', dataset, id}`, or a commit or an intent) so repository tasks fit the same header.
 */
const v1ToV2: Migration = {
  from: 1,
  describe: 'format 1 (problem → task ref)',
  quiet: true,
  up(event) {
    if (event.type !== 'session_started') return event;
    const { problem, ...header } = event;
    const ref = problem as { id?: unknown; dataset?: unknown } | undefined;
    // formatVersion stays: the header keeps saying which format the file was written in.
    return {
      ...header,
      task: header.task ?? { kind: 'dataset', dataset: typeof ref?.dataset === 'string' ? ref.dataset : '', id: ref?.id },
    };
  },
};

const MIGRATIONS: Migration[] = [v0ToV1, v1ToV2];

/** The format a header line declares: `formatVersion`, or 0 for files written before it existed. */
export function formatVersionOf(header: RawEvent): number {
  const version = header.formatVersion;
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : 0;
}

/** True when a parsed first line is a session header in any known or future format. */
export function isHeaderLine(line: unknown): line is RawEvent {
  if (typeof line !== 'object' || line === null || Array.isArray(line)) return false;
  const record = line as RawEvent;
  return (record.type ?? record.kind) === 'session_started';
}

/** A function lifting one event of `version` to the current format (identity for current files). */
export function migrator(version: number): (event: RawEvent) => RawEvent {
  const steps = MIGRATIONS.filter((m) => m.from >= version && m.from < SESSION_FORMAT_VERSION).sort((a, b) => a.from - b.from);
  if (steps.length === 0) return (event) => event;
  return (event) => steps.reduce((e, step) => step.up(e), event);
}

/** One line naming the migrations a file goes through, for the reader's notes. */
export function migrationNote(version: number): string | undefined {
  const steps = MIGRATIONS.filter((m) => m.from >= version && m.from < SESSION_FORMAT_VERSION && !m.quiet);
  if (steps.length === 0) return undefined;
  return `migrated from ${steps.map((s) => s.describe).join(', then ')} to format ${SESSION_FORMAT_VERSION}`;
}
