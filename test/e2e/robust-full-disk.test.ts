// `slotbench run` and the workbench when a session cannot be written: a real full tmpfs where one can be mounted,
// and everywhere a real failing write under a file-size limit (EFBIG). One line, the verdict, no temp files.

import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readSummaries } from '../../src/session/index-store.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';
import { MAIN, useTerminal } from '../helpers/terminal.js';
import { smallTmpfs } from '../helpers/small-tmpfs.js';

const { root, disk, mounted, whyNot } = smallTmpfs('sb-e2e-full-');

const RUN = ['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical')];

function fillLeaving(free: number): void {
  rmSync(join(disk, 'filler'), { force: true });
  const [blocks, size] = execFileSync('stat', ['-f', '-c', '%a %S', disk]).toString().trim().split(' ').map(Number);
  writeFileSync(join(disk, 'filler'), Buffer.alloc(Math.max(0, blocks * size - free)));
}

/** Every file under `dir` but the filler, relative. */
function leftovers(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f !== 'filler' && !statSync(join(dir, f)).isDirectory()).sort();
}

/** The one-line contract: exactly one trouble line, the verdict still printed, no stack trace, exit 74. */
function expectOneNotice(result: { exitCode?: number; stdout: string; stderr: string }, notice: RegExp): void {
  const all = `${result.stdout}\n${result.stderr}`;
  expect(result.exitCode).toBe(74);
  expect(result.stdout).toContain('verdict: pass (tests passed on attempt 1)');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(notice);
  expect(all).not.toMatch(/\n\s+at |internal error|Error: E[A-Z]+/);
}

function wholeLines(path: string): number {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((l) => JSON.parse(l)).length;
}

describe.skipIf(!mounted)(mounted ? 'slotbench run on a full 200 KB tmpfs' : `slotbench run on a full tmpfs: skipped, no tmpfs can be mounted here (${whyNot}); the file-size-limit tests below cover the failing write`, () => {
  beforeEach(() => {
    for (const name of readdirSync(disk)) rmSync(join(disk, name), { recursive: true, force: true });
  });

  it('with no room at all: one line, the verdict, exit 74, no session file, no temp file, no row', async () => {
    fillLeaving(0);
    const session = join(disk, 's.jsonl');
    const result = await execa('node', [MAIN, ...RUN, '--session', session], { cwd: root, reject: false, env: { NO_COLOR: '1' } });
    expectOneNotice(result, new RegExp(`^slotbench: disk full writing ${session}: the run goes on unrecorded \\(nothing was kept\\)$`));
    expect(result.stdout).toContain(`session: ${session} (incomplete: see above)`);
    expect(leftovers(disk)).toEqual([]);
  });

  it('filling up mid-run: the file keeps whole lines only, as many as the line says, and the row never claims the verdict', async () => {
    // tmpfs counts 4 KiB pages: 8 KiB leaves room for the index row and the session's first writes, but not for the
    // whole session (~11.5 KB of events besides the row), whenever the writer's timer flushes.
    fillLeaving(8 * 1024);
    const session = join(disk, 's.jsonl');
    const result = await execa('node', [MAIN, ...RUN, '--session', session], { cwd: root, reject: false, env: { NO_COLOR: '1' } });
    const kept = /the file keeps its first (\d+) events/.exec(result.stderr);
    expectOneNotice(result, /^slotbench: disk full writing .*: the run goes on unrecorded \(the file keeps its first \d+ events\)$/);
    expect(wholeLines(session)).toBe(Number(kept![1]));
    expect((await readSummaries(disk)).filter((r) => r.verdict !== undefined)).toEqual([]);
    expect(leftovers(disk).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('slotbench run under a file-size limit (a write that fails with EFBIG, on any machine)', () => {
  it('stops recording with one line, prints the verdict, exits 74, leaves whole lines and no temp file', async () => {
    const dir = mkdtempSync(join(root, 'fsize-'));
    const session = join(dir, 's.jsonl');
    const result = await execa('prlimit', ['--fsize=3000', 'node', MAIN, ...RUN, '--session', session], { cwd: dir, reject: false, env: { NO_COLOR: '1' } });
    const kept = /the file keeps its first (\d+) events/.exec(result.stderr);
    expectOneNotice(result, new RegExp(`^slotbench: cannot write ${session}: the file size limit is reached \\(EFBIG\\): the run goes on unrecorded \\(the file keeps its first \\d+ events\\)$`));
    expect(wholeLines(session)).toBe(Number(kept![1]));
    expect(statSync(session).size).toBeLessThanOrEqual(3000);
    expect(leftovers(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('is not killed by SIGXFSZ when even the header does not fit, and removes the empty file', async () => {
    const dir = mkdtempSync(join(root, 'fsize-'));
    const session = join(dir, 's.jsonl');
    const result = await execa('prlimit', ['--fsize=100', 'node', MAIN, ...RUN, '--session', session], { cwd: dir, reject: false, env: { NO_COLOR: '1' } });
    // The limit also stops the gate writing its workspace, so nothing is judged: exit 3 outranks 74. The session side
    // is still one line.
    expect(result.stdout).toContain('verdict: error (cannot write the test workspace: EFBIG)');
    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeUndefined();
    expect(result.stderr.trim().split('\n')).toEqual([
      `slotbench: cannot write ${session}: the file size limit is reached (EFBIG): the run goes on unrecorded (nothing was kept)`,
    ]);
    expect(existsSync(session)).toBe(false);
  });
});

describe('the workbench when its session cannot be written', () => {
  const terminal = useTerminal();

  it(`says NOT RECORDING in the status bar and goes on to the verdict (${mounted ? 'full tmpfs' : 'file-size limit'})`, async () => {
    const dir = await terminal.tempDir('sb-e2e-full-tui-');
    let session = join(dir, 's.jsonl');
    let argv = ['node', MAIN];
    let notice = 'the file size limit is reached';
    if (mounted) {
      for (const name of readdirSync(disk)) rmSync(join(disk, name), { recursive: true, force: true });
      fillLeaving(0);
      session = join(disk, 's.jsonl');
      notice = 'disk full writing';
    } else {
      argv = ['prlimit', '--fsize=2000', ...argv];
    }
    const tmux = await terminal.start({
      cwd: dir,
      argv: [...argv, 'tui', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical'), '--session', session],
    });
    await tmux.waitFor('paused before implement');
    // On the full disk not even the header is written; under the limit the header fits and the slot's tokens do not.
    if (!mounted) await tmux.keys('s');
    let screen = await tmux.waitFor(notice);
    expect(screen).toContain('NOT RECORDING');
    if (mounted) await tmux.keys('s');
    screen = await tmux.waitFor('finished: PASS');
    expect(screen).toContain('NOT RECORDING');
    await tmux.keys('q');
    expect(await tmux.exitCode()).toBe(0);
    expect(await tmux.capture()).not.toMatch(/internal error|\n\s+at /);
    if (mounted) expect(leftovers(disk)).toEqual([]);
  }, 120_000);
});
