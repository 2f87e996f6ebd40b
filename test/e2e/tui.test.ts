// The workbench in a real terminal (tmux): step a slot, watch the panes, branch a re-run, edit a prompt, quit clean.

import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { summarizeSession } from '../../src/session/catalog.js';
import { readSummaries, upsertSummary } from '../../src/session/index-store.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';
import { MAIN, useTerminal, readEvents as events, writeOfflineConfig } from '../helpers/terminal.js';
import type { TmuxSession } from '../helpers/tmux.js';


const terminal = useTerminal();
let tmux: TmuxSession;
let dir: string;

const EXAMPLE = 'example-humaneval-0-scripted.jsonl';

function ofType<T extends SlotbenchEvent['type']>(list: SlotbenchEvent[], type: T): Extract<SlotbenchEvent, { type: T }>[] {
  return list.filter((e) => e.type === type) as Extract<SlotbenchEvent, { type: T }>[];
}

/** A sessions folder holding the shipped example session and its index row: what a fresh clone has. */
async function exampleSessions(folder: string): Promise<void> {
  await mkdir(folder);
  const path = join(folder, EXAMPLE);
  await copyFile(join(PROJECT_ROOT, 'sessions', EXAMPLE), path);
  await upsertSummary(folder, await summarizeSession(path, folder));
}

/** Is the terminal back to normal: main screen, cursor shown? */
async function restored(session: TmuxSession): Promise<boolean> {
  return (await session.paneFlag('alternate_on')) === '0' && (await session.paneFlag('cursor_flag')) === '1';
}

/** The workbench on HumanEval/0 (canonical script) with an $EDITOR that puts `edited` at the prompt's start; its session file. */
async function startWithEditor(edited: string): Promise<string> {
  dir = await terminal.tempDir('slotbench-tui-');
  const editor = join(dir, 'editor.sh');
  await writeFile(editor, `#!/bin/sh\nsed -i "s/Complete the Python function below/${edited}/" "$1"\n`);
  await chmod(editor, 0o755);
  const session = join(dir, 's.jsonl');
  tmux = await terminal.start({
    cwd: dir,
    env: { EDITOR: editor },
    argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical'), '--session', session],
  });
  return session;
}

describe('slotbench tui', () => {
  it('steps the implement slot, shows stream/diff/test, branches a re-run at another temperature, quits clean', async () => {
    dir = await terminal.tempDir('slotbench-tui-');
    const session = join(dir, 's.jsonl');
    tmux = await terminal.start({
      cwd: dir,
      argv: [
        'node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0',
        '--model-script', scriptPath('humaneval-0-canonical'), '--session', session,
      ],
    });
    let screen = await tmux.waitFor('paused before implement (entry)');
    expect(screen).toContain('HumanEval/0 · implement');
    expect(screen).toContain('[test double]');

    await tmux.keys('s');
    screen = await tmux.waitFor('finished: PASS');
    // Stream pane: the slot's tokens and its count.
    expect(screen).toMatch(/s1 implement · 77 tok/);
    expect(screen).toContain('        for idx2, elem2 in enumerate(numbers):');
    // Diff pane: the added body, marked +.
    expect(screen).toContain('+                distance = abs(elem - elem2)');
    expect(screen).toMatch(/\+8 -0/);
    // Test pane: the gate's verdict and exit code.
    expect(screen).toMatch(/test g1 · s1 · attempt 1 +passed/);
    expect(screen).toContain('exit 0 ·');

    await tmux.command('temp 0.9');
    await tmux.waitFor('T=0.9 seed=');
    await tmux.keys('r');
    screen = await tmux.waitFor(/s2 b1 T=0\.9 +passed/);
    expect(screen).toContain('branch 1/2');
    expect(screen).toMatch(/s1 b0 T=0 +passed/);

    // The old attempt stays viewable: select it in the plan and its stream shows.
    await tmux.keys('BTab', 'k');
    screen = await tmux.waitFor(/s1 implement · 77 tok · [\d.]+ tok\/s · T=0 /);
    expect(screen).toContain('branch 0/2');

    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
    expect(await restored(tmux)).toBe(true);
    expect(await tmux.capture()).toContain(`session: ${session}`);

    const log = await events(session);
    expect(log[0]).toMatchObject({ type: 'session_started', model: { kind: 'scripted' } });
    expect((log[0] as { label?: string }).label).toMatch(/scripted/);
    expect(ofType(log, 'slot_started').filter((e) => e.name === 'implement')).toHaveLength(2);
    expect(ofType(log, 'branch')).toEqual([expect.objectContaining({ branchId: 1, parentBranchId: 0, fromSlotId: 's1', overrides: { temperature: 0.9 } })]);
    expect(ofType(log, 'settings_changed').at(-1)?.sampling.temperature).toBe(0.9);
    expect(ofType(log, 'prompt_built').map((e) => e.request.sampling.temperature)).toEqual([0, 0.9]);
    expect(ofType(log, 'test_run').map((e) => e.verdict)).toEqual(['pass', 'pass']);
    expect(ofType(log, 'flow_finished').map((e) => [e.branchId, e.verdict])).toEqual([[0, 'pass'], [1, 'pass']]);
  });

  it('aborts a streaming slot, re-runs it, and asks before quitting while it streams', async () => {
    dir = await terminal.tempDir('slotbench-tui-');
    const script = join(dir, 'slow.json');
    const body = JSON.parse(await readFile(scriptPath('humaneval-0-canonical'), 'utf8')) as { answers: unknown[] };
    await writeFile(script, JSON.stringify({ ...body, tokenDelayMs: 150 }));
    const session = join(dir, 's.jsonl');
    tmux = await terminal.start({
      cwd: dir,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', script, '--session', session],
    });
    await tmux.waitFor('paused before implement');
    await tmux.keys('s');
    await tmux.waitFor(/streaming s1 implement · \d+ tok/);
    await tmux.keys('x');
    await tmux.waitFor('finished: ABORTED');
    await tmux.keys('r');
    await tmux.waitFor(/streaming s2 implement · \d+ tok/);
    await tmux.keys('q');
    await tmux.waitFor('Quit anyway?');
    await tmux.keys('y');
    expect(await tmux.exitCode()).toBe(0);
    expect(await restored(tmux)).toBe(true);
    const log = await events(session);
    expect(ofType(log, 'slot_error')[0]).toMatchObject({ slotId: 's1', code: 'aborted' });
    expect(ofType(log, 'flow_finished')[0]).toMatchObject({ branchId: 0, verdict: 'aborted' });
    expect(ofType(log, 'branch')[0]).toMatchObject({ fromSlotId: 's1', branchId: 1 });
    expect(ofType(log, 'token').filter((e) => e.slotId === 's2').length).toBeGreaterThan(0);
    // Quitting mid-slot is recorded like Ctrl-C: the branch's slot and flow end as aborted, with the tokens it got.
    const s2 = ofType(log, 'slot_error').find((e) => e.slotId === 's2');
    expect(s2).toMatchObject({ code: 'aborted', message: expect.stringMatching(/the workbench was closed$/) });
    expect(s2!.tokenCount).toBe(ofType(log, 'token').filter((e) => e.slotId === 's2').length);
    expect(log.at(-1)).toMatchObject({ type: 'flow_finished', branchId: 1, verdict: 'aborted', reason: 'the workbench was closed' });
  });

  it('pauses at a breakpoint set with :break, continues with c, and :save says where the session is', async () => {
    dir = await terminal.tempDir('slotbench-tui-');
    const session = join(dir, 's.jsonl');
    tmux = await terminal.start({
      cwd: dir,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-indent-broken'), '--session', session],
    });
    await tmux.waitFor('paused before implement (entry)');
    await tmux.command('break reindent');
    await tmux.waitFor('breakpoint on reindent set');
    await tmux.keys('c');
    let screen = await tmux.waitFor('paused before reindent (breakpoint)');
    expect(screen).toMatch(/○ ◆reindent next \(breakpoint\)/);
    await tmux.keys('c');
    await tmux.waitFor('finished: PASS');
    await tmux.command('save');
    screen = await tmux.waitFor(`session saved: ${session}`);
    const saved = await events(session);
    expect(ofType(saved, 'slot_stopped').map((e) => [e.slotName, e.reason])).toEqual([['implement', 'entry'], ['reindent', 'breakpoint']]);
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });

  it('leaves the terminal restored and the session complete when killed with SIGTERM', async () => {
    dir = await terminal.tempDir('slotbench-tui-');
    const session = join(dir, 's.jsonl');
    tmux = await terminal.start({
      cwd: dir,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical'), '--session', session],
    });
    await tmux.waitFor('paused before implement');
    await tmux.keys('s');
    await tmux.waitFor('finished: PASS');
    process.kill(await tmux.childPid(), 'SIGTERM');
    expect(await tmux.exitCode()).toBe(130);
    expect(await restored(tmux)).toBe(true);
    const log = await events(session);
    expect(log.at(-1)).toMatchObject({ type: 'flow_finished', verdict: 'pass' });
  });

  it('records SIGTERM before the first slot as an abort, like Ctrl-C, and restores the terminal', async () => {
    dir = await terminal.tempDir('slotbench-tui-');
    const session = join(dir, 's.jsonl');
    tmux = await terminal.start({
      cwd: dir,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical'), '--session', session],
    });
    await tmux.waitFor('paused before implement');
    process.kill(await tmux.childPid(), 'SIGTERM');
    expect(await tmux.exitCode()).toBe(130);
    expect(await restored(tmux)).toBe(true);
    const log = await events(session);
    expect(log.at(-1)).toMatchObject({ type: 'flow_finished', verdict: 'aborted', reason: 'terminated by SIGTERM' });
  });

  it('paused before the first slot, p shows the request not yet sent, e edits it and :set changes it before it runs', async () => {
    const session = await startWithEditor('EDITED first: complete this function');
    await tmux.waitFor('paused before implement (entry)');
    await tmux.keys('p');
    let screen = await tmux.waitFor('next call: implement (not sent yet; s sends it, e edits it)');
    expect(screen).toContain('Complete the Python function below');
    expect(screen).toMatch(/temperature +0/);
    await tmux.keys('p');
    await tmux.waitFor((s) => !s.includes('next call: implement'));
    await tmux.keys('e');
    await tmux.waitFor('the next implement call sends the edited prompt');
    await tmux.command('set n_predict 200');
    screen = await tmux.waitFor('n_predict for the next slots: 200');
    expect(screen).toMatch(/T=0 seed=– n_predict=200 │ paused before implement/);
    await tmux.keys('p');
    screen = await tmux.waitFor('next call: implement (not sent yet, changed by you');
    expect(screen).toContain('EDITED first: complete this function');
    expect(screen).toMatch(/n_predict +200/);
    await tmux.keys('Escape');
    // Esc and a key read together are one Alt-key: wait for the overlay to close first.
    await tmux.waitFor((s) => !s.includes('next call: implement'));
    await tmux.keys('s');
    await tmux.waitFor('finished: PASS');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
    const log = await events(session);
    expect(ofType(log, 'slot_started')[0].overrides?.prompt).toMatch(/^EDITED first: complete this function/);
    expect(ofType(log, 'prompt_built')[0].request.prompt).toMatch(/^EDITED first: complete this function/);
    expect(ofType(log, 'prompt_built')[0].request.sampling.n_predict).toBe(200);
  });

  it('edits the prompt in $EDITOR and re-runs the slot with it as a branch', async () => {
    const session = await startWithEditor('EDITED: complete this function');
    await tmux.waitFor('paused before implement');
    await tmux.keys('s');
    await tmux.waitFor('finished: PASS');
    await tmux.keys('e');
    const screen = await tmux.waitFor(/s2 b1 T=0 edited +passed/);
    expect(screen).toContain('branch 1/2');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
    const log = await events(session);
    const original = ofType(log, 'prompt_built')[0].request.prompt;
    const edited = original.replace('Complete the Python function below', 'EDITED: complete this function');
    expect(ofType(log, 'branch')[0].overrides.prompt).toBe(edited);
    expect(ofType(log, 'prompt_built')[1].request.prompt).toBe(edited);
  });

  it('opens with the server down, says how to start llama-server, and quits', async () => {
    dir = await terminal.tempDir('slotbench-tui-');
    await writeOfflineConfig(dir);
    tmux = await terminal.start({
      cwd: dir,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--session', join(dir, 's.jsonl')],
    });
    const screen = await tmux.waitFor('llama-server -m MODEL.gguf --port 9');
    expect(screen).toContain('paused before implement');
    expect(screen).toMatch(/local ✗ not ready/);
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
    expect(await restored(tmux)).toBe(true);
  });

  it('with no arguments shows the welcome screen and the server state; :open opens a problem', async () => {
    dir = await terminal.tempDir('slotbench-tui-');
    await writeOfflineConfig(dir, { datasets: { humaneval: humanEvalPath() } });
    tmux = await terminal.start({ cwd: dir, argv: ['node', MAIN] });
    let screen = await tmux.waitFor('No problem is open');
    expect(screen).toContain(':open humaneval PROBLEM-ID');
    await tmux.waitFor(/model local ✗ no llama-server at http:\/\/127\.0\.0\.1:9: start one with/);
    await tmux.command('bogus');
    await tmux.waitFor('unknown command :bogus');
    await tmux.keys('?');
    await tmux.waitFor(/run the next slot, then pause again.*\n.*now: no problem is open/);
    await tmux.keys('Escape');
    await tmux.waitFor((s) => !s.includes('run the next slot, then pause again'));
    await tmux.command('open humaneval HumanEval/2');
    screen = await tmux.waitFor('paused before implement (entry)');
    expect(screen).toContain('HumanEval/2 · implement');
    // The live run was opened over the welcome screen: q goes back to it, after a yes.
    await tmux.keys('q');
    await tmux.waitFor('leave the live run of HumanEval/2?');
    await tmux.keys('y');
    await tmux.waitFor('No problem is open');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
    expect(await restored(tmux)).toBe(true);
    const [row] = await readSummaries(join(dir, 'sessions'));
    expect(row.problem).toBe('HumanEval/2');
    expect((await events(join(dir, 'sessions', row.file)))[0]).toMatchObject({ type: 'session_started', task: { kind: 'dataset', id: 'HumanEval/2' } });
  });

  it.each([
    // blessed alone read these terminfo entries as plain xterm: 8 colours, every grey drawn as SGR 30 (black).
    ['dark', 'tmux-256color', '90|38;5;8'],
    ['dark', 'screen-256color', '90|38;5;8'],
    // blessed's hex matcher drew the light theme's #6c6c6c as yellow, even at 256 colours.
    ['light', 'tmux-256color', '38;5;242'],
  ])('draws muted text legibly with the %s theme under TERM=%s', async (theme, term, grey) => {
    const mutedGrey = new RegExp(`\\x1b\\[(?:[\\d;]*;)?(?:${grey})m(?:\\x1b\\[[\\d;]*m)* — a workbench`);
    dir = await terminal.tempDir('slotbench-tui-');
    await writeOfflineConfig(dir, { theme });
    tmux = await terminal.start({ cwd: dir, argv: ['env', `TERM=${term}`, 'node', MAIN] });
    await tmux.waitFor(/model local ✗/);
    const styled = await tmux.captureStyled();
    expect(styled.split('\n').find((line) => line.includes('— a workbench'))).toMatch(mutedGrey);
    const foregrounds = [...styled.matchAll(/\x1b\[([\d;]*)m/g)].flatMap(([, params]) => params.split(';'));
    // Black text on the dark theme, yellow or white text on the light one: the colours that vanish.
    for (const unreadable of theme === 'dark' ? ['30'] : ['33', '93', '37', '97']) expect(foregrounds).not.toContain(unreadable);
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });

  it('replays a recorded session picked on the welcome screen', async () => {
    dir = await terminal.tempDir('slotbench-tui-');
    // Only the shipped example, whatever the checkout's sessions/ holds after use; no server, whatever listens on 8080.
    await exampleSessions(join(dir, 'sessions'));
    await writeOfflineConfig(dir);
    tmux = await terminal.start({ cwd: dir, argv: ['node', MAIN] });
    await tmux.waitFor(/▶ pass +HumanEval\/0 +scripted/);
    await tmux.keys('Enter');
    await tmux.waitFor(/replay 0\/\d+ paused/);
    await tmux.keys('r');
    await tmux.waitFor('this is a replay: re-running a slot needs a live engine');
    await tmux.keys('c');
    const screen = await tmux.waitFor('finished: PASS');
    expect(screen).toMatch(/↳ reindent s2 77 tok +passed/);
    await tmux.keys('q');
    await tmux.waitFor('No problem is open');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });

  it('says the terminal is too small below 80x24 and lays out again when it grows', async () => {
    dir = await terminal.tempDir('slotbench-tui-');
    tmux = await terminal.start({
      cwd: dir,
      cols: 70,
      rows: 20,
      argv: ['node', MAIN, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical'), '--session', join(dir, 's.jsonl')],
    });
    await tmux.waitFor('slotbench needs at least 80x24');
    await tmux.resize(100, 30);
    await tmux.waitFor('paused before implement');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
  });
});
