#!/usr/bin/env node
// The `slotbench` entry point: picks the subcommand, turns user errors into one safe line, keeps sessions on any exit.

import { isUserError, oneLine } from '../core/errors.js';
import { flushAllSessions } from '../session/writer.js';
import { oneSafeLine } from '../ui/sanitize.js';
import { SLOTBENCH_VERSION } from '../version.js';
import { processIo, type Command } from './io.js';

interface CommandEntry {
  summary: string;
  load: () => Promise<Command>;
}

const COMMANDS: Record<string, CommandEntry> = {
  run: { summary: 'run a flow on one problem, headless', load: async () => (await import('./commands/run.js')).runCommand },
  models: { summary: 'list configured models with health, model file, n_ctx, slots, build', load: async () => (await import('./commands/models.js')).createModelsCommand((await import('./model-factories.js')).cliModelFactories()) },
  replay: { summary: 'replay a recorded session (workbench on a terminal, transcript when piped)', load: async () => (await import('./commands/replay.js')).replayCommand },
  sessions: { summary: 'list, sort, filter and delete recorded sessions', load: async () => (await import('./commands/sessions.js')).sessionsCommand },
  rerun: { summary: 're-execute a session with the recorded model answers', load: async () => (await import('./commands/rerun.js')).rerunCommand },
  diff: { summary: 'compare two sessions and show the first divergence', load: async () => (await import('./commands/diff.js')).diffCommand },
  probe: { summary: 'ask one slot N times, gate every sample, show the outcome distribution', load: async () => (await import('./commands/probe.js')).probeCommand },
  doctor: { summary: 'check what a run needs (python, sandbox, servers, datasets)', load: async () => (await import('./commands/doctor-wired.js')).doctorWiredCommand },
  tui: { summary: 'the workbench: step, watch, re-run slots on a problem (no arguments: welcome screen)', load: async () => (await import('./commands/tui.js')).tuiCommand },
  keys: { summary: 'list the workbench keys and : commands (--markdown for the README table)', load: async () => (await import('../ui/keys-doc.js')).keysCommand },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `slotbench ${SLOTBENCH_VERSION}: a workbench for slot-filling coding harnesses on local models\n\nusage: slotbench <command> [options]\n\n${lines.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${SLOTBENCH_VERSION}\n`);
    return 0;
  }
  if (name === undefined && COMMANDS.tui) return (await COMMANDS.tui.load())(rest, io);
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(usage());
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    io.stderr.write(`slotbench: unknown command "${oneSafeLine(name)}": try one of ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  return (await entry.load())(rest, io);
}

process.on('exit', flushAllSessions);
// Under a file-size limit (ulimit -f) the kernel would kill the process mid-write; with the signal caught, the write
// fails with EFBIG instead, and the session writer stops recording cleanly as it does on a full disk.
process.on('SIGXFSZ', () => undefined);
// `slotbench sessions | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    flushAllSessions();
    process.exit(128 + (signal === 'SIGTERM' ? 15 : 1));
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    flushAllSessions();
    const code = (error as { code?: string }).code;
    // Messages quote file content (dataset ids, field names, config keys): stripped, they cannot drive the terminal.
    // parseArgs reports unknown/malformed options with these codes: they are the user's, not bugs.
    if (isUserError(error) || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`slotbench: ${oneSafeLine((error as Error).message)}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`slotbench: ${oneSafeLine(oneLine(error))} (this is a bug; please report it with the command you ran)\n`);
      if (process.env.SLOTBENCH_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
      process.exitCode = 70;
    }
  },
);
