// Number flags: one strict parser with the bounds the config file uses.

import { UserError } from '../core/errors.js';
import { describeRule, parseRuled, type NumberRule } from '../core/limits.js';

/**
 * Parse a number flag strictly (decimal digits only; see `parseRuled`) within `rule`. The message names the flag,
 * the accepted range and what was typed.
 */
export function numberOption(value: string | undefined, flag: string, rule: NumberRule): number | undefined {
  if (value === undefined) return undefined;
  const n = parseRuled(value, rule);
  if (n === undefined) throw new UserError(`${flag} must be ${describeRule(rule)}, got "${value}"`, 'bad_number');
  return n;
}

