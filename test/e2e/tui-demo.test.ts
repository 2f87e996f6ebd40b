// The welcome screen's live demo in a real terminal (tmux): the bundled story model steps for real on the embedded engine.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ofType } from '../helpers/engine-harness.js';
import { MAIN, TERMINAL_ENV, readEvents, useTerminal, writeOfflineConfig } from '../helpers/terminal.js';

const terminal = useTerminal();

describe('the bundled demo model', () => {
  it('d on the welcome screen opens a live run that streams, fails to parse, says why no repair, and goes back with q', async () => {
    const cwd = await terminal.tempDir('slotbench-demo-');
    // No server anywhere: the configured model points at a closed port.
    await writeOfflineConfig(cwd);
    const tmux = await terminal.start({ cwd, env: TERMINAL_ENV, argv: ['node', MAIN] });
    let screen = await tmux.waitFor('step a live run on the bundled demo model (embedded engine; it writes stories, not code)');
    expect(screen).toContain('For real code, point slotbench at a coding model: start `llama-server -m MODEL.gguf --port 8080`');
    await tmux.keys('d');
    await tmux.waitFor('demo: paused before the first slot', 60_000);
    expect(await tmux.capture()).toMatch(/demo-stories260K .*paused before implement \(entry\)/);
    await tmux.keys('s');
    screen = await tmux.waitFor('finished: PARSE_ERROR', 60_000);
    expect(screen).toMatch(/s1 implement · 96 tok/);
    expect(screen).toContain('so no re-indent was asked');
    await tmux.keys('q');
    screen = await tmux.waitFor('Recent sessions');
    expect(screen).toMatch(/parse_error +HumanEval\/0 +demo-stories260K/);
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);

    const [file] = (await readdir(join(cwd, 'sessions'))).filter((f) => f.endsWith('.jsonl'));
    const events = await readEvents(join(cwd, 'sessions', file));
    expect(events[0]).toMatchObject({ type: 'session_started', model: { name: 'demo-stories260K', kind: 'embedded' } });
    expect(ofType(events, 'slot_output')).toMatchObject([{ tokenCount: 96, stopType: 'limit' }]);
    expect(ofType(events, 'parse_failed')[0].noRepair).toMatch(/not an indentation error/);
    expect(ofType(events, 'flow_finished')).toMatchObject([{ verdict: 'parse_error' }]);
  }, 150_000);
});
