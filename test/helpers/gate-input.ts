// Gate inputs for tests: a whole program as the candidate module of a script check with no tests of its own.

import type { GateInput } from '../../src/core/ports.js';

export function programInput(program: string, timeoutMs: number, signal?: AbortSignal): GateInput {
  return {
    workspace: { files: [{ path: 'solution.py', text: program }] },
    check: { kind: 'script', module: 'solution.py', tests: '', bind: {} },
    judge: 'oracle',
    timeoutMs,
    ...(signal ? { signal } : {}),
  };
}
