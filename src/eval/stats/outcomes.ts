// The statistics' input (per run, per problem, per repeat: pass / fail / error) and how a problem's repeats fold into one.

import { UserError } from '../../core/errors.js';
import { splitOf, type Split } from './split.js';

/** One attempt's outcome: the gate judged it `pass` or `fail`; `error` means nothing was judged (server died, stalled, context exceeded). */
export type Outcome = 'pass' | 'fail' | 'error';

const OUTCOMES: ReadonlySet<string> = new Set<Outcome>(['pass', 'fail', 'error']);

/** What a run recorded for one problem. */
export interface ProblemResult {
  /** The dataset's problem id, e.g. `HumanEval/12`; problems of two runs pair by it. */
  id: string;
  /** One final outcome per repeat (K of them with `--repeat K`), each after its bounded retries. */
  outcomes: Outcome[];
  /** The problem's class when the dataset has one; the bootstrap resamples a class as a whole. */
  class?: string;
  /** Retries spent on errors over all repeats (recorded; an error is never counted as a fail). */
  retries?: number;
}

/** A run as the statistics see it. */
export interface RunResults {
  /** Names the run in error messages and reports, e.g. its directory. */
  label: string;
  problems: ProblemResult[];
}

/**
 * A problem's repeats folded. Errors are set aside; the judged repeats give the problem's pass rate, the one number
 * per problem that pass@1 averages and that every paired statistic compares (with one repeat: 1 or 0).
 */
export interface FoldedProblem {
  id: string;
  class?: string;
  split: Split;
  passes: number;
  fails: number;
  errors: number;
  retries: number;
  /** passes / (passes + fails); null when no repeat was judged (the problem counts as an error, not a fail). */
  rate: number | null;
}

/** Every problem of a run, folded and checked; a bad record is a one-line UserError naming the run and the problem. */
export function foldRun(run: RunResults): FoldedProblem[] {
  const seen = new Set<string>();
  return run.problems.map((problem, index) => {
    const where = `${run.label}: problem ${typeof problem.id === 'string' ? `"${problem.id}"` : `#${index + 1}`}`;
    if (typeof problem.id !== 'string' || problem.id === '') throw new UserError(`${where} has no id; every result needs the dataset's problem id`, 'eval_results');
    if (seen.has(problem.id)) throw new UserError(`${where} appears twice; keep one result per problem (repeats go in its outcomes)`, 'eval_results');
    seen.add(problem.id);
    if (!Array.isArray(problem.outcomes) || problem.outcomes.length === 0) {
      throw new UserError(`${where} has no outcomes; record one per repeat`, 'eval_results');
    }
    const bad = problem.outcomes.find((o) => !OUTCOMES.has(o));
    if (bad !== undefined) throw new UserError(`${where} has outcome ${JSON.stringify(bad)}; use pass, fail or error`, 'eval_results');
    if (problem.retries !== undefined && !(Number.isInteger(problem.retries) && problem.retries >= 0)) {
      throw new UserError(`${where} has retries ${JSON.stringify(problem.retries)}; use a count (0 or more)`, 'eval_results');
    }
    return fold(problem);
  });
}

function fold(problem: ProblemResult): FoldedProblem {
  const count = (o: Outcome) => problem.outcomes.filter((x) => x === o).length;
  const passes = count('pass');
  const fails = count('fail');
  const judged = passes + fails;
  return {
    id: problem.id,
    ...(problem.class !== undefined ? { class: problem.class } : {}),
    split: splitOf(problem.id),
    passes,
    fails,
    errors: count('error'),
    retries: problem.retries ?? 0,
    rate: judged === 0 ? null : passes / judged,
  };
}
