// The embedded engine's sequence pool: first come first served, pinned requests, abort while waiting.

import { describe, expect, it } from 'vitest';
import { SequencePool } from '../../src/model/embedded/sequence-pool.js';

const any = (free: readonly string[]): string | undefined => free[0];
const only = (item: string) => (free: readonly string[]) => free.find((f) => f === item);

describe('SequencePool', () => {
  it('hands out free items and queues the rest in order', async () => {
    const pool = new SequencePool(['a', 'b']);
    const first = await pool.acquire(any);
    const second = await pool.acquire(any);
    const order: string[] = [];
    const third = pool.acquire(any).then((item) => order.push(`third:${item}`));
    const fourth = pool.acquire(any).then((item) => order.push(`fourth:${item}`));
    expect(pool.waiting).toBe(2);
    pool.release(first);
    pool.release(second);
    await Promise.all([third, fourth]);
    expect(order).toEqual(['third:a', 'fourth:b']);
  });

  it('lets others pass a request pinned to a busy item', async () => {
    const pool = new SequencePool(['a', 'b']);
    await pool.acquire(only('a'));
    const b = await pool.acquire(only('b'));
    const pinned = pool.acquire(only('a'));
    const other = pool.acquire(any);
    pool.release(b);
    expect(await other).toBe('b');
    expect(pool.waiting).toBe(1);
    pool.release('a');
    expect(await pinned).toBe('a');
  });

  it('rejects with code aborted when the signal fires while waiting, and forgets the waiter', async () => {
    const pool = new SequencePool(['a']);
    await pool.acquire(any);
    const controller = new AbortController();
    const waiting = pool.acquire(any, controller.signal, 'stopped');
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'aborted', message: 'stopped' });
    expect(pool.waiting).toBe(0);
    pool.release('a');
    expect(await pool.acquire(any)).toBe('a');
    await expect(pool.acquire(any, AbortSignal.abort())).rejects.toMatchObject({ code: 'aborted' });
  });
});
