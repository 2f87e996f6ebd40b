// The `?` overlay: every key and `:` command from the same tables the status bar and README use.

import type { KeyContext } from '../common/contracts.js';
import type { LineCommand } from '../common/contracts.js';
import { displayKey } from '../common/keys.js';
import { type KeyBinding } from '../common/contracts.js';
import { clipLine, proseLines, viewport, type Line } from '../common/text.js';
import { tagged, type PaneSize } from './pane.js';

export interface HelpVm {
  keys: { keys: string; description: string; disabled?: string }[];
  commands: { usage: string; description: string }[];
  scroll: number;
}

export function helpView(keys: KeyBinding[], commands: LineCommand[], ctx: KeyContext, scroll: number): HelpVm {
  return {
    // A binding whose every key an earlier one takes (a mode's Esc over the built-in) never fires: not listed.
    keys: keys.filter((k, i) => k.keys.some((name) => !keys.slice(0, i).some((e) => e.keys.includes(name)))).map((k) => {
      const disabled = k.disabledReason?.(ctx);
      return { keys: k.keys.map(displayKey).join(' '), description: k.description, ...(disabled ? { disabled } : {}) };
    }),
    commands: commands.map((c) => ({ usage: `:${c.usage}`, description: c.description })),
    scroll,
  };
}

export function helpLines(vm: HelpVm, cols: number): Line[] {
  const width = Math.min(16, Math.max(...vm.keys.map((k) => k.keys.length), ...vm.commands.map((c) => c.usage.length)) + 2);
  const entry = (left: string, text: string, note?: string): Line[] => {
    const room = Math.max(10, cols - width - 2);
    const [first, ...rest] = [...proseLines(text, room), ...(note ? proseLines(`now: ${note}`, room, 'bar.disabled') : [])];
    const pad = ' '.repeat(width + 2);
    // A usage as wide as the column gets a line of its own, so it never runs into its description.
    if (left.length >= width) return [[{ text: `  ${left}`, style: 'bar.key' }], ...[first, ...rest].map((line) => [{ text: pad }, ...line])];
    return [
      [{ text: `  ${left.padEnd(width)}`, style: 'bar.key' }, ...first],
      ...rest.map((line) => [{ text: pad }, ...line]),
    ];
  };
  const lines: Line[] = [
    [{ text: 'Keys', style: 'heading' }],
    ...vm.keys.flatMap((k) => entry(k.keys, k.description, k.disabled)),
    [],
    [{ text: 'Commands', style: 'heading' }, { text: '  type : then a command; Tab completes; Esc cancels', style: 'muted' }],
    ...vm.commands.flatMap((c) => entry(c.usage, c.description)),
    [],
    [{ text: 'Esc, q or ? closes this help.', style: 'muted' }],
  ];
  return lines.map((line) => clipLine(line, cols));
}

export function renderHelp(vm: HelpVm, size: PaneSize): string[] {
  return tagged(viewport(helpLines(vm, size.cols), size.rows, vm.scroll).visible, size);
}
