// A coding problem as flows see it: a stub to fill and the hidden tests that judge it.

/** One problem from a dataset (HumanEval, MBPP). */
export interface Problem {
  /** Dataset's own id, e.g. `HumanEval/0` or `Mbpp/11` (MBPP ints are prefixed). */
  id: string;
  /** Dataset path it came from. */
  dataset: string;
  /** Language of the code; only Python for now. */
  language: 'python';
  /** The module the model works on: imports, signature and docstring, body to be filled. */
  stub: string;
  /** Plain-language statement (HumanEval: the docstring; MBPP: the text). */
  statement: string;
  /** Function the tests call. */
  entryPoint: string;
  /** Test code appended after the candidate (never shown to the model). */
  tests: string;
  /** Reference solution as a full module, when the dataset has one. */
  reference?: string;
}

/** The program the gate runs: candidate module, then tests, then the call that runs them. */
export function testProgram(problem: Problem, candidate: string): string {
  return `${candidate.trimEnd()}\n\n\n${problem.tests.trimEnd()}\n`;
}
