// Ctrl-C, SIGTERM and SIGHUP stop a run the same way: its signal aborts, the session records why; a second one exits now.

import { flushAllSessions } from '../session/writer.js';

const REASONS: Record<string, string> = {
  SIGINT: 'interrupted by Ctrl-C',
  SIGTERM: 'terminated by SIGTERM',
  SIGHUP: 'the terminal hung up (SIGHUP)',
};

/** Exit code of an interrupted command, whichever signal it was. */
export const INTERRUPTED_EXIT = 130;

const scopes = new Set<AbortController>();
let received = 0;

/**
 * While a command runs something that must end cleanly, its scope's signal aborts on the first interrupt (reason:
 * which signal). Without an open scope, or on a second interrupt, the process flushes its sessions and exits.
 */
export function interruptScope(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  scopes.add(controller);
  return { signal: controller.signal, dispose: () => scopes.delete(controller) };
}

/** True when `reason` is one an interrupt gave (the run was stopped by a person, not by a failure). */
export function isInterruptReason(reason: string | undefined): boolean {
  return reason !== undefined && Object.values(REASONS).includes(reason);
}

/** Install the handlers once, at the entry point. */
export function handleInterrupts(): void {
  for (const name of Object.keys(REASONS) as NodeJS.Signals[]) {
    process.on(name, () => {
      received++;
      if (scopes.size === 0 || received > 1) {
        flushAllSessions();
        process.exit(INTERRUPTED_EXIT);
      }
      // Deferred: blessed's own handler runs after this one and exits the process unless it sees other listeners,
      // which it would not once the workbench (closing on this abort) had taken blessed's handlers away.
      setImmediate(() => {
        for (const scope of scopes) scope.abort(REASONS[name]);
      });
    });
  }
}
