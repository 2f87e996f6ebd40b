import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_COMMANDS } from '../../src/ui/controllers/builtin-commands.js';
import { KEYMAP } from '../../src/ui/controllers/keymap.js';
import { keysMarkdown } from '../../src/ui/keys-doc.js';
import { PROJECT_ROOT } from '../../src/version.js';

describe('key documentation', () => {
  it('lists every key and command from the tables', () => {
    const markdown = keysMarkdown();
    for (const binding of KEYMAP) expect(markdown).toContain(binding.description);
    for (const command of BUILTIN_COMMANDS) expect(markdown).toContain(`\`:${command.usage.replace(/\|/g, "\\|")}\``);
    expect(markdown).toContain('| `x` `Ctrl-X` | abort the streaming slot');
    expect(markdown).toContain('| `Enter` | jump the replay to the slot picked in the plan');
    expect(markdown).toContain('| `o` | browse the recorded sessions');
    // Added by the tui command with its wiring, and still a command a person types.
    expect(markdown).toMatch(/^\| `:probe \[N\] \[T\[,T…\]\]` \| ask the picked slot N times/m);
  });

  it('docs/keys.md is the generated table (regenerate: node dist/cli/main.js keys --markdown > docs/keys.md)', () => {
    expect(readFileSync(join(PROJECT_ROOT, 'docs', 'keys.md'), 'utf8')).toBe(keysMarkdown());
  });
});
