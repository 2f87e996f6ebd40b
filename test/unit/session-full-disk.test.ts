// A session writer and the index on a real full disk (a 200 KB tmpfs): recording stops with one notice, never a throw.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { upsertSummary } from '../../src/session/index-store.js';
import { SessionWriter, type WriteFailure } from '../../src/session/writer.js';
import { smallTmpfs } from '../helpers/small-tmpfs.js';

const { disk, mounted, whyNot } = smallTmpfs('sb-full-');

/** Fill the disk, leaving about `free` bytes. */
function fillLeaving(free: number): void {
  rmSync(join(disk, 'filler'), { force: true });
  const total = Number(execFileSync('stat', ['-f', '-c', '%a*%S', disk]).toString().trim().split('*').reduce((a, b) => String(Number(a) * Number(b))));
  writeFileSync(join(disk, 'filler'), Buffer.alloc(Math.max(0, total - free)));
}

const note = (i: number): SlotbenchEvent => ({ type: 'note', level: 'info', message: `event ${i} ${'x'.repeat(200)}`, t: i });

describe.skipIf(!mounted)(mounted ? 'on a full 200 KB tmpfs' : `on a full tmpfs: skipped, no tmpfs can be mounted here (${whyNot}); the e2e full-disk test simulates the failing write with a file-size limit`, () => {
  beforeEach(() => {
    for (const name of readdirSync(disk)) rmSync(join(disk, name), { recursive: true, force: true });
  });

  it('a timer flush on a full disk never throws: one failure, the empty file removed, later events dropped', async () => {
    fillLeaving(0);
    const failures: WriteFailure[] = [];
    const writer = new SessionWriter(join(disk, 's.jsonl'), { onFailure: (f) => failures.push(f) });
    writer.write(note(0));
    // The timer flushes within ~50 ms; an exception there would fail this test as an unhandled error.
    await new Promise((r) => setTimeout(r, 150));
    writer.write(note(1));
    writer.close();
    expect(failures).toEqual([{ code: 'ENOSPC', eventsKept: 0, removed: true }]);
    expect(existsSync(join(disk, 's.jsonl'))).toBe(false);
  });

  it('a disk that fills mid-session leaves only whole lines, as many as it says it kept', () => {
    fillLeaving(8 * 1024);
    const failures: WriteFailure[] = [];
    const path = join(disk, 's.jsonl');
    const writer = new SessionWriter(path, { onFailure: (f) => failures.push(f) });
    for (let i = 0; i < 200; i++) {
      writer.write(note(i));
      if (i % 7 === 0) writer.flush();
    }
    writer.close();
    expect(failures).toHaveLength(1);
    expect(failures[0].code).toBe('ENOSPC');
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as { message: string });
    expect(lines.length).toBe(failures[0].eventsKept);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((l) => l.message.split(' ')[1])).toEqual(lines.map((_, i) => String(i)));
  });

  it('a row that cannot be written leaves no temp file behind', async () => {
    mkdirSync(join(disk, 'index'));
    fillLeaving(0);
    const row = { id: 'r', file: 'r.jsonl', startedAt: '', flow: 'implement', problem: 'P', model: 'm', mode: 'run' as const, label: 'x'.repeat(8000) };
    await expect(upsertSummary(disk, row)).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readdirSync(join(disk, 'index'))).toEqual([]);
  });
});
