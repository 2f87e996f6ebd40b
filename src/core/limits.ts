// Bounds of the numbers a person sets (config file, command line, workbench) and the one strict parser for typed ones.

/** What a number may be. */
export interface NumberRule {
  /** Whole numbers only. */
  integer: boolean;
  min: number;
  max: number;
  /** Unit for messages, e.g. "ms". */
  unit?: string;
}

/** Largest timer Node can hold (about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The shared bounds: the config checker and every command-line flag of the same meaning use these. */
export const LIMITS = {
  /** A sampling seed: llama.cpp's seeds are 32-bit unsigned (its "random" −1 is "no seed" here). */
  seed: { integer: true, min: 0, max: 0xffffffff },
  /** Sampling temperature; above ~2 a tiny model writes noise, 10 leaves room to see that. */
  temperature: { integer: false, min: 0, max: 10 },
  /** Attempts of a flow (model call + test run each). */
  attempts: { integer: true, min: 1, max: 100 },
  /** Top-N token probabilities per token. */
  nProbs: { integer: true, min: 0, max: 100 },
  /** Wall-clock limit of one test run. */
  timeoutMs: { integer: true, min: 1, max: MAX_TIMER_MS, unit: 'ms' },
  /** Samples per temperature of a probe. */
  samples: { integer: true, min: 1, max: 10_000 },
  /** Runs of `run --repeat`. */
  repeat: { integer: true, min: 1, max: 1000 },
  /** Repeats of every problem in an eval. */
  evalRepeat: { integer: true, min: 1, max: 100 },
  /** Retries of a problem whose run ended in an error (not a verdict). */
  retries: { integer: true, min: 0, max: 10 },
  /** A branch id of a session. */
  branch: { integer: true, min: 0, max: Number.MAX_SAFE_INTEGER },
  /** A count of problems, lines and the like. */
  count: { integer: true, min: 1, max: Number.MAX_SAFE_INTEGER },
} as const satisfies Record<string, NumberRule>;

/** "an integer from 0 to 4294967295", "a number from 0 to 10": the rule in words for messages. */
export function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  const max = rule.max === Number.MAX_SAFE_INTEGER || rule.max === Infinity ? undefined : rule.max;
  const unit = rule.unit ? ` ${rule.unit}` : '';
  return max === undefined ? `${kind} ≥ ${rule.min}${unit}` : `${kind} from ${rule.min} to ${max}${unit}`;
}

/** True when `value` is a finite number the rule allows. */
export function withinRule(value: number, rule: NumberRule): boolean {
  return Number.isFinite(value) && (!rule.integer || Number.isInteger(value)) && value >= rule.min && value <= rule.max;
}

/**
 * A typed number, strictly: plain decimal digits with an optional minus sign (and a fraction only where the rule
 * allows one), within the rule's bounds; so "", " 1", "0x10", "1e20", "+1" and "Infinity" are refused (undefined).
 */
export function parseRuled(text: string, rule: NumberRule): number | undefined {
  const digits = rule.integer ? /^-?\d+$/ : /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;
  if (!digits.test(text)) return undefined;
  const value = Number(text);
  return withinRule(value, rule) ? value : undefined;
}
