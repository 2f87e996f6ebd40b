// What a probe is asked and what it found: the shapes shared by the runner, the summary, the report and the pane.

import type { Estimate } from './stats.js';

/** How one sample ended. `repaired` is not an outcome: a repaired sample still passes or fails its tests. */
export type SampleOutcome = 'pass' | 'fail' | 'parse_error' | 'timeout' | 'crash' | 'error' | 'aborted' | 'not_run';

/** Outcomes in display order. */
export const OUTCOMES: readonly SampleOutcome[] = ['pass', 'fail', 'parse_error', 'timeout', 'crash', 'error', 'aborted', 'not_run'];

/** Outcomes that count as a judged sample for pass@k: the model was asked and something decided the result. */
export const JUDGED: ReadonlySet<SampleOutcome> = new Set(['pass', 'fail', 'parse_error', 'timeout', 'crash', 'error']);

/** One sample as the session records it. */
export interface ProbeSample {
  /** Position within its temperature's samples, from 0. */
  index: number;
  /** The branch that holds it in the session. */
  branchId: number;
  temperature: number;
  seed?: number;
  outcome: SampleOutcome;
  /** Its answer only parsed after the re-indent repair. */
  repaired: boolean;
  /** The candidate module the gate ran, else the code extracted from an answer that did not parse. */
  code?: string;
  /** The part of `code` the model wrote (the stub's unchanged lines left out), for display. */
  excerpt?: string;
  /** One line: the flow's reason, or why the sample did not run. */
  reason: string;
  /** Tokens of the probed slot. */
  tokens: number;
  /** Id of the probed slot execution in the session. */
  slotId?: string;
}

/** Samples whose code has the same normal form (no comments, whitespace or identifier names). */
export interface SolutionGroup {
  /** The parser's normal form; the key of the group. */
  key: string;
  count: number;
  /** Sample outcomes in the group (usually one kind; several when tests are flaky or time-dependent). */
  outcomes: Partial<Record<SampleOutcome, number>>;
  passing: boolean;
  /** Code of the group's first sample. */
  representative: string;
  /** The part of it the model wrote. */
  excerpt: string;
  /** Sample indices in the group. */
  samples: number[];
}

/** Where the samples' token streams first part ways, and what the model weighed there. */
export interface Divergence {
  /** Token position (from 0) within the probed slot's output. */
  position: number;
  /** Text all samples share before it. */
  prefix: string;
  /** What the samples actually chose at that position, most frequent first (`null` = the sample had ended). */
  chosen: Array<{ token: string | null; count: number }>;
  /** The first sample's top alternatives there, with probabilities (not log-probabilities). */
  alternatives: Array<{ token: string; probability: number }>;
}

/** The outcome distribution of one probe at one temperature. */
export interface ProbeResult {
  problem: string;
  slot: string;
  model: string;
  temperature: number;
  /** Samples asked for. */
  requested: number;
  /** Samples with a judged outcome: the `n` of pass@k. */
  judged: number;
  passed: number;
  counts: Record<SampleOutcome, number>;
  /** Samples that needed (and got) the re-indent repair. */
  repaired: number;
  passAtK: Estimate[];
  intervalMethod: string;
  groups: SolutionGroup[];
  distinctPassing: number;
  /** Present only when the slot streamed token probabilities (n_probs) and samples differ. */
  divergence?: Divergence;
  samples: ProbeSample[];
}
