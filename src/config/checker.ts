// Field checks for hand-written JSON files: each failure is a UserError naming the file, the field path and the value.

import { UserError } from '../core/errors.js';
import { describeRule, withinRule, type NumberRule } from '../core/limits.js';

export type JsonObject = Record<string, unknown>;

/** The value as the person wrote it, short enough for one line. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Checks values of one file; `path` arguments are dotted field paths such as `models.qwen.url`. */
export class Checker {
  constructor(private readonly label: string) {}

  fail(problem: string): never {
    throw new UserError(`${this.label}: ${problem}`, 'config');
  }

  object(value: unknown, path: string): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(`${path} must be an object, got ${shown(value)}`);
    }
    return value as JsonObject;
  }

  /** Rejects keys outside `known`, so a typo does not silently fall back to a default. */
  keys(object: JsonObject, known: readonly string[], path: string): void {
    const unknown = Object.keys(object).filter((key) => !known.includes(key));
    if (unknown.length === 0) return;
    const where = unknown.map((key) => (path === '' ? key : `${path}.${key}`)).join(', ');
    this.fail(`unknown key${unknown.length > 1 ? 's' : ''} ${where} (known: ${known.join(', ')})`);
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value === '') this.fail(`${path} must be a non-empty string, got ${shown(value)}`);
    return value;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(`${path} must be true or false, got ${shown(value)}`);
    return value;
  }

  integer(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    return this.ruled(value, path, { integer: true, min, max });
  }

  number(value: unknown, path: string, min: number, max = Infinity): number {
    return this.ruled(value, path, { integer: false, min, max });
  }

  /** A number within a shared rule (`LIMITS`), so the file and the command line accept the same values. */
  ruled(value: unknown, path: string, rule: NumberRule): number {
    if (typeof value !== 'number' || !withinRule(value, rule)) this.fail(`${path} must be ${describeRule(rule)}, got ${shown(value)}`);
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
    if (!allowed.includes(value as T)) {
      this.fail(`${path} must be ${allowed.map((a) => `"${a}"`).join(' or ')}, got ${shown(value)}`);
    }
    return value as T;
  }

  strings(value: unknown, path: string): string[] {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      this.fail(`${path} must be an array of strings, got ${shown(value)}`);
    }
    return value as string[];
  }
}
