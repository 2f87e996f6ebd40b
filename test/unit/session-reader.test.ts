// The session reader: round trip, damage (cut last line, corrupt lines), refusals, migration, read-only, UTF-8 chunking.

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_FORMAT_VERSION, type SlotbenchEvent } from '../../src/core/events.js';
import { readSession, readSessionHeader } from '../../src/session/reader.js';
import { openRecorder } from '../../src/session/recorder.js';
import { reduceAll } from '../../src/state/run-state.js';
import { harness } from '../helpers/engine-harness.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { scratchDir } from '../helpers/scratch.js';

const dir = scratchDir('sb-reader-');
let recorded: SlotbenchEvent[];
let lines: string[];

/** A file in the temp dir with these lines (joined by newlines, trailing newline unless `cut`). */
function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  const { engine, events } = await harness('humaneval-0-indent-broken');
  const recorder = openRecorder(join(dir, 'source.jsonl'), dir);
  engine.on(recorder.onEvent);
  await engine.start();
  await recorder.close();
  recorded = events;
  lines = readFileSync(join(dir, 'source.jsonl'), 'utf8').trimEnd().split('\n');
});

describe('readSession', () => {
  it('reads back exactly the events the engine emitted, header first, without warnings', async () => {
    const session = await readSession(join(dir, 'source.jsonl'));
    expect(session.events).toEqual(JSON.parse(JSON.stringify(recorded)));
    expect(session.header).toMatchObject({ type: 'session_started', flow: 'implement', task: { kind: 'dataset', id: 'HumanEval/0' } });
    expect(session.warnings).toEqual([]);
    expect(session.formatVersion).toBe(SESSION_FORMAT_VERSION);
  });

  it('loads everything before a cut last line and says so in one line', async () => {
    const last = lines.at(-1)!;
    const path = file('cut.jsonl', [...lines.slice(0, -1), last.slice(0, Math.floor(last.length / 2))].join('\n'));
    const session = await readSession(path);
    expect(session.events).toHaveLength(lines.length - 1);
    expect(session.warnings).toEqual([`${path}: last line is incomplete (crash mid-write?); loaded ${lines.length - 1} events`]);
  });

  it('accepts a whole last line that merely lacks its newline', async () => {
    const path = file('no-newline.jsonl', lines.join('\n'));
    const session = await readSession(path);
    expect(session.events).toHaveLength(lines.length);
    expect(session.warnings).toEqual([]);
  });

  it('skips a corrupt line in the middle, naming its line number, and keeps the rest', async () => {
    const damaged = [...lines];
    damaged[4] = '{"type":"token","slotId":"s1","te';
    damaged[6] = '{"type":"telepathy","t":3}';
    const path = file('corrupt.jsonl', damaged.join('\n') + '\n');
    const session = await readSession(path);
    expect(session.warnings).toEqual([
      `${path} line 5: not valid JSON; skipped`,
      `${path} line 7: unknown event type "telepathy"; skipped`,
    ]);
    expect(session.events).toHaveLength(lines.length - 2);
    expect(reduceAll(session.events).branches.get(0)?.finished?.verdict).toBe('pass');
  });

  it('reports many damaged lines as ten lines and a count', async () => {
    const damaged = [lines[0], ...Array.from({ length: 25 }, () => 'garbage'), ...lines.slice(1)];
    const session = await readSession(file('many.jsonl', damaged.join('\n') + '\n'));
    expect(session.warnings).toHaveLength(11);
    expect(session.warnings.at(-1)).toMatch(/15 more damaged lines skipped$/);
    expect(session.events).toHaveLength(lines.length);
  });

  it('refuses a file that is not a session: other JSON, text, binary, empty, missing', async () => {
    const json = file('other.json', '{"name":"package"}\n{"type":"token","t":1}\n');
    await expect(readSession(json)).rejects.toThrow(`${json} is not a slotbench session (first line is not a session header)`);
    const text = file('README.md', '# slotbench\n\nnot a session\n');
    await expect(readSession(text)).rejects.toThrow(`${text} is not a slotbench session (first line is not a session header)`);
    const binary = file('model.gguf', Buffer.from([0x47, 0x47, 0x55, 0x46, 0, 0, 0, 3, 0x0a, 0xff]).toString('latin1'));
    await expect(readSession(binary)).rejects.toThrow(`${binary} is not a slotbench session (it is a binary file)`);
    const empty = file('empty.jsonl', '');
    await expect(readSession(empty)).rejects.toThrow(`${empty} is empty: not a slotbench session`);
    await expect(readSession(join(dir, 'nope.jsonl'))).rejects.toThrow(`cannot read session ${join(dir, 'nope.jsonl')}: no such file`);
    await expect(readSession(dir)).rejects.toThrow(/it is a directory/);
  });

  it('refuses a session written by a newer slotbench, naming both versions', async () => {
    const header = { ...JSON.parse(lines[0]), formatVersion: 7 };
    const path = file('future.jsonl', [JSON.stringify(header), ...lines.slice(1)].join('\n') + '\n');
    await expect(readSession(path)).rejects.toMatchObject({
      code: 'newer_format',
      message: `session ${path} was written by a newer slotbench (format 7 > ${SESSION_FORMAT_VERSION}): upgrade slotbench to read it`,
    });
  });

  it('refuses a header without the fields a replay needs', async () => {
    const { flow: _flow, ...header } = JSON.parse(lines[0]);
    const path = file('headless.jsonl', [JSON.stringify(header), ...lines.slice(1)].join('\n') + '\n');
    await expect(readSession(path)).rejects.toThrow(`${path}: the session header has no "flow": the file is damaged`);
  });

  it('migrates the format-0 fixture (kind, bare model name and problem id) to the current events', async () => {
    const path = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'v0-humaneval-0.jsonl');
    const raw = readFileSync(path, 'utf8').split('\n')[0];
    expect(JSON.parse(raw)).not.toHaveProperty('formatVersion');
    const session = await readSession(path);
    expect(session.formatVersion).toBe(0);
    expect(session.warnings).toEqual([`${path}: migrated from format 0 (kind → type, bare model name and problem id in the header) to format ${SESSION_FORMAT_VERSION}`]);
    expect(session.header).toMatchObject({ formatVersion: 1, model: { name: 'local', kind: 'llama-server' }, task: { kind: 'dataset', id: 'HumanEval/0' } });
    expect(session.header).not.toHaveProperty('problem');
    expect(session.events.every((e) => typeof e.type === 'string' && !('kind' in e))).toBe(true);
    const state = reduceAll(session.events);
    expect(state.branches.get(0)?.finished?.verdict).toBe('pass');
    expect([...state.slots.values()].map((s) => s.status)).toEqual(['parsed']);
  });

  it('lifts a format-1 header (problem) to a task ref quietly: the rename loses nothing', async () => {
    const path = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions', 'humaneval-0-pass.jsonl');
    expect(JSON.parse(readFileSync(path, 'utf8').split('\n')[0])).toMatchObject({ formatVersion: 1, problem: { id: 'HumanEval/0' } });
    const session = await readSession(path);
    expect(session.formatVersion).toBe(1);
    expect(session.warnings).toEqual([]);
    expect(session.header.task).toEqual({ kind: 'dataset', id: 'HumanEval/0', dataset: '/work/shared/datasets/HumanEval.jsonl.gz' });
    expect(session.header).not.toHaveProperty('problem');
  });

  it('never writes to the file it reads (content and mtime unchanged)', async () => {
    const path = join(dir, 'source.jsonl');
    const before = { content: readFileSync(path), mtime: statSync(path).mtimeMs };
    await readSession(path);
    await readSessionHeader(path);
    expect(readFileSync(path).equals(before.content)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(before.mtime);
  });

  it('decodes multi-byte characters split across read chunks', async () => {
    const header = lines[0];
    // A note long enough that the 1 MiB chunk boundary falls inside one of its multi-byte characters.
    const message = 'é🙂'.repeat(200_000);
    const note = JSON.stringify({ type: 'note', level: 'info', message, t: 1 });
    const session = await readSession(file('utf8.jsonl', `${header}\n${note}\n${note}\n`));
    expect(session.warnings).toEqual([]);
    expect(session.events.slice(1).map((e) => (e.type === 'note' ? e.message : ''))).toEqual([message, message]);
  });
});

describe('readSessionHeader', () => {
  it('returns the header alone, even of a session damaged further down', async () => {
    const path = file('header-only.jsonl', `${lines[0]}\ngarbage\n`);
    expect(await readSessionHeader(path)).toMatchObject({ type: 'session_started', sessionId: 'test-session' });
  });
});
