// The `:` command line: a registry of named commands with usage, Tab completion and one-line errors.

import { UserError } from '../../core/errors.js';
import type { InputLine } from '../../state/ui-state.js';
import type { LineCommand, WorkbenchApi } from '../common/contracts.js';


/** Commands by name; other parts of slotbench register theirs (`:probe`, replay commands). */
export class CommandRegistry {
  private readonly commands: LineCommand[] = [];

  register(command: LineCommand): void {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      if (this.find(name)) throw new Error(`command :${name} is registered twice`);
    }
    this.commands.push(command);
  }

  list(): LineCommand[] {
    return [...this.commands];
  }

  find(name: string): LineCommand | undefined {
    return this.commands.find((c) => c.name === name || c.aliases?.includes(name));
  }

  /** Split a line into a known command and its arguments, or say what is wrong in one line. */
  parse(text: string): { command: LineCommand; args: string[] } {
    const [name, ...args] = text.trim().replace(/^:/, '').split(/\s+/).filter(Boolean);
    if (!name) throw new UserError('empty command: try :help');
    const command = this.find(name);
    if (!command) {
      throw new UserError(`unknown command :${name}: try ${this.commands.map((c) => `:${c.name}`).join(' ')} (or :help)`);
    }
    return { command, args };
  }

  async execute(text: string, api: WorkbenchApi): Promise<void> {
    const { command, args } = this.parse(text);
    const reason = command.disabledReason?.(api);
    if (reason) throw new UserError(`:${command.name}: ${reason}`);
    await command.run(args, api);
  }

  /**
   * Tab completion: the command name while it is the only word, then the command's own arguments.
   * Returns the new text (longest common prefix of the candidates) and the candidates themselves.
   */
  complete(text: string, api: WorkbenchApi): { text: string; candidates: string[] } {
    const words = text.split(' ');
    if (words.length === 1) {
      const names = this.commands.map((c) => c.name).filter((n) => n.startsWith(words[0])).sort();
      if (names.length === 1) return { text: `${names[0]} `, candidates: names };
      return { text: commonPrefix(names) || text, candidates: names };
    }
    const command = this.find(words[0]);
    const typing = words[words.length - 1];
    const options = (command?.complete?.(api, words.slice(1)) ?? []).filter((o) => o.startsWith(typing)).sort();
    if (options.length === 0) return { text, candidates: [] };
    const head = words.slice(0, -1).join(' ');
    // A folder completes without the space, so the next Tab goes into it.
    const completed = options.length === 1 ? (options[0].endsWith('/') ? options[0] : `${options[0]} `) : commonPrefix(options) || typing;
    return { text: `${head} ${completed}`, candidates: options };
  }
}

function commonPrefix(values: string[]): string {
  if (values.length === 0) return '';
  let prefix = values[0];
  for (const value of values) while (!value.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/** What a key does to the input line: edit it, submit it, or cancel it (Tab is the caller's: it needs the registry). */
export function editInput(input: InputLine, name: string): { input?: InputLine; submit?: boolean } {
  if (name === 'escape' || name === 'C-c') return {};
  if (name === 'enter') return { input, submit: true };
  if (name === 'backspace') return input.text === '' ? {} : { input: { ...input, text: input.text.slice(0, -1) } };
  if (name === 'C-u') return { input: { ...input, text: '' } };
  if (name === 'C-w') return { input: { ...input, text: input.text.replace(/\S*\s*$/, '') } };
  if (name === 'space') return { input: { ...input, text: `${input.text} ` } };
  if ([...name].length === 1) return { input: { ...input, text: input.text + name } };
  return { input };
}

/** Parse a number argument; the message names the command and what it expects. */
export function numberArg(command: string, value: string | undefined, check: (n: number) => boolean, expected: string): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n) || !check(n)) {
    throw new UserError(`:${command} needs ${expected}${value === undefined ? '' : `, got "${value}"`}`);
  }
  return n;
}
