// Number flags: strict decimal parsing with the config's bounds.

import { describe, expect, it } from 'vitest';
import { numberOption } from '../../src/cli/numbers.js';
import { runSettings } from '../../src/cli/wiring.js';
import { LIMITS, parseRuled } from '../../src/core/limits.js';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';

describe('parseRuled', () => {
  it.each([
    ['', LIMITS.temperature],
    [' 1', LIMITS.temperature],
    ['0x10', LIMITS.temperature],
    ['1e1', LIMITS.temperature],
    ['+1', LIMITS.temperature],
    ['Infinity', LIMITS.temperature],
    ['1.', LIMITS.temperature],
    ['10.5', LIMITS.temperature],
    ['-1', LIMITS.seed],
    ['4294967296', LIMITS.seed],
    ['1e20', LIMITS.seed],
    ['1.5', LIMITS.seed],
    ['0', LIMITS.attempts],
    ['1e9', LIMITS.attempts],
    ['101', LIMITS.attempts],
    ['2147483648', LIMITS.timeoutMs],
  ])('refuses %j', (text, rule) => {
    expect(parseRuled(text, rule)).toBeUndefined();
  });

  it.each([
    ['0', LIMITS.temperature, 0],
    ['0.8', LIMITS.temperature, 0.8],
    ['.5', LIMITS.temperature, 0.5],
    ['10', LIMITS.temperature, 10],
    ['4294967295', LIMITS.seed, 4294967295],
    ['007', LIMITS.attempts, 7],
    ['2147483647', LIMITS.timeoutMs, 2147483647],
  ])('accepts %j', (text, rule, value) => {
    expect(parseRuled(text, rule)).toBe(value);
  });
});

describe('numberOption', () => {
  it('names the flag, the accepted range and what was typed', () => {
    expect(() => numberOption('', '--temperature', LIMITS.temperature)).toThrow('--temperature must be a number from 0 to 10, got ""');
    expect(() => numberOption('1e20', '--seed', LIMITS.seed)).toThrow('--seed must be an integer from 0 to 4294967295, got "1e20"');
    expect(() => numberOption('0', '--timeout-ms', LIMITS.timeoutMs)).toThrow('--timeout-ms must be an integer from 1 to 2147483647 ms, got "0"');
    expect(numberOption(undefined, '--seed', LIMITS.seed)).toBeUndefined();
  });

  it('gives run settings the same bounds as the config file', () => {
    expect(runSettings({ temperature: '0.7', seed: '4294967295', attempts: '3', 'n-probs': '5' }, DEFAULT_SAMPLING)).toEqual({
      sampling: { ...DEFAULT_SAMPLING, temperature: 0.7, seed: 4294967295, n_probs: 5 },
      attempts: 3,
    });
    expect(() => runSettings({ attempts: '1e9' }, DEFAULT_SAMPLING)).toThrow('--attempts must be an integer from 1 to 100, got "1e9"');
    expect(() => runSettings({ 'n-probs': '101' }, DEFAULT_SAMPLING)).toThrow('--n-probs must be an integer from 0 to 100, got "101"');
  });
});
