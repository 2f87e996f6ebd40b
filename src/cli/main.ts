#!/usr/bin/env node
// The `slotbench` entry point: picks the subcommand, turns user errors into one line, keeps sessions on any exit.

import { isUserError, oneLine } from '../core/errors.js';
import { flushAllSessions } from '../session/writer.js';
import { oneSafeLine } from '../text/sanitize.js';
import { SLOTBENCH_VERSION } from '../version.js';
import { COMMANDS, findCommand, overview } from './commands-table.js';
import { handleInterrupts } from './interrupts.js';
import { processIo } from './io.js';
import { asksForHelp, helpText } from './options.js';

async function main(argv: string[]): Promise<number> {
  const io = processIo();
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${SLOTBENCH_VERSION}\n`);
    return 0;
  }
  if (name === '--help' || name === '-h') {
    io.stdout.write(overview());
    return 0;
  }
  // No command, or options only: the workbench, as `slotbench tui`.
  const entry = name === undefined || name.startsWith('-') ? findCommand('tui')! : findCommand(name);
  const args = name === undefined || name.startsWith('-') ? argv : rest;
  if (!entry) {
    io.stderr.write(`slotbench: unknown command "${oneSafeLine(name!)}": try one of ${COMMANDS.map((c) => c.spec.name).join(', ')} (slotbench help)\n`);
    return 2;
  }
  if (entry.spec.name !== 'help' && asksForHelp(args)) {
    io.stdout.write(helpText(entry.spec));
    return 0;
  }
  return (await entry.load())(args, io);
}

process.on('exit', flushAllSessions);
// `slotbench sessions | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
handleInterrupts();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    flushAllSessions();
    const code = (error as { code?: string }).code;
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
