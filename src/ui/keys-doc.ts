// The README's key table, generated from the same key and command tables the status bar and `?` help use.

import { SessionPlayer } from '../session/player.js';
import { BUILTIN_COMMANDS } from './controllers/builtin-commands.js';
import { KEYMAP } from './controllers/keymap.js';
import { displayKey } from './common/keys.js';
import { type KeyBinding } from './common/contracts.js';
import type { LineCommand } from './common/contracts.js';
import { probeLineCommand, type ProbeCommandDeps } from './controllers/probe-command.js';
import { resumeControls } from './controllers/resume-command.js';
import { transportKeys } from './controllers/transport-keys.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Built without an opener, for the docs only: `R` and `:resume` are never run from here. */
const RESUME = resumeControls(() => Promise.reject(new Error('documentation only')));

/** The replay's own keys (they come with every replay feed) and R, which the workbench adds, for the docs. */
function replayKeys(): KeyBinding[] {
  return [...transportKeys(new SessionPlayer([]), { speed: 1 }), RESUME.key];
}

/**
 * Every `:` command a person can type: the built-in ones and those the `tui` command adds with its wiring (`:probe`).
 * The latter are built without wiring, for their usage and description only; they are never run from here.
 */
export function documentedCommands(): LineCommand[] {
  return [...BUILTIN_COMMANDS, probeLineCommand({} as ProbeCommandDeps), RESUME.command];
}

function keyRows(keys: KeyBinding[]): string[] {
  return ['| Keys | What it does |', '| --- | --- |', ...keys.map((k) => `| ${k.keys.map((key) => `\`${cell(displayKey(key))}\``).join(' ')} | ${cell(k.description)} |`)];
}

/** Markdown: the keys, the replay's extra keys, the `:` commands. */
export function keysMarkdown(keys: KeyBinding[] = KEYMAP, commands: LineCommand[] = documentedCommands(), replay: KeyBinding[] = replayKeys()): string {
  const lines = [
    '## Workbench keys',
    '',
    'Generated from the key table (`slotbench keys --markdown`); the status bar and the `?` overlay show the same list.',
    '',
    ...keyRows(keys),
    '',
    '## Replay keys',
    '',
    'In a replay (`slotbench replay`, or a session opened from the welcome screen or the browser) these come first; s, c and space step, play and pause.',
    '',
    ...keyRows(replay),
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

/** The key table as plain lines for a terminal: keys, replay keys, then the `:` commands. */
export function keysPlain(): string {
  const replay = replayKeys();
  const commands = documentedCommands();
  const width = Math.max(...[...KEYMAP, ...replay].map((k) => k.keys.map(displayKey).join(' ').length));
  const usage = Math.max(...commands.map((c) => c.usage.length)) + 1;
  const line = (k: KeyBinding) => `${k.keys.map(displayKey).join(' ').padEnd(width)}  ${k.description}`;
  const lines = [
    ...KEYMAP.map(line),
    '',
    'in a replay:',
    ...replay.map(line),
    '',
    ...commands.map((c) => `${`:${c.usage}`.padEnd(usage)}  ${c.description}`),
  ];
  return `${lines.join('\n')}\n`;
}
