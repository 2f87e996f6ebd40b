// The built CLI against hostile files and inputs: escapes in file content never reach the terminal, deletes stay
// inside the sessions folder, odd dataset files and paths are one-line errors, numbers are parsed strictly.

import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions');
const root = mkdtempSync(join(tmpdir(), 'sb-e2e-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** OSC 52 (set the clipboard), OSC 0 (set the title), a screen clear, BEL, and a right-to-left override. */
const EVIL = '\u001b]52;c;cm0gLXJmIH4=\u0007\u001b]0;pwned\u001b\\\u001b[2J\u0007\u202Egnp.exe';
const CONTROL_BYTES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

function project(): string {
  return mkdtempSync(join(root, 'p-'));
}

function slotbench(args: string[], cwd: string, timeout = 60_000) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1' }, timeout });
}

/** Nothing that drives a terminal (ESC, BEL, OSC, C1, bidi controls) on either stream. */
function expectClean(result: { stdout: string; stderr: string }): void {
  expect(result.stdout).not.toMatch(CONTROL_BYTES);
  expect(result.stderr).not.toMatch(CONTROL_BYTES);
}

function expectOneLine(result: { exitCode?: number; stderr: string }, message: string | RegExp): void {
  expect(result.exitCode).toBe(2);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(typeof message === 'string' ? `slotbench: ${message}` : message);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
}

const HUMANEVAL_ROW = JSON.parse(execFileSync('sh', ['-c', `zcat '${humanEvalPath()}' | head -1`]).toString()) as Record<string, string>;

function dataset(rows: unknown[], name = 'set.jsonl'): string {
  const path = join(project(), name);
  writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

const RUN = (data: string, problem: string) => ['run', '--dataset', data, '--problem', problem, '--model-script', scriptPath('humaneval-0-canonical')];

describe('file content in error and warning lines cannot drive the terminal', () => {
  it('a dataset id carrying OSC 52, a title change and U+202E, quoted by "no problem …"', async () => {
    const data = dataset([{ ...HUMANEVAL_ROW, task_id: `T/0${EVIL}` }]);
    const result = await slotbench(RUN(data, 'T/9'), project());
    expectOneLine(result, /^slotbench: no problem "T\/9" in .* \(1 problems: T\/0.*gnp\.exe … T\/0.*gnp\.exe\)$/);
    expectClean(result);
  });

  it('dataset field names carrying escapes, quoted by "unknown dataset format"', async () => {
    const data = dataset([{ task_id: 'x', [`prompt${EVIL}`]: 'p' }]);
    const result = await slotbench(RUN(data, 'x'), project());
    expectOneLine(result, /unknown dataset format \(fields: task_id, prompt.*gnp\.exe\)/);
    expectClean(result);
  });

  it('config keys and model names carrying escapes, quoted by the config checker', async () => {
    for (const config of [{ models: { a: { url: 'http://127.0.0.1:9' } }, [`gate${EVIL}`]: {} }, { models: { [`m${EVIL}`]: { url: 'http://127.0.0.1:9' } } }]) {
      const cwd = project();
      writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify(config));
      const result = await slotbench(RUN(humanEvalPath(), 'HumanEval/0'), cwd);
      expectOneLine(result, /slotbench: slotbench\.config\.json: (unknown key gate|model name "m)/);
      expectClean(result);
    }
  }, 90_000);

  it('an unknown event type in a session, quoted by replay and diff warnings', async () => {
    const cwd = project();
    const lines = readFileSync(join(FIXTURES, 'humaneval-0-pass.jsonl'), 'utf8').trimEnd().split('\n');
    lines.splice(2, 0, JSON.stringify({ type: `x${EVIL}`, t: 1 }));
    const session = join(cwd, 'evil.jsonl');
    writeFileSync(session, lines.join('\n') + '\n');
    const replay = await slotbench(['replay', session, '--plain'], cwd);
    expect(replay.exitCode).toBe(0);
    expect(replay.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^warning: .*evil\.jsonl line 3: unknown event type "x[^"]*"; skipped$/)]);
    expectClean(replay);
    const diff = await slotbench(['diff', session, join(FIXTURES, 'humaneval-0-pass.jsonl')], cwd);
    expect(diff.stderr).toMatch(/^warning: .*unknown event type/);
    expectClean(diff);
  }, 90_000);

  it('a file name and a label carrying escapes, in the sessions listing and its warnings', async () => {
    const cwd = project();
    mkdirSync(join(cwd, 'sessions'));
    writeFileSync(join(cwd, 'sessions', `notes${EVIL}.jsonl`), 'not a session\n');
    const lines = readFileSync(join(FIXTURES, 'humaneval-0-pass.jsonl'), 'utf8').trimEnd().split('\n');
    lines[0] = JSON.stringify({ ...JSON.parse(lines[0]), label: `label${EVIL}` });
    writeFileSync(join(cwd, 'sessions', 'a.jsonl'), lines.join('\n') + '\n');
    const result = await slotbench(['sessions'], cwd);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/^warning: .*notes.*gnp\.exe\.jsonl: not listed: /);
    expectClean(result);
    // Machine output keeps the label whole, written with escapes a terminal does not act on.
    for (const args of [['sessions', '--json'], ['replay', join(cwd, 'sessions', 'a.jsonl'), '--json']]) {
      const json = await slotbench(args, cwd);
      expectClean(json);
      expect(json.stdout).toContain('\\u202e');
      expect(JSON.parse(json.stdout.split('\n')[0])).toEqual(args[0] === 'sessions' ? [expect.objectContaining({ label: `label${EVIL}` })] : expect.objectContaining({ label: `label${EVIL}` }));
    }
  }, 90_000);
});

describe('sessions --delete never leaves the sessions folder', () => {
  it.each([
    ['a row of a legacy index.json', (dir: string, row: object) => writeFileSync(join(dir, 'index.json'), JSON.stringify({ sessions: [row] }))],
    ['a row file', (dir: string, row: object) => {
      mkdirSync(join(dir, 'index'));
      writeFileSync(join(dir, 'index', 'evil.json'), JSON.stringify(row));
    }],
  ])('refuses %s whose file is ../../x.jsonl, even when x.jsonl is a session', async (_name, plant) => {
    const base = project();
    const cwd = join(base, 'work');
    const sessions = join(cwd, 'sessions');
    mkdirSync(sessions, { recursive: true });
    const victim = join(base, 'x.jsonl');
    copyFileSync(join(FIXTURES, 'humaneval-0-pass.jsonl'), victim);
    plant(sessions, { id: 'evil', file: '../../x.jsonl', startedAt: '2026-01-01T00:00:00Z', flow: 'implement', problem: 'P', model: 'm', mode: 'run' });
    const result = await slotbench(['sessions', '--delete', 'evil', '--yes'], cwd);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/"file" points outside the sessions folder.*: rebuilt from the session files\n/);
    expect(result.stderr).toMatch(/slotbench: no session "evil" in the list/);
    expect(existsSync(victim)).toBe(true);
  });
});

describe('dataset files that are not problem sets', () => {
  it.each([
    ['/dev/zero', () => '/dev/zero', 'dataset /dev/zero is a device, not a regular file: pass a .jsonl, .jsonl.gz or .json file'],
    ['a named pipe', () => {
      const fifo = join(project(), 'pipe.jsonl');
      execFileSync('mkfifo', [fifo]);
      return fifo;
    }, /dataset .*pipe\.jsonl is a named pipe, not a regular file/],
    ['a gzip bomb', () => {
      const bomb = join(project(), 'bomb.jsonl.gz');
      writeFileSync(bomb, gzipSync(Buffer.alloc(80 * 1024 * 1024, 0x20), { level: 1 }));
      return bomb;
    }, /dataset .*bomb\.jsonl\.gz unpacks to more than 64 MB/],
  ])('%s: refused in one line, without reading it', async (_name, make, message) => {
    // Main read /dev/zero and the pipe forever; the limit only has to hold a slow start on a loaded machine.
    const result = await slotbench(RUN(make(), 'X'), project(), 90_000);
    expect(result.timedOut).toBe(false);
    expectOneLine(result, message);
  }, 120_000);
});

describe('session paths that cannot be written', () => {
  it('a --session under a path that is a file: one line naming it', async () => {
    const cwd = project();
    writeFileSync(join(cwd, 'plain'), 'a file\n');
    const result = await slotbench([...RUN(humanEvalPath(), 'HumanEval/0'), '--session', join(cwd, 'plain', 'sub', 's.jsonl')], cwd);
    expectOneLine(result, `cannot create the session folder ${join(cwd, 'plain', 'sub')}: a part of the path is a file, not a folder (ENOTDIR)`);
  });

  it('a --session into a missing folder of a read-only mount: one line naming it (skipped where no mount is allowed)', async (context) => {
    const cwd = project();
    const ro = join(cwd, 'ro');
    mkdirSync(ro);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro], { stdio: 'pipe' });
    } catch (error) {
      context.skip(`cannot mount a read-only tmpfs here: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`);
    }
    try {
      const result = await slotbench([...RUN(humanEvalPath(), 'HumanEval/0'), '--session', join(ro, 'missing', 's.jsonl')], cwd);
      expectOneLine(result, `cannot create the session folder ${join(ro, 'missing')}: the file system is read-only (EROFS)`);
    } finally {
      execFileSync('umount', [ro]);
    }
  });

  it('a 5,000-character task id still records, under a bounded file name', async () => {
    const id = `HumanEval/${'0'.repeat(5000)}`;
    const data = dataset([{ ...HUMANEVAL_ROW, task_id: id }]);
    const cwd = project();
    const result = await slotbench([...RUN(data, id), '--json'], cwd);
    expect(result.stderr).not.toMatch(/ENAMETOOLONG|internal error/);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout) as { session: string; verdict: string };
    expect(out.verdict).toBe('pass');
    expect(basename(out.session).length).toBeLessThan(100);
    expect(readdirSync(join(cwd, 'sessions')).filter((f) => f.endsWith('.jsonl'))).toEqual([basename(out.session)]);
  });
});

describe('numbers on the command line: strict, with the config\'s bounds', () => {
  it.each([
    [['--temperature', ''], '--temperature must be a number from 0 to 10, got ""'],
    [['--temperature', '0x10'], '--temperature must be a number from 0 to 10, got "0x10"'],
    [['--seed', '4294967296'], '--seed must be an integer from 0 to 4294967295, got "4294967296"'],
    [['--seed', '1e20'], '--seed must be an integer from 0 to 4294967295, got "1e20"'],
    [['--attempts', '1e9'], '--attempts must be an integer from 1 to 100, got "1e9"'],
    [['--seed', '-1'], '--seed must be an integer from 0 to 4294967295, got "-1"'],
    [['--timeout-ms', '-5'], '--timeout-ms must be an integer from 1 to 2147483647 ms, got "-5"'],
  ])('run %j: one line naming the flag and the range', async (extra, message) => {
    const cwd = project();
    const result = await slotbench([...RUN(humanEvalPath(), 'HumanEval/0'), ...extra], cwd);
    expectOneLine(result, message);
    expect(existsSync(join(cwd, 'sessions'))).toBe(false);
  });

  it('takes the largest seed the config allows', async () => {
    const cwd = project();
    const result = await slotbench([...RUN(humanEvalPath(), 'HumanEval/0'), '--seed', '4294967295', '--json'], cwd);
    expect(result.exitCode).toBe(0);
    const out = JSON.parse(result.stdout) as { session: string };
    expect(JSON.parse(readFileSync(out.session, 'utf8').split('\n')[0])).toMatchObject({ sampling: { seed: 4294967295 } });
  });
});
