// The `implement` flow: the model fills a stubbed function; one re-indent repair; the tests judge; bounded retries.

import { createTwoFilesPatch } from 'diff';
import type { GateVerdict } from '../core/events.js';
import type { FlowContext, FlowDefinition, FlowResult, SlotOutcome } from '../core/flow.js';
import { taskFile, withChanges, type EditTarget } from '../core/task.js';
import { assembleCandidate, extractCode, functionStart, normaliseTestOutput } from './extract.js';
import { whyNoReindent } from './indentation.js';
import { CODE_BLOCK_STOP, implementPrompt, reindentPrompt } from './prompts.js';

export const implementFlow: FlowDefinition = {
  name: 'implement',
  description: 'fill a stubbed function until its tests pass; one re-indent repair per unparsable answer',
  slots: ['implement', 'reindent'],
  options: [
    { name: 'repair', values: ['on', 'off'], default: 'on', description: 'one re-indent repair slot per mis-indented answer (off: report the parse error at once)' },
  ],
  run: runImplement,
};

/** The one thing the implement flow fills: a function of a file, and that file before the model's answer. */
interface Stubbed {
  target: EditTarget;
  stub: string;
}

function stubbedTarget(ctx: FlowContext): Stubbed | string {
  const { task } = ctx;
  if (task.targets.length !== 1) return `the implement flow fills one function; task ${task.ref.id} has ${task.targets.length} targets`;
  const target = task.targets[0];
  const stub = taskFile(task, target.file);
  return stub === undefined ? `task ${task.ref.id} has no file ${target.file} for its target` : { target, stub };
}

async function runImplement(ctx: FlowContext): Promise<FlowResult> {
  const stubbed = stubbedTarget(ctx);
  if (typeof stubbed === 'string') return { verdict: 'error', reason: stubbed };
  const { target, stub } = stubbed;
  let code = stub;
  let feedback: string | undefined;
  let last: FlowResult = { verdict: 'fail', reason: 'no attempt was made' };

  for (let attempt = 1; attempt <= ctx.attempts; attempt++) {
    const answer = await ctx.slot({
      name: 'implement',
      prompt: implementPrompt(stub, feedback),
      attempt,
      sampling: { stop: CODE_BLOCK_STOP },
    });
    if (!answer.ok) return modelFailure(answer);

    const candidate = await parsedCandidate(ctx, stubbed, answer, attempt);
    if (!candidate.ok) {
      last = { verdict: 'parse_error', reason: candidate.reason };
      feedback = candidate.reason;
      continue;
    }

    ctx.emit({
      type: 'code_applied',
      slotId: answer.slotId,
      file: target.file,
      before: code,
      after: candidate.code,
      diff: createTwoFilesPatch(target.file, target.file, code, candidate.code, '', '', { context: 3 }),
    });
    code = candidate.code;

    const files = withChanges(ctx.task.files, [{ path: target.file, text: candidate.code }]);
    const run = await ctx.gate(answer.slotId, attempt, { workspace: { files }, check: ctx.task.oracle });
    if (run.verdict === 'pass') return { verdict: 'pass', reason: `tests passed on attempt ${attempt}` };
    last = { verdict: run.verdict, reason: gateReason(run.verdict, run.exitCode, attempt) };
    feedback = normaliseTestOutput(run.stderrTail || run.stdoutTail) || `exit code ${run.exitCode}`;
  }
  return last;
}

type Candidate = { ok: true; code: string } | { ok: false; reason: string };

/** Extract, parse, and if it does not parse, one re-indent slot whose answer must keep every token. */
async function parsedCandidate(ctx: FlowContext, { target, stub }: Stubbed, answer: SlotOutcome & { ok: true }, attempt: number): Promise<Candidate> {
  const { parser } = ctx;
  const extracted = extractCode(answer.text, target.symbol);
  ctx.emit({ type: 'code_extracted', slotId: answer.slotId, how: extracted.how, code: extracted.code });
  const candidate = assembleCandidate(stub, target.symbol, extracted.code);
  const errors = parser.errors(candidate);
  if (errors.length === 0) {
    ctx.emit({ type: 'slot_result', slotId: answer.slotId, status: 'ok' });
    return { ok: true, code: candidate };
  }
  const noRepair = ctx.options.repair === 'off' ? 'repair is off (flow option repair=off), so no re-indent was asked' : whyNoReindent(parser, candidate, errors);
  ctx.emit({ type: 'parse_failed', slotId: answer.slotId, errors, ...(noRepair ? { noRepair } : {}) });
  if (noRepair) {
    ctx.emit({ type: 'slot_result', slotId: answer.slotId, status: 'parse_error' });
    return { ok: false, reason: `SyntaxError near line ${errors[0].line}: ${errors[0].text.trim()}; ${noRepair}` };
  }

  const defStart = functionStart(candidate, target.symbol) ?? 0;
  const repair = await ctx.slot({
    name: 'reindent',
    prompt: reindentPrompt(candidate.slice(defStart), lineOf(candidate, errors[0].line, defStart)),
    attempt,
    repairOf: answer.slotId,
    sampling: { temperature: 0, stop: CODE_BLOCK_STOP },
  });
  const rejected = (reason: string): Candidate => {
    ctx.emit({ type: 'repair', slotId: repair.slotId, repairOf: answer.slotId, accepted: false, reason });
    ctx.emit({ type: 'slot_result', slotId: answer.slotId, status: 'parse_error' });
    return { ok: false, reason: `SyntaxError near line ${errors[0].line}: ${errors[0].text.trim()}; re-indent rejected: ${reason}` };
  };
  if (!repair.ok) return rejected(`the repair slot failed: ${repair.message}`);

  const repaired = assembleCandidate(stub, target.symbol, extractCode(repair.text, target.symbol).code);
  if (!parser.sameTokens(candidate, repaired)) return rejected('it changed more than indentation');
  const stillBroken = parser.errors(repaired);
  if (stillBroken.length > 0) return rejected(`it still does not parse (line ${stillBroken[0].line})`);

  ctx.emit({ type: 'repair', slotId: repair.slotId, repairOf: answer.slotId, accepted: true, reason: 'tokens unchanged, now parses' });
  ctx.emit({ type: 'slot_result', slotId: answer.slotId, status: 'repaired' });
  return { ok: true, code: repaired };
}

function modelFailure(answer: SlotOutcome & { ok: false }): FlowResult {
  return answer.code === 'aborted'
    ? { verdict: 'aborted', reason: answer.message }
    : { verdict: 'error', reason: answer.message };
}

function gateReason(verdict: GateVerdict, exitCode: number | null, attempt: number): string {
  if (verdict === 'timeout') return `tests timed out on attempt ${attempt}`;
  if (verdict === 'crash') return `test process crashed on attempt ${attempt}`;
  return `tests failed (exit ${exitCode}) on attempt ${attempt}`;
}

/** Line number of `line` (1-based, in `code`) relative to the excerpt starting at `offset`. */
function lineOf(code: string, line: number, offset: number): number {
  const linesBefore = code.slice(0, offset).split('\n').length - 1;
  return Math.max(1, line - linesBefore);
}
