// A fixed set of context sequences handed out one request at a time; requests beyond them wait in order.

import { UserError } from '../../core/errors.js';

interface Waiter<T> {
  choose: (free: readonly T[]) => T | undefined;
  resolve: (item: T) => void;
}

export class SequencePool<T> {
  private readonly free: T[];
  private readonly waiters: Waiter<T>[] = [];
  /** Items in the pool, busy or free. */
  readonly size: number;

  constructor(items: readonly T[]) {
    this.free = [...items];
    this.size = items.length;
  }

  /** Requests waiting for a sequence. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * Resolves with a free item picked by `choose` (undefined = none of the free ones will do, keep waiting).
   * Rejects with code 'aborted' when `signal` aborts first.
   */
  acquire(choose: (free: readonly T[]) => T | undefined, signal?: AbortSignal, abortMessage = 'request was aborted'): Promise<T> {
    if (signal?.aborted) return Promise.reject(new UserError(abortMessage, 'aborted'));
    // Waiters are only ever left holding out for busy items, so a free one that suits is fair to take.
    const picked = this.take(choose);
    if (picked !== undefined) return Promise.resolve(picked);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        choose,
        resolve: (item) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(item);
        },
      };
      const onAbort = (): void => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new UserError(abortMessage, 'aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(item: T): void {
    this.free.push(item);
    // First come, first served, except that a waiter pinned to a busy item lets the others pass.
    for (let i = 0; i < this.waiters.length && this.free.length > 0; ) {
      const waiter = this.waiters[i];
      const picked = this.take(waiter.choose);
      if (picked === undefined) {
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      waiter.resolve(picked);
    }
  }

  private take(choose: (free: readonly T[]) => T | undefined): T | undefined {
    const picked = choose(this.free);
    if (picked === undefined) return undefined;
    this.free.splice(this.free.indexOf(picked), 1);
    return picked;
  }
}
