// Throttle drawing, never data: many invalidations become at most one frame per interval.

export interface FrameScheduler {
  /** Something changed: draw soon (coalesced). */
  request(): void;
  /** Draw now and cancel a pending frame (resize, quitting). */
  flush(): void;
  /** Frames drawn so far. */
  readonly frames: number;
  stop(): void;
}

/** ~30 frames a second: smooth for the eye, and far below one frame per token (measured 100× slower here). */
const FRAME_INTERVAL_MS = 33;

export function frameScheduler(draw: () => void, intervalMs = FRAME_INTERVAL_MS, now: () => number = () => performance.now()): FrameScheduler {
  let timer: NodeJS.Timeout | undefined;
  let last = -Infinity;
  let frames = 0;
  let stopped = false;
  const frame = () => {
    timer = undefined;
    if (stopped) return;
    last = now();
    frames++;
    draw();
  };
  return {
    request() {
      if (timer || stopped) return;
      timer = setTimeout(frame, Math.max(0, last + intervalMs - now()));
    },
    flush() {
      if (timer) clearTimeout(timer);
      frame();
    },
    get frames() {
      return frames;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
