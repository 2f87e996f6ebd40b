// `slotbench note` and `slotbench tag` as a user types them, and what `slotbench sessions` then shows: the built binary.

import { execa } from 'execa';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { scratchDir } from '../helpers/scratch.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const fixture = (name: string) => join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', `${name}.jsonl`);

/** A working directory whose ./sessions holds copies of the pass and retry fixtures. */
function workspace(): { cwd: string; pass: string; retry: string; passId: string } {
  const cwd = scratchDir('sb-annotate-');
  mkdirSync(join(cwd, 'sessions'));
  const pass = join(cwd, 'sessions', 'pass.jsonl');
  const retry = join(cwd, 'sessions', 'retry.jsonl');
  copyFileSync(fixture('humaneval-0-pass'), pass);
  copyFileSync(fixture('humaneval-0-retry'), retry);
  return { cwd, pass, retry, passId: JSON.parse(readFileSync(pass, 'utf8').split('\n')[0]).sessionId };
}

const slotbench = (cwd: string, args: string[]) => execa('node', [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1' } });
const lineCount = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\n').length;

function expectOneLineError(result: { exitCode?: number; stderr: string }, message: string | RegExp): void {
  expect(result.exitCode).toBe(2);
  if (typeof message === 'string') expect(result.stderr).toBe(`slotbench: ${message}`);
  else expect(result.stderr).toMatch(message);
}

describe('slotbench tag', () => {
  it('adds (lower-cased), prints, and removes every tag after --remove, one appended line per change', async () => {
    const { cwd, pass, passId } = workspace();
    const start = lineCount(pass);
    const none = await slotbench(cwd, ['tag', passId.slice(0, 24)]);
    expect(none).toMatchObject({ exitCode: 0, stdout: '' });
    expect(none.stderr).toBe(`${passId} has no tags: slotbench tag ${passId.slice(0, 24)} NAME adds one`);

    const added = await slotbench(cwd, ['tag', passId, 'Flaky', 'slow', 'oom']);
    expect(added).toMatchObject({ exitCode: 0, stdout: `tags of ${passId}: flaky slow oom` });
    expect((await slotbench(cwd, ['tag', 'sessions/pass.jsonl'])).stdout).toBe('flaky\nslow\noom');

    const removed = await slotbench(cwd, ['tag', passId, 'ci', '--remove', 'slow', 'oom']);
    expect(removed.stdout).toBe(`tags of ${passId}: flaky ci`);
    expect(lineCount(pass)).toBe(start + 2);
    const again = await slotbench(cwd, ['tag', passId, 'flaky']);
    expect(again.stdout).toBe(`tags of ${passId}: flaky ci (unchanged)`);
    expect(lineCount(pass)).toBe(start + 2);
  });

  it('refuses a bad tag and a 17th tag in one line, exit 2, writing nothing', async () => {
    const { cwd, pass, passId } = workspace();
    const start = lineCount(pass);
    expectOneLineError(await slotbench(cwd, ['tag', passId, 'ok', 'no way']), 'tag "no way" is not a tag: 1-32 of a-z 0-9 . _ -, starting with a letter or digit');
    const many = Array.from({ length: 17 }, (_, i) => `t${i}`);
    expectOneLineError(await slotbench(cwd, ['tag', passId, ...many]), 'a session keeps at most 16 tags (this would make 17): remove some first');
    expectOneLineError(await slotbench(cwd, ['tag', passId, '--remove']), "Option '--remove <value>' argument missing: slotbench tag SESSION [TAG…] [options] (slotbench tag --help lists every option)");
    expect(lineCount(pass)).toBe(start);
  });
});

describe('slotbench note', () => {
  it('sets, prints and clears the note; refuses text with --clear and a note over 2,000 characters', async () => {
    const { cwd, passId } = workspace();
    expect((await slotbench(cwd, ['note', passId, 'timed', 'out', 'once', 'on', 'CI'])).stdout).toBe(`noted ${passId}`);
    expect((await slotbench(cwd, ['note', passId])).stdout).toBe('timed out once on CI');
    expectOneLineError(await slotbench(cwd, ['note', passId, 'x', '--clear']), 'note takes TEXT or --clear, not both: slotbench note SESSION [TEXT…] [--clear]');
    expectOneLineError(await slotbench(cwd, ['note', passId, 'x'.repeat(2001)]), 'the note is 2001 characters: at most 2000 are kept per session');
    expect((await slotbench(cwd, ['note', passId, '--clear'])).stdout).toBe(`cleared the note of ${passId}`);
    const after = await slotbench(cwd, ['note', passId]);
    expect(after).toMatchObject({ exitCode: 0, stdout: '' });
    expect(after.stderr).toMatch(/has no note/);
  });

  it("refuses another process's session still being recorded, in one line", async () => {
    const { cwd, pass, passId } = workspace();
    writeFileSync(pass, readFileSync(pass, 'utf8').split('\n').filter((l) => !l.includes('"flow_finished"')).join('\n'));
    expectOneLineError(await slotbench(cwd, ['note', passId, 'hello']), new RegExp(`^slotbench: session ${passId} is still being recorded \\(unfinished, written \\d+ s ago\\); annotate it when the run ends, or in \\d+ s if the run was killed$`));
    utimesSync(pass, 1e9, 1e9);
    expect((await slotbench(cwd, ['note', passId, 'hello'])).exitCode).toBe(0);
  });

  it('explains itself with --help, as does tag', async () => {
    const { cwd } = workspace();
    const note = await slotbench(cwd, ['note', '--help']);
    expect(note.exitCode).toBe(0);
    expect(note.stdout).toMatch(/^usage: slotbench note SESSION \[TEXT…\] \[options\]\n/);
    expect(note.stdout).toContain('--clear');
    const tag = await slotbench(cwd, ['tag', '--help']);
    expect(tag.stdout).toMatch(/^usage: slotbench tag SESSION \[TAG…\] \[options\]\n/);
    expect(tag.stdout).toContain('--remove TAG…');
  });
});

describe('slotbench sessions with notes and tags', () => {
  it('shows TAGS and the first line of the note, filters by tag:NAME and by words of the note, and puts both in --json', async () => {
    const { cwd, passId } = workspace();
    const plain = await slotbench(cwd, ['sessions']);
    expect(plain.stdout.split('\n')[0]).not.toContain('TAGS');
    await slotbench(cwd, ['tag', passId, 'flaky']);
    await slotbench(cwd, ['note', passId, 'server OOM\nsecond line']);
    const table = (await slotbench(cwd, ['sessions'])).stdout.split('\n');
    expect(table[0]).toMatch(/TOKENS {2}TAGS {4}NOTE$/);
    expect(table.find((l) => l.includes(passId))).toMatch(/ {2}#flaky {2}server OOM …$/);

    const byTag = JSON.parse((await slotbench(cwd, ['sessions', '--filter', 'tag:flaky', '--json'])).stdout);
    expect(byTag.map((r: { id: string }) => r.id)).toEqual([passId]);
    expect(byTag[0]).toMatchObject({ tags: ['flaky'], note: 'server OOM\nsecond line' });
    const byNote = JSON.parse((await slotbench(cwd, ['sessions', '--filter', 'oom', '--json'])).stdout);
    expect(byNote.map((r: { id: string }) => r.id)).toEqual([passId]);
    const all = JSON.parse((await slotbench(cwd, ['sessions', '--json'])).stdout);
    expect(all.find((r: { id: string }) => r.id !== passId)).toMatchObject({ tags: [], note: '' });
  });
});
