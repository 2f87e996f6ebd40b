// Checks made before a GGUF file reaches node-llama-cpp, so a wrong path or file fails as one line, not a crash.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { freemem } from 'node:os';
import { UserError } from '../../core/errors.js';

const GGUF_MAGIC = 'GGUF';

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/** Checks that `path` is a GGUF file; returns its size in bytes. */
export async function checkGgufFile(path: string, modelName: string): Promise<number> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserError(`model file ${path} is not a file: pass the path of a .gguf file`, 'not_gguf');
    size = info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UserError(
        `model file ${path} not found: pass a GGUF path with --model-file or models.${modelName}.path in slotbench.config.json`,
        'model_not_found',
      );
    }
    throw error;
  }
  const magic = Buffer.alloc(4);
  const file = await open(path, 'r');
  try {
    await file.read(magic, 0, 4, 0);
  } finally {
    await file.close();
  }
  if (magic.toString('latin1') !== GGUF_MAGIC) {
    throw new UserError(
      `model file ${path} is not a GGUF file (it does not start with "GGUF"): convert it with llama.cpp's convert_hf_to_gguf.py or get a .gguf build of the model`,
      'not_gguf',
    );
  }
  return size;
}

/** Memory the process may still use: free memory, or less when a cgroup limit is lower. */
export function availableMemory(): number {
  const free = freemem();
  const limit = process.constrainedMemory?.() ?? 0;
  if (limit > 0 && limit < Number.MAX_SAFE_INTEGER) return Math.min(free, limit - process.memoryUsage().rss);
  return free;
}

/**
 * Refuses a model that cannot fit: the weights are read whole (mmap or not) and the context comes on top.
 * `extraBytes` is the estimated context (KV cache and compute buffers).
 */
export function checkFitsInMemory(path: string, fileBytes: number, extraBytes: number, available = availableMemory()): void {
  const needed = fileBytes + extraBytes;
  if (needed > available) {
    throw new UserError(
      `model file ${basename(path)} needs about ${gib(needed)} of memory but only ${gib(available)} is free: use a smaller quantisation, a smaller contextSize, or close other programs`,
      'out_of_memory',
    );
  }
}

/** First 12 hex digits of the file's sha256, for the model fingerprint. */
export async function shortSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 12);
}
