// Compare pane: two runs side by side, slot by slot (request, answer, code, verdict), the first divergence marked. Pure.

import { describeDivergence, type Divergence, type SessionComparison, type SideNames, type SideSummary } from '../../session/compare.js';
import { answerText, type RecordedSlot } from '../../session/recorded.js';
import { clean, clipLine, lineWidth, proseLines, viewport, type Line } from '../common/text.js';
import type { StyleName } from '../common/theme.js';
import { diffStat } from './diff-pane.js';
import { tagged, type PaneSize } from './pane.js';
import { promptDiffLines } from './prompt-diff.js';

export interface CompareVm {
  comparison: SessionComparison;
  names: SideNames;
  scroll: number;
}

/** Answer lines shown per slot pair; the pair that diverges first shows its answers whole. */
const ANSWER_LINES = 6;
const HIGHLIGHT: StyleName = 'status.failed';
/** Marks the lines of an answer, apart from the facts above them. */
export const GUTTER = '┆ ';

type Field = 'slot' | 'request' | 'prompt' | 'answer' | 'code' | 'result';

/** Which row of a slot's block a divergence is about. */
function fieldOf(d: Divergence): Field | undefined {
  switch (d.kind) {
    case 'slot':
      return 'slot';
    case 'sampling':
      return 'request';
    case 'prompt':
      return 'prompt';
    case 'token':
    case 'output':
    case 'error':
      return 'answer';
    case 'code':
      return 'code';
    case 'status':
    case 'gate':
      return 'result';
    case 'flow':
      return undefined;
  }
}

/** `A pass · session branch · flow problem · model`: the verdict first, so a narrow terminal still shows it. */
function sideLine(name: string, side: SideSummary): Line {
  return [
    { text: `${name} `, style: 'heading' },
    { text: side.verdict ?? 'unfinished', style: side.verdict === 'pass' ? 'status.passed' : side.verdict ? 'status.failed' : 'muted' },
    { text: clean(` · ${side.sessionId} branch ${side.branch} · ${side.flow} ${side.problem} · ${side.model.name} (${side.model.kind})`) },
  ];
}

/** The lines above the columns: what is compared and the verdict on it (first divergence, or none). */
export function compareHeader(vm: CompareVm, cols: number): Line[] {
  const { comparison, names } = vm;
  const lines: Line[] = [sideLine(names.a, comparison.a), sideLine(names.b, comparison.b)].map((l) => clipLine(l, cols));
  const agreeing = comparison.pairs.findIndex((p) => p.difference);
  const same = agreeing < 0 ? comparison.pairs.length : agreeing;
  if (comparison.divergence) {
    lines.push(...proseLines(`≠ ${describeDivergence(comparison.divergence, comparison, names)}`, cols, HIGHLIGHT).slice(0, 3));
    lines.push([{ text: `${same} slot ${same === 1 ? 'call agrees' : 'calls agree'} before it`, style: 'muted' }]);
  } else {
    const calls = `${same} slot ${same === 1 ? 'call agrees' : 'calls agree'}`;
    lines.push([{ text: `= no divergence: ${calls} and both ended ${comparison.a.verdict ?? 'unfinished'}`, style: 'status.passed' }]);
  }
  return lines;
}

function excerpt(value: unknown): string {
  return value === undefined ? 'absent' : JSON.stringify(value);
}

/** What one side's divergence detail says (the excerpt around the first difference). */
function detail(d: Divergence, side: 'a' | 'b'): string | undefined {
  switch (d.kind) {
    case 'prompt':
    case 'output':
    case 'code':
      return `at char ${d.offset}: ${excerpt(d[side])}`;
    case 'sampling':
      return `${d.param}: ${excerpt(d[side])}`;
    case 'token':
      return `token ${d.index}: ${d[side] === undefined ? 'ended' : excerpt(d[side])}`;
    default:
      return undefined;
  }
}

function samplingText(slot: RecordedSlot, d?: Divergence): string {
  const s = slot.request?.sampling;
  if (!s) return 'no request recorded';
  const parts = [`T=${s.temperature}`, `seed=${s.seed ?? '–'}`, `n_predict=${s.n_predict ?? '–'}`];
  if (d?.kind === 'sampling' && !['temperature', 'seed', 'n_predict'].includes(d.param)) {
    parts.push(`${d.param}=${excerpt((s as unknown as Record<string, unknown>)[d.param])}`);
  }
  return parts.join(' ');
}

/** One side of a slot pair as lines of the column width; `mark` = the first divergence is in this pair. */
function sideBlock(slot: RecordedSlot | undefined, width: number, mark: Divergence | undefined, side: 'a' | 'b', other: RecordedSlot | undefined): Line[] {
  if (!slot) return [[{ text: '(no call here)', style: mark ? HIGHLIGHT : 'muted' }]];
  const field = mark ? fieldOf(mark) : undefined;
  const row = (f: Field, text: string, style?: StyleName): Line => [{ text: clean(text), ...(f === field ? { style: HIGHLIGHT } : style ? { style } : {}) }];
  const answer = slot.error ? `failed: ${slot.error.message}` : `answer ${slot.output?.tokenCount ?? slot.tokens.length} tok (${slot.output?.stopType ?? 'cut off'})`;
  const stat = slot.diff ? diffStat(slot.diff) : undefined;
  const code = slot.extracted === undefined ? 'no code' : `code ${slot.extracted.split('\n').length} lines${stat ? ` · diff +${stat.added} -${stat.removed}` : ''}`;
  const lines: Line[] = [
    [{ text: `${slot.id} ${slot.name}`, style: field === 'slot' ? HIGHLIGHT : 'heading' }, { text: ` #${slot.ordinal} attempt ${slot.attempt}`, style: 'muted' }],
    row('request', samplingText(slot, mark)),
    row('prompt', `prompt ${slot.request?.prompt.length ?? 0} chars`),
    row('answer', answer),
    row('code', code),
    row('result', `${slot.status ?? 'no result'} · tests ${slot.gates.join(', ') || 'not run'}`),
  ];
  const said = mark ? detail(mark, side) : undefined;
  if (said) lines.push(...proseLines(said, width, HIGHLIGHT));
  // The answers themselves, line by line; a line that differs from the other side's is marked.
  const text = answerText(slot).replace(/\n+$/, '').split('\n');
  const theirs = other ? answerText(other).replace(/\n+$/, '').split('\n') : [];
  const limit = mark ? text.length : ANSWER_LINES;
  text.slice(0, limit).forEach((line, i) => {
    lines.push([{ text: GUTTER, style: 'muted' }, { text: clean(line), ...(line !== theirs[i] ? { style: side === 'a' ? 'diff.del' : 'diff.add' } : {}) }]);
  });
  if (text.length > limit) lines.push([{ text: `${GUTTER}… ${text.length - limit} more lines`, style: 'muted' }]);
  return lines;
}

/** Two columns joined: left padded to its width, a rule, then the right. */
function columns(left: Line[], right: Line[], width: number): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = clipLine(left[i] ?? [], width);
    out.push([...l, { text: ' '.repeat(Math.max(0, width - lineWidth(l))) }, { text: ' ┃ ', style: 'muted' }, ...clipLine(right[i] ?? [], width)]);
  }
  return out;
}

/** The scrolling part: the two runs slot by slot, then their verdicts. */
export function compareBody(vm: CompareVm, cols: number): Line[] {
  const { comparison, names } = vm;
  const width = Math.max(10, Math.floor((cols - 3) / 2));
  const first = comparison.divergence;
  const lines: Line[] = columns([[{ text: names.a, style: 'heading' }]], [[{ text: names.b, style: 'heading' }]], width);
  comparison.pairs.forEach((pair, i) => {
    const mark = first && first.kind !== 'flow' && first.pair === i ? first : undefined;
    const sign: Line = [{ text: `── call ${i + 1} `, style: 'muted' }, mark ? { text: `≠ ${mark.kind}`, style: HIGHLIGHT } : pair.difference ? { text: `≠ ${pair.difference.kind}`, style: 'muted' } : { text: '=', style: 'muted' }];
    lines.push(sign);
    lines.push(...columns(sideBlock(pair.a, width, mark, 'a', pair.b), sideBlock(pair.b, width, mark, 'b', pair.a), width));
    const prompts = promptDiffLines(pair.a?.request?.prompt ?? '', pair.b?.request?.prompt ?? '', names, cols);
    if (pair.a?.request && pair.b?.request && prompts.length > 0) {
      lines.push([{ text: `── prompt of call ${i + 1}: ${names.a} → ${names.b}`, style: mark?.kind === 'prompt' ? HIGHLIGHT : 'muted' }], ...prompts);
    }
  });
  const verdict = (side: SideSummary): Line[] => [
    [{ text: `verdict ${side.verdict ?? 'unfinished'}`, style: first?.kind === 'flow' ? HIGHLIGHT : side.verdict === 'pass' ? 'status.passed' : 'status.failed' }],
    ...(side.reason ? proseLines(side.reason, width, 'muted') : []),
  ];
  lines.push([{ text: '── flow', style: 'muted' }], ...columns(verdict(comparison.a), verdict(comparison.b), width));
  return lines.map((l) => clipLine(l, cols));
}

export function renderCompare(vm: CompareVm, size: PaneSize): string[] {
  const header = compareHeader(vm, size.cols);
  const rows = Math.max(1, size.rows - header.length);
  return tagged([...header, ...viewport(compareBody(vm, size.cols), rows, vm.scroll).visible], size);
}
