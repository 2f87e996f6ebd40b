// What a dataset path may be: a regular file of bounded size, gunzipping to a bounded size; anything else, one line.

import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { newSessionId, MAX_SLUG_LENGTH } from '../../src/session/paths.js';
import { loadTasks, MAX_DATASET_BYTES, MAX_GUNZIPPED_BYTES } from '../../src/tools/datasets.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(path: string): Promise<string> {
  const error = await loadTasks(path).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('dataset files', () => {
  it('refuses a device such as /dev/zero at once instead of reading it forever', async () => {
    expect(await refusal('/dev/zero')).toBe('dataset /dev/zero is a device, not a regular file: pass a .jsonl, .jsonl.gz or .json file');
  });

  it('refuses a named pipe without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    expect(await refusal(fifo)).toBe(`dataset ${fifo} is a named pipe, not a regular file: pass a .jsonl, .jsonl.gz or .json file`);
  });

  it('refuses a folder', async () => {
    expect(await refusal(dir)).toMatch(/is a folder, not a regular file/);
  });

  it('refuses a file over the size cap without reading it', async () => {
    const big = join(dir, 'big.jsonl');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_DATASET_BYTES + 1);
    closeSync(fd);
    expect(await refusal(big)).toBe(`dataset ${big} is larger than 64 MB: not a problem set of this kind`);
  });

  it('stops a gzip bomb at the unpacked cap', async () => {
    const bomb = join(dir, 'bomb.jsonl.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(MAX_GUNZIPPED_BYTES + 1024, 0x20), { level: 1 }));
    expect(await refusal(bomb)).toBe(`dataset ${bomb} unpacks to more than 64 MB: not a problem set (a gzip bomb?)`);
  });

  it('still reads a small gzipped set', async () => {
    const small = join(dir, 'one.jsonl.gz');
    const row = { task_id: 'T/0', prompt: 'def f():\n    """x"""\n', canonical_solution: '    return 1\n', test: 'def check(c):\n    assert c() == 1\n', entry_point: 'f' };
    writeFileSync(small, gzipSync(JSON.stringify(row) + '\n'));
    expect((await loadTasks(small)).map((t) => t.ref.id)).toEqual(['T/0']);
  });
});

describe('session ids from hostile task ids', () => {
  it('keeps the slug bounded, whatever the length of the task id', () => {
    const id = newSessionId('Z'.repeat(5000), new Date('2026-01-02T03:04:05Z'));
    expect(id).toMatch(new RegExp(`^20260102-030405-z{${MAX_SLUG_LENGTH}}-[0-9a-f]{8}$`));
  });

  it('never yields an empty slug or one that starts or ends with a dash', () => {
    expect(newSessionId('\u001b]52;c;x\u0007', new Date('2026-01-02T03:04:05Z'))).toMatch(/^20260102-030405-52-c-x-[0-9a-f]{8}$/);
    expect(newSessionId('///', new Date('2026-01-02T03:04:05Z'))).toMatch(/^20260102-030405-problem-[0-9a-f]{8}$/);
    expect(newSessionId('a'.repeat(MAX_SLUG_LENGTH - 1) + '/b')).not.toMatch(/--/);
  });
});
