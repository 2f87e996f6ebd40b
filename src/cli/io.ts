// What every CLI command gets from the entry point: where to write, where it runs, which config file.

import { oneSafeLine } from '../text/sanitize.js';

/** Streams and paths a command uses; tests pass their own. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  /** Working directory (config, sessions/ are resolved against it). */
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A subcommand: parses its own argv, returns the process exit code. Throws UserError for bad input. */
export type Command = (argv: string[], io: CliIo) => Promise<number>;

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** Warnings (they quote file content) on stderr: one line each, terminal controls stripped. */
export function printWarnings(io: CliIo, warnings: readonly string[]): void {
  for (const warning of warnings) io.stderr.write(`warning: ${oneSafeLine(warning)}\n`);
}
