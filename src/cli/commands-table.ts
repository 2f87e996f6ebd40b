// Every subcommand: what it accepts (its spec) and where its code is (loaded only when run); `help` is answered here.

import { SLOTBENCH_VERSION } from '../version.js';
import {
  COMPARE_SPEC,
  DIFF_SPEC,
  EVAL_SPEC,
  DOCTOR_SPEC,
  HELP_SPEC,
  KEYS_SPEC,
  MODELS_SPEC,
  NOTE_SPEC,
  PROBE_SPEC,
  REPLAY_SPEC,
  RERUN_SPEC,
  RESUME_SPEC,
  RUN_SPEC,
  SESSIONS_SPEC,
  TAG_SPEC,
  TUI_SPEC,
  VIEW_SPEC,
} from './command-specs.js';
import type { Command } from './io.js';
import { helpText, optionsMarkdown, parseCommand, type CommandSpec } from './options.js';

export interface CommandEntry {
  spec: CommandSpec;
  load: () => Promise<Command>;
}

export const COMMANDS: CommandEntry[] = [
  { spec: TUI_SPEC, load: async () => (await import('./commands/tui.js')).tuiCommand },
  { spec: RUN_SPEC, load: async () => (await import('./commands/run.js')).runCommand },
  { spec: PROBE_SPEC, load: async () => (await import('./commands/probe.js')).probeCommand },
  { spec: EVAL_SPEC, load: async () => (await import('./commands/eval.js')).evalCommand },
  { spec: COMPARE_SPEC, load: async () => (await import('./commands/compare.js')).compareCommand },
  { spec: VIEW_SPEC, load: async () => (await import('./commands/view.js')).viewCommand },
  { spec: REPLAY_SPEC, load: async () => (await import('./commands/replay.js')).replayCommand },
  { spec: RERUN_SPEC, load: async () => (await import('./commands/rerun.js')).rerunCommand },
  { spec: RESUME_SPEC, load: async () => (await import('./commands/resume.js')).resumeCommand },
  { spec: DIFF_SPEC, load: async () => (await import('./commands/diff.js')).diffCommand },
  { spec: SESSIONS_SPEC, load: async () => (await import('./commands/sessions.js')).sessionsCommand },
  { spec: NOTE_SPEC, load: async () => (await import('./commands/annotate.js')).noteCommand },
  { spec: TAG_SPEC, load: async () => (await import('./commands/annotate.js')).tagCommand },
  {
    spec: MODELS_SPEC,
    load: async () => (await import('./commands/models.js')).createModelsCommand((await import('./model-factories.js')).cliModelFactories()),
  },
  { spec: DOCTOR_SPEC, load: async () => (await import('./commands/doctor-wired.js')).doctorWiredCommand },
  { spec: KEYS_SPEC, load: async () => (await import('./commands/keys.js')).keysCommand },
  { spec: HELP_SPEC, load: async () => helpCommand },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.spec.name === name);
}

/** The top-level usage: every command with its summary. */
export function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length));
  const lines = COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}  ${c.spec.summary}`);
  return [
    `slotbench ${SLOTBENCH_VERSION}: a workbench for slot-filling coding harnesses on local models`,
    '',
    'usage: slotbench [COMMAND] [options]   (no command: the workbench)',
    '',
    ...lines,
    '',
    'slotbench COMMAND --help (or slotbench help COMMAND) lists every option of a command.',
    '',
  ].join('\n');
}

/** `slotbench help [COMMAND] [--markdown]`. */
const helpCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommand(HELP_SPEC, argv);
  if (values.markdown) {
    io.stdout.write(`${COMMANDS.flatMap((c) => [...optionsMarkdown(c.spec), '']).join('\n')}`);
    return 0;
  }
  const [name] = positionals;
  if (name === undefined) {
    io.stdout.write(overview());
    return 0;
  }
  const entry = findCommand(name);
  if (!entry) {
    io.stderr.write(`slotbench: no command "${name}": try one of ${COMMANDS.map((c) => c.spec.name).join(', ')}\n`);
    return 2;
  }
  io.stdout.write(helpText(entry.spec));
  return 0;
};
