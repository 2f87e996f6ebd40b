// The token inspector's keys: `i` puts a cursor on the stream pane's tokens; while it is there h/l, j/k, J/K move it.

import type { RunState, SlotView } from '../../state/run-state.js';
import { shownSlot } from '../../state/selectors.js';
import type { KeyBinding, KeyContext, WorkbenchApi } from '../common/contracts.js';

/** Probabilities below this count as the model hesitating (J/K jump between such tokens). */
export const UNLIKELY = 0.5;

function inspected(ctx: Pick<KeyContext, 'run' | 'ui'>): SlotView | undefined {
  const at = ctx.ui.inspect;
  return at ? ctx.run.slots.get(at.slotId) : undefined;
}

function whyNotInspectable(ctx: KeyContext): string | undefined {
  if (ctx.feedKind === 'none') return 'no problem is open: :open DATASET PROBLEM-ID';
  const slot = shownSlot(ctx.run, ctx.ui);
  if (!slot) return 'no slot has run yet: step into one first (s)';
  if (!slot.scored?.length) {
    const how = ctx.can('rerun') ? ':nprobs 5, then re-run it (r)' : 'record the run with n_probs (:nprobs 5)';
    return `${slot.id} has no token probabilities: ${how}`;
  }
  return undefined;
}

/** Where a move takes the cursor among `count` tokens of `slot` (clamped to the tokens there are). */
type Step = (slot: SlotView, index: number) => number;

const probability = (slot: SlotView, i: number) => {
  const logprob = slot.scored?.[i]?.logprob;
  return logprob === undefined ? 1 : Math.exp(logprob);
};

/** The first token of the next (or previous) line of the slot's text. */
function lineStep(direction: 1 | -1): Step {
  return (slot, index) => {
    const tokens = slot.scored ?? [];
    const startOfLine = (i: number) => {
      let j = i;
      while (j > 0 && !tokens[j - 1].text.includes('\n')) j--;
      return j;
    };
    if (direction === 1) {
      let j = index;
      while (j < tokens.length - 1 && !tokens[j].text.includes('\n')) j++;
      return Math.min(tokens.length - 1, j + 1);
    }
    const here = startOfLine(index);
    return here === 0 ? 0 : startOfLine(here - 1);
  };
}

function unlikelyStep(direction: 1 | -1): Step {
  return (slot, index) => {
    const count = slot.scored?.length ?? 0;
    for (let i = index + direction; i >= 0 && i < count; i += direction) if (probability(slot, i) < UNLIKELY) return i;
    return index;
  };
}

function moveKey(id: string, keys: string[], description: string, step: Step, bar?: string): KeyBinding {
  return {
    id,
    keys,
    description,
    ...(bar ? { bar } : {}),
    active: (ctx) => ctx.ui.inspect !== undefined && inspected(ctx) !== undefined,
    run: (api: WorkbenchApi) => {
      const slot = inspected(api)!;
      const count = slot.scored?.length ?? 0;
      const index = Math.max(0, Math.min(count - 1, step(slot, Math.min(api.ui.inspect!.index, count - 1))));
      api.dispatch({ type: 'inspect', at: { slotId: slot.id, index } });
    },
  };
}

/** The inspector's moves, in play only while it is open (outside it these keys keep their usual meaning). */
export const INSPECT_KEYS: KeyBinding[] = [
  moveKey('inspect-next', ['l', 'right'], 'inspector: next token', (_slot, i) => i + 1, 'next'),
  moveKey('inspect-previous', ['h', 'left'], 'inspector: previous token', (_slot, i) => i - 1, 'previous'),
  moveKey('inspect-line-down', ['j', 'down'], 'inspector: first token of the next line', lineStep(1), 'line'),
  moveKey('inspect-line-up', ['k', 'up'], 'inspector: first token of the line above', lineStep(-1)),
  moveKey('inspect-unlikely-next', ['J'], `inspector: next token the model was unsure of (p < ${UNLIKELY})`, unlikelyStep(1), 'unsure'),
  moveKey('inspect-unlikely-previous', ['K'], `inspector: previous token the model was unsure of (p < ${UNLIKELY})`, unlikelyStep(-1)),
  moveKey('inspect-first', ['g', 'home'], 'inspector: first token', () => 0),
  moveKey('inspect-last', ['G', 'end'], 'inspector: last token', (slot) => (slot.scored?.length ?? 1) - 1),
  {
    id: 'inspect-close',
    keys: ['escape', 'i'],
    description: 'inspector: close it',
    bar: 'close',
    active: (ctx) => ctx.ui.inspect !== undefined,
    run: (api) => api.dispatch({ type: 'inspect', at: undefined }),
  },
];

/** The first token the cursor lands on: the first the model was unsure of, else the first. */
function firstCursor(run: RunState, slot: SlotView): number {
  const count = slot.scored?.length ?? 0;
  for (let i = 0; i < count; i++) if (probability(slot, i) < UNLIKELY) return i;
  return run.streamingSlot === slot.id ? Math.max(0, count - 1) : 0;
}

export const INSPECT_TOGGLE: KeyBinding = {
  id: 'inspect',
  keys: ['i'],
  description: `token inspector: a cursor on the stream's tokens showing each one's probability and the alternatives the model weighed (needs n_probs; h/l, j/k, J/K move, Esc closes)`,
  disabledReason: whyNotInspectable,
  run: (api) => {
    const slot = shownSlot(api.run, api.ui)!;
    api.dispatch({ type: 'focus', pane: 'stream' });
    api.dispatch({ type: 'inspect', at: { slotId: slot.id, index: firstCursor(api.run, slot) } });
  },
};
