// Stand-ins the benchmarks use to time the harness alone; never used by a run, a probe or a test.

import type { GatePort } from '../core/ports.js';
import type { Task } from '../core/task.js';

/** Answers pass at once, so only the harness (and the model, where timed) is measured. */
export const instantGateForBenchOnly: GatePort = {
  run: async () => ({ command: ['instant'], exitCode: 0, signal: null, durationMs: 0, verdict: 'pass', stdoutTail: '', stderrTail: '', sandbox: 'none' }),
};

/** A one-line task, so parsing and diffing cost what a small real slot costs. */
export const addTask: Task = {
  ref: { kind: 'dataset', dataset: 'inline', id: 'bench/add' },
  language: 'python',
  statement: 'Return a + b.',
  files: [{ path: 'solution.py', text: 'def add(a, b):\n    """Return a + b."""\n' }],
  targets: [{ file: 'solution.py', symbol: 'add' }],
  oracle: { kind: 'script', module: 'solution.py', tests: 'assert add(1, 2) == 3\n', bind: {}, bindAll: true },
};
