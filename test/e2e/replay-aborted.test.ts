// Replaying a session cut short mid-stream, as a user types it: the partial output shows in `replay --plain` and the workbench.

import { execa } from 'execa';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { MAIN, TERMINAL_ENV, useTerminal } from '../helpers/terminal.js';

const ABORTED = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-aborted.jsonl');
const terminal = useTerminal();

describe('an aborted session replayed', () => {
  it('replay --plain prints the partial output of the aborted slot', async () => {
    const { stdout, exitCode } = await execa('node', [MAIN, 'replay', '--plain', ABORTED], { reject: false, env: { NO_COLOR: '1' } });
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/ {2}partial output \(35 tokens before the abort\):\n {4}│ x = 1\n/);
    expect(stdout).toContain('error (aborted) after 35 tokens');
  });

  it('the workbench replay shows the partial output and its token count', async () => {
    const cwd = await terminal.tempDir('slotbench-aborted-');
    const tmux = await terminal.start({ cwd, env: TERMINAL_ENV, argv: ['node', MAIN, 'replay', ABORTED, '--at-end'] });
    const screen = await tmux.waitFor('finished: ABORTED');
    expect(screen).toMatch(/s1 implement · 35 tok .* aborted│/);
    expect(screen).toMatch(/│x = 1 +│\n│.*│x = 1 +│/);
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });
});
