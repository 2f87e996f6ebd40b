// Stand-ins the benchmarks use to time the harness alone; never used by a run, a probe or a test.

import type { GatePort } from '../core/ports.js';
import type { Problem } from '../core/problem.js';

/** Answers pass at once, so only the harness (and the model, where timed) is measured. */
export const instantGateForBenchOnly: GatePort = {
  run: async () => ({ command: ['instant'], exitCode: 0, signal: null, durationMs: 0, verdict: 'pass', stdoutTail: '', stderrTail: '', sandbox: 'none' }),
};

/** A one-line problem, so parsing and diffing cost what a small real slot costs. */
export const addProblem: Problem = {
  id: 'bench/add',
  dataset: 'inline',
  language: 'python',
  stub: 'def add(a, b):\n    """Return a + b."""\n',
  statement: 'Return a + b.',
  entryPoint: 'add',
  tests: 'assert add(1, 2) == 3\n',
};
