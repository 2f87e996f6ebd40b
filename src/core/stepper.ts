// Debugger-style stepping: whether the engine pauses before the next slot, and the pause itself.

import type { StopReason } from './events.js';

/** Where the engine waits before a slot, and whether it should. */
export class Stepper {
  private readonly breakpoints: Set<string>;
  private stepping: boolean;
  private resume?: (cancelled: boolean) => void;

  constructor(pauseAtStart: boolean, breakpoints: string[]) {
    this.stepping = pauseAtStart;
    this.breakpoints = new Set(breakpoints);
  }

  /** True while a slot waits for step/continue. */
  get paused(): boolean {
    return this.resume !== undefined;
  }

  get breakpointNames(): string[] {
    return [...this.breakpoints];
  }

  step(): void {
    this.stepping = true;
    this.release(false);
  }

  continue(): void {
    this.stepping = false;
    this.release(false);
  }

  pause(): void {
    this.stepping = true;
  }

  toggleBreakpoint(slotName: string): boolean {
    if (this.breakpoints.has(slotName)) this.breakpoints.delete(slotName);
    else this.breakpoints.add(slotName);
    return this.breakpoints.has(slotName);
  }

  /** Let a waiting slot go on (`cancelled` = its execution is being stopped instead). */
  release(cancelled: boolean): void {
    const resume = this.resume;
    this.resume = undefined;
    resume?.(cancelled);
  }

  /**
   * Wait before slot `slotName` if stepping or at a breakpoint; `onStop` announces the pause once it is in place.
   * Resolves true when the wait was cancelled. `entry` marks the very first slot of the run, `resumePoint` the first
   * call a resumed recording does not answer (a stop there lets a person look before the model is asked).
   */
  async beforeSlot(slotName: string, at: { entry: boolean; resumePoint: boolean }, onStop: (reason: StopReason) => void): Promise<boolean> {
    let reason: StopReason | undefined;
    if (this.breakpoints.has(slotName)) reason = 'breakpoint';
    if (at.resumePoint) reason = 'resume';
    if (this.stepping) reason = at.entry ? 'entry' : 'step';
    if (!reason) return false;
    const stop = reason;
    return new Promise<boolean>((resolve) => {
      this.resume = resolve;
      onStop(stop);
    });
  }
}
