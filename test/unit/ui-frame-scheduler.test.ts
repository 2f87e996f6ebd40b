import { afterEach, describe, expect, it, vi } from 'vitest';
import { frameScheduler } from '../../src/ui/frame-scheduler.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('frame scheduler', () => {
  it('coalesces a burst of changes into frames at most every interval', () => {
    vi.useFakeTimers();
    let draws = 0;
    const scheduler = frameScheduler(() => draws++, 33, () => Date.now());
    // 10,000 changes spread over one second: one frame per 33 ms at most, and the last change is drawn.
    for (let ms = 0; ms < 1000; ms++) {
      for (let i = 0; i < 10; i++) scheduler.request();
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(100);
    expect(draws).toBeGreaterThanOrEqual(25);
    expect(draws).toBeLessThanOrEqual(32);
    expect(scheduler.frames).toBe(draws);
  });

  it('draws at once on flush and not at all after stop', () => {
    vi.useFakeTimers();
    let draws = 0;
    const scheduler = frameScheduler(() => draws++, 33, () => Date.now());
    scheduler.flush();
    expect(draws).toBe(1);
    scheduler.request();
    scheduler.stop();
    vi.advanceTimersByTime(1000);
    expect(draws).toBe(1);
  });
});
