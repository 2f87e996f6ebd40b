// A bounded pool of runs: never more at once than the model serves, stops on request, pauses to ask after a model failure.

export interface PoolOptions {
  /** Runs at once (≤ the model's slots). */
  concurrency: number;
  /** Stop launching; running work is the caller's to abort. */
  signal?: AbortSignal;
  /**
   * Asked after a run failed on the model itself: a reason to stop (the model is gone), or undefined to go on.
   * No run is launched while it is being asked.
   */
  healthCheck?: () => Promise<string | undefined>;
}

/** What became of the items that never started, and why the pool stopped early (if it did). */
export interface PoolOutcome<T> {
  notRun: T[];
  stopReason?: string;
}

/** Run `work` on every item, at most `concurrency` at once, in order of the list. */
export async function runPool<T>(
  items: readonly T[],
  work: (item: T) => Promise<{ failedOnModel: boolean }>,
  options: PoolOptions,
): Promise<PoolOutcome<T>> {
  const queue = [...items];
  let stopReason: string | undefined;
  let checking: Promise<void> | undefined;
  const stopped = () => stopReason !== undefined || options.signal?.aborted === true;
  const worker = async () => {
    for (;;) {
      await checking;
      if (stopped()) return;
      const item = queue.shift();
      if (item === undefined) return;
      const { failedOnModel } = await work(item);
      if (failedOnModel && options.healthCheck && !stopped() && queue.length > 0) {
        checking ??= options
          .healthCheck()
          .then((reason) => {
            if (reason !== undefined) stopReason ??= reason;
          })
          .finally(() => (checking = undefined));
      }
    }
  };
  const width = Math.max(1, Math.min(options.concurrency, queue.length));
  await Promise.all(Array.from({ length: width }, worker));
  if (stopReason === undefined && options.signal?.aborted) stopReason = reasonOf(options.signal);
  return { notRun: queue, ...(stopReason !== undefined ? { stopReason } : {}) };
}

function reasonOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' ? reason : 'stopped';
}
