// Pre-load checks of the embedded engine: file present, GGUF magic, fits in memory — each a one-line UserError.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFitsInMemory, checkGgufFile } from '../../src/model/embedded/checks.js';
import { scratchDir } from '../helpers/scratch.js';

describe('embedded engine checks', () => {
  it('accepts a file that starts with the GGUF magic and returns its size', async () => {
    const file = join(scratchDir('slotbench-checks-'), 'tiny.gguf');
    await writeFile(file, Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(60)]));
    expect(await checkGgufFile(file, 'm')).toBe(64);
  });

  it('refuses a folder and a short file', async () => {
    const dir = scratchDir('slotbench-checks-');
    await expect(checkGgufFile(dir, 'm')).rejects.toMatchObject({ code: 'not_gguf' });
    const short = join(dir, 'short.gguf');
    await writeFile(short, 'GG');
    await expect(checkGgufFile(short, 'm')).rejects.toMatchObject({ code: 'not_gguf' });
  });

  it('refuses a model that does not fit in free memory, in one line', () => {
    const gib = 2 ** 30;
    expect(() => checkFitsInMemory('/m/big.gguf', 12 * gib, gib, 8 * gib)).toThrow(
      'model file big.gguf needs about 13.0 GiB of memory but only 8.0 GiB is free: use a smaller quantisation, a smaller contextSize, or close other programs',
    );
    expect(() => checkFitsInMemory('/m/small.gguf', gib, gib / 10, 8 * gib)).not.toThrow();
  });
});
