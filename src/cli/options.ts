// One description per command drives its parsing, its `--help`, `slotbench help CMD` and the README table.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../core/errors.js';

/** One option as the person types it. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `dataset`. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** Placeholder shown in usage and help, e.g. `PATH`. */
  readonly value?: string;
  readonly description: string;
  /** Shown in help; the command applies it. */
  readonly default?: string;
  /** Usage lists it outside brackets and parsing refuses a command line without it. */
  readonly required?: boolean;
  /** May be given more than once; the values come as a list. */
  readonly multiple?: boolean;
  /** With `multiple`: takes every word after it, up to the next option (`--remove a b` = `--remove a --remove b`). */
  readonly words?: boolean;
}

/** A positional argument. */
export interface PositionalSpec {
  readonly name: string;
  readonly description: string;
  /** May be left out (only the last ones may be). */
  readonly optional?: boolean;
  /** Takes every remaining word (only the last one may); shown as `NAME…`. */
  readonly repeats?: boolean;
}

/** Everything a command accepts. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly positionals?: readonly PositionalSpec[];
  readonly options: readonly OptionSpec[];
  /** Lines after the option list (exit codes, notes). */
  readonly notes?: readonly string[];
}

/** Parsed values typed from the spec: booleans are booleans, the rest strings or absent. */
export type Values<O extends readonly OptionSpec[]> = {
  [K in O[number] as K['name']]: K['type'] extends 'boolean' ? boolean : K['multiple'] extends true ? string[] : string | undefined;
};

export interface Parsed<S extends CommandSpec> {
  values: Values<S['options']>;
  positionals: string[];
}

const HELP: OptionSpec = { name: 'help', type: 'boolean', description: 'show this help and exit' };

/** True when the command line asks for help (`--help` or `-h` anywhere): the entry point answers it. */
export function asksForHelp(argv: string[]): boolean {
  return argv.some((a) => a === '--help' || a === '-h');
}

/** Parse `argv` strictly against `spec`: unknown options, missing required ones and stray arguments are one-line errors. */
export function parseCommand<S extends CommandSpec>(spec: S, argv: string[]): Parsed<S> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const option of spec.options) options[option.name] = { type: option.type, ...(option.multiple ? { multiple: true } : {}) };
  let parsed: { values: Record<string, string | string[] | boolean | undefined>; positionals: string[] };
  try {
    const result = parseArgs({ args: joinNegativeValues(spec, spreadWords(spec, argv)), options, allowPositionals: true, strict: true });
    parsed = { values: result.values as Record<string, string | string[] | boolean | undefined>, positionals: result.positionals };
  } catch (error) {
    // parseArgs adds advice about `--` for positionals that start with a dash; no command here takes one.
    const first = (error as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '').replace(/\.$/, '');
    throw new UserError(`${first}: ${usageLine(spec)} (slotbench ${spec.name} --help lists every option)`, 'usage');
  }
  const expected = spec.positionals ?? [];
  const least = expected.filter((p) => !p.optional).length;
  const most = expected.at(-1)?.repeats ? Infinity : expected.length;
  if (parsed.positionals.length < least || parsed.positionals.length > most) {
    const what = expected.length === 0 ? 'no arguments' : expected.map(positionalUsage).join(' ');
    throw new UserError(`${spec.name} takes ${what}, got ${parsed.positionals.length === 0 ? 'none' : `"${parsed.positionals.join(' ')}"`}: ${usageLine(spec)}`, 'usage');
  }
  const missing = spec.options.filter((o) => o.required && parsed.values[o.name] === undefined).map((o) => `--${o.name}`);
  if (missing.length > 0) throw new UserError(`${spec.name} needs ${missing.join(' and ')}: ${usageLine(spec)}`, 'usage');
  const values: Record<string, string | string[] | boolean | undefined> = {};
  for (const option of spec.options) {
    const value = parsed.values[option.name];
    values[option.name] = option.type === 'boolean' ? value === true : option.multiple ? ((value as string[] | undefined) ?? []) : value;
  }
  return { values: values as Values<S['options']>, positionals: parsed.positionals };
}

/**
 * `--seed -1`: parseArgs takes `-1` for an option; a value that looks like a negative number goes with the option
 * before it, so the value's own check can say whether it is allowed.
 */
function joinNegativeValues(spec: CommandSpec, argv: string[]): string[] {
  const takesValue = new Set(spec.options.filter((o) => o.type === 'string').map((o) => `--${o.name}`));
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (takesValue.has(argv[i]) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** Each word after a `words` option, up to the next option, given as a value of its own. */
function spreadWords(spec: CommandSpec, argv: string[]): string[] {
  const takesWords = new Set(spec.options.filter((o) => o.words).map((o) => `--${o.name}`));
  const out: string[] = [];
  let option: string | undefined;
  for (const arg of argv) {
    if (option && !arg.startsWith('-')) {
      if (out.at(-1) !== option) out.push(option);
      out.push(arg);
      continue;
    }
    option = takesWords.has(arg) ? arg : undefined;
    out.push(arg);
  }
  return out;
}

function optionUsage(option: OptionSpec): string {
  return option.type === 'boolean' ? `--${option.name}` : `--${option.name} ${option.value ?? 'VALUE'}`;
}

/** `SESSION`, `[RUN_B]`, `[TEXT…]`. */
function positionalUsage(p: PositionalSpec): string {
  const name = p.repeats ? `${p.name}…` : p.name;
  return p.optional ? `[${name}]` : name;
}

/** `slotbench run --dataset PATH --problem ID [options]`. */
function usageLine(spec: CommandSpec): string {
  const required = spec.options.filter((o) => o.required).map(optionUsage);
  const positionals = (spec.positionals ?? []).map(positionalUsage);
  const optional = spec.options.some((o) => !o.required) ? ['[options]'] : [];
  return ['slotbench', spec.name, ...positionals, ...required, ...optional].join(' ');
}

/** The text of `slotbench CMD --help`. */
export function helpText(spec: CommandSpec): string {
  const rows: Array<[string, string]> = [
    ...(spec.positionals ?? []).map((p): [string, string] => [p.name, p.description]),
    ...[...spec.options, HELP].map((o): [string, string] => [
      o === HELP ? '-h, --help' : optionUsage(o),
      `${o.description}${o.default !== undefined ? ` (default ${o.default})` : ''}${o.required ? ' (required)' : ''}`,
    ]),
  ];
  const width = Math.min(34, Math.max(...rows.map(([left]) => left.length)));
  const lines = rows.map(([left, right]) => (left.length > width ? `  ${left}\n  ${''.padEnd(width)}  ${right}` : `  ${left.padEnd(width)}  ${right}`));
  return [`usage: ${usageLine(spec)}`, '', spec.summary, '', ...lines, ...(spec.notes?.length ? ['', ...spec.notes] : []), ''].join('\n');
}

/** The README's table of a command's options (markdown). */
export function optionsMarkdown(spec: CommandSpec): string[] {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  return [
    `### \`${usageLine(spec)}\``,
    '',
    spec.summary,
    '',
    '| Option | What it does |',
    '| --- | --- |',
    ...(spec.positionals ?? []).map((p) => `| \`${p.name}\` | ${cell(p.description)} |`),
    ...spec.options.map(
      (o) => `| \`${cell(optionUsage(o))}\` | ${cell(o.description)}${o.default !== undefined ? ` (default \`${cell(o.default)}\`)` : ''}${o.required ? ' (required)' : ''} |`,
    ),
    ...(spec.notes?.length ? ['', ...spec.notes] : []),
  ];
}
