// The README's key table, generated from the same key and command tables the status bar and `?` help use.

import type { Command } from '../cli/io.js';
import { BUILTIN_COMMANDS } from './controllers/builtin-commands.js';
import { displayKey, KEYMAP, type KeyBinding } from './controllers/keymap.js';
import type { LineCommand } from './controllers/command-line.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Markdown: one table of keys, one of `:` commands. */
export function keysMarkdown(keys: KeyBinding[] = KEYMAP, commands: LineCommand[] = BUILTIN_COMMANDS): string {
  const lines = [
    '## Workbench keys',
    '',
    'Generated from the key table (`slotbench keys --markdown`); the status bar and the `?` overlay show the same list.',
    '',
    '| Keys | What it does |',
    '| --- | --- |',
    ...keys.map((k) => `| ${k.keys.map((key) => `\`${cell(displayKey(key))}\``).join(' ')} | ${cell(k.description)} |`),
    '',
    '## Workbench commands',
    '',
    'Type `:` then a command; Tab completes names and arguments.',
    '',
    '| Command | What it does |',
    '| --- | --- |',
    ...commands.map((c) => `| \`:${cell(c.usage)}\`${c.aliases?.length ? ` (${c.aliases.map((a) => `\`:${a}\``).join(', ')})` : ''} | ${cell(c.description)} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** `slotbench keys [--markdown]`: the key table (markdown for the README, plain for a terminal). */
export const keysCommand: Command = async (argv, io) => {
  if (argv.includes('--markdown')) {
    io.stdout.write(keysMarkdown());
    return 0;
  }
  const width = Math.max(...KEYMAP.map((k) => k.keys.map(displayKey).join(' ').length));
  const usage = Math.max(...BUILTIN_COMMANDS.map((c) => c.usage.length)) + 1;
  const lines = [
    ...KEYMAP.map((k) => `${k.keys.map(displayKey).join(' ').padEnd(width)}  ${k.description}`),
    '',
    ...BUILTIN_COMMANDS.map((c) => `${`:${c.usage}`.padEnd(usage)}  ${c.description}`),
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  return 0;
};
