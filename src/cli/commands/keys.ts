// `slotbench keys [--markdown]`: the workbench's key table (markdown for the README, plain for a terminal).

import { keysMarkdown, keysPlain } from '../../ui/keys-doc.js';
import { KEYS_SPEC } from '../command-specs.js';
import type { Command } from '../io.js';
import { parseCommand } from '../options.js';

export const keysCommand: Command = async (argv, io) => {
  const { values } = parseCommand(KEYS_SPEC, argv);
  io.stdout.write(values.markdown ? keysMarkdown() : keysPlain());
  return 0;
};
