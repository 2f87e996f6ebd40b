// The program the gate ran and the final solution, in a real terminal (tmux): :program shows it, :write exports them.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';
import { MAIN, TERMINAL_ENV, useTerminal, readEvents as events } from '../helpers/terminal.js';
import type { TmuxSession } from '../helpers/tmux.js';

const terminal = useTerminal();
let tmux: TmuxSession;

async function command(text: string): Promise<void> {
  await tmux.command(text);
}

describe(':program and :write', () => {
  it('shows the candidate module, prelude and tests the judge ran, and writes the solution and the program to files', async () => {
    const dir = await terminal.tempDir('slotbench-program-');
    const session = join(dir, 's.jsonl');
    tmux = await terminal.start({
      cwd: dir,
      env: TERMINAL_ENV,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical'), '--session', session],
    });
    await tmux.waitFor('paused before implement (entry)');
    await command('program');
    await tmux.waitFor('no test has run yet: the program appears once a gate runs (s or c)');
    await tmux.keys('c');
    await tmux.waitFor('finished: PASS');
    await command('program');
    let screen = await tmux.waitFor('gate g1 · s1 · attempt 1 · pass · judge oracle');
    expect(screen).toContain('── candidate module solution.py');
    expect(screen).toContain('                distance = abs(elem - elem2)');
    await tmux.keys('PageDown');
    screen = await tmux.waitFor('def check(candidate):');
    expect(screen).toMatch(/── tests \(the judge binds /);
    await tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('── candidate module'));

    await command('write answer.py');
    await tmux.waitFor(`wrote the solution to ${join(dir, 'answer.py')}`);
    await command('write program.txt program');
    await tmux.waitFor(`wrote the program to ${join(dir, 'program.txt')}`);
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);

    const applied = (await events(session)).find((e) => e.type === 'code_applied') as { after: string };
    expect(await readFile(join(dir, 'answer.py'), 'utf8')).toBe(applied.after);
    const program = await readFile(join(dir, 'program.txt'), 'utf8');
    expect(program).toContain('# ── candidate module solution.py');
    expect(program).toContain(applied.after.trimEnd());
    expect(program).toContain('def check(candidate):');
  });
});
