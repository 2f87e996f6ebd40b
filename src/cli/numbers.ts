// Number flags: one strict parser with the bounds the config file uses, and negative values kept away from parseArgs.

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

/**
 * `--seed -1` as `--seed=-1`: Node's parseArgs takes a value that starts with a dash for an option and stops with a
 * puzzling "argument is ambiguous". Joined, the value reaches `numberOption`, which accepts or refuses it by its range.
 */
export function withNegativeNumbers(argv: readonly string[], options: Record<string, { type: 'string' | 'boolean' }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return [...out, ...argv.slice(i)];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\.?\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}
