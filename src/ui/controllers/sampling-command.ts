// `:set NAME VALUE`: the sampling settings without a key of their own (n_predict, top_k, top_p, min_p, stop, grammar).

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { oneLine, UserError } from '../../core/errors.js';
import type { Sampling } from '../../core/sampling.js';
import type { LineCommand, WorkbenchApi } from '../common/contracts.js';
import { numberArg } from './command-line.js';

/** One setting: how its text becomes a value (`undefined` = back to the server default). */
interface Setting {
  usage: string;
  parse(text: string, api: WorkbenchApi): Promise<Partial<Sampling>>;
}

const number = (name: 'top_k' | 'top_p' | 'min_p', test: (n: number) => boolean, rule: string): Setting => ({
  usage: `${rule}, or none`,
  parse: async (text) => ({ [name]: text === 'none' ? undefined : numberArg(`set ${name}`, text, test, `${rule}, or none`) }),
});

/** `["a","b"]` as JSON, else one stop string with JSON escapes (`\n`); `none` clears them. */
function stopStrings(text: string): string[] | undefined {
  if (text === 'none') return undefined;
  try {
    const parsed: unknown = JSON.parse(text.startsWith('[') || text.startsWith('"') ? text : `"${text}"`);
    const list = Array.isArray(parsed) ? parsed : [parsed];
    if (list.length > 0 && list.every((s) => typeof s === 'string' && s !== '')) return list as string[];
  } catch {
    // falls through to the one-line error below
  }
  throw new UserError(`:set stop needs a string (\\n for a newline), a JSON list like ["\\n\`\`\`","def "], or none; got ${text}`);
}

export const SETTINGS: Record<string, Setting> = {
  n_predict: {
    usage: 'an integer from 1 to 32768',
    parse: async (text) => ({ n_predict: numberArg('set n_predict', text, (n) => Number.isInteger(n) && n >= 1 && n <= 32768, 'an integer from 1 to 32768') }),
  },
  top_k: number('top_k', (n) => Number.isInteger(n) && n >= 0 && n <= 100000, 'an integer ≥ 0 (0 = all tokens)'),
  top_p: number('top_p', (n) => n > 0 && n <= 1, 'a number above 0, up to 1'),
  min_p: number('min_p', (n) => n >= 0 && n <= 1, 'a number from 0 to 1'),
  stop: { usage: "a string, a JSON list of strings, or none (added to the flow's own)", parse: async (text) => ({ stop: stopStrings(text) }) },
  grammar: {
    usage: 'a GBNF file, or none',
    parse: async (text, api) => {
      if (text === 'none') return { grammar: undefined };
      const path = resolve(api.cwd, text);
      try {
        return { grammar: await readFile(path, 'utf8') };
      } catch (error) {
        throw new UserError(`:set grammar: cannot read ${path}: ${oneLine(error)}`);
      }
    },
  },
};

export const SET_COMMAND: LineCommand = {
  name: 'set',
  usage: 'set NAME VALUE',
  description: `a sampling setting for the next slots: ${Object.keys(SETTINGS).join(', ')} (none = server default); the status bar shows what differs from the config`,
  complete: (_api, args) => (args.length <= 1 ? Object.keys(SETTINGS) : ['none']),
  disabledReason: (api) => {
    if (api.can('configure')) return undefined;
    return api.feedKind === 'none' ? 'no problem is open: :open DATASET PROBLEM-ID' : 'this is a replay: changing settings needs a live engine';
  },
  async run(args, api) {
    const [name, ...rest] = args;
    const setting = name === undefined ? undefined : SETTINGS[name];
    if (!setting) throw new UserError(`:set takes one of ${Object.keys(SETTINGS).join(', ')}, then a value`);
    const text = rest.join(' ');
    if (text === '') throw new UserError(`:set ${name} needs ${setting.usage}`);
    const sampling = await setting.parse(text, api);
    api.feed.controls.configure!({ sampling });
    const value = sampling[name as keyof Sampling];
    const shown = value === undefined ? 'server default' : name === 'grammar' ? `${String(value).length} chars of GBNF from ${text}` : JSON.stringify(value);
    api.flash(`${name} for the next slots: ${shown}`);
  },
};
