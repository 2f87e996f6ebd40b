// The eval view's reducer and selectors: filter, sort, search, cursor kept on its row, rows growing while an eval runs.

import { describe, expect, it } from 'vitest';
import {
  countOutcomes,
  filterUnavailable,
  initialEvalView,
  pickedEvalRow,
  reduceEvalView,
  shownEvalRows,
  type EvalViewAction,
  type EvalViewRow,
  type EvalViewState,
} from '../../src/state/eval-view.js';

function row(id: string, change: Partial<EvalViewRow> = {}): EvalViewRow {
  return {
    id, repeat: 1, split: 'tuned', class: null, verdict: 'pass', outcome: 'pass', attempts: 1, repaired: false,
    tokens: 100, timeMs: 1000, session: null, error: null, ...change,
  };
}

const ROWS = [
  row('HumanEval/10', { verdict: 'fail', outcome: 'fail', tokens: 300 }),
  row('HumanEval/2', { repaired: true, tokens: 50, timeMs: 4000 }),
  row('HumanEval/1', { verdict: 'error', outcome: 'error', error: 'stalled: no token for 30 s', tokens: 0 }),
  row('HumanEval/3', { verdict: 'timeout', outcome: 'fail', attempts: 3, split: 'heldout' }),
];

const ids = (state: EvalViewState) => shownEvalRows(state).map((r) => r.id);
const apply = (...actions: EvalViewAction[]) => actions.reduce(reduceEvalView, initialEvalView());

describe('eval view state', () => {
  it('lists rows in natural id order by default', () => {
    expect(ids(apply({ type: 'rows', rows: ROWS }))).toEqual(['HumanEval/1', 'HumanEval/2', 'HumanEval/3', 'HumanEval/10']);
  });

  it('filters fails (judged not-pass, timeouts included), errors apart from fails, and repaired runs', () => {
    const state = apply({ type: 'rows', rows: ROWS });
    expect(ids(reduceEvalView(state, { type: 'filter', filter: 'fails' }))).toEqual(['HumanEval/3', 'HumanEval/10']);
    expect(ids(reduceEvalView(state, { type: 'filter', filter: 'errors' }))).toEqual(['HumanEval/1']);
    expect(ids(reduceEvalView(state, { type: 'filter', filter: 'repaired' }))).toEqual(['HumanEval/2']);
  });

  it('refuses the flipped filter without a second run, and keeps the flipped problems with one', () => {
    const state = apply({ type: 'rows', rows: ROWS });
    expect(filterUnavailable(state, 'flipped')).toMatch(/second run/);
    expect(reduceEvalView(state, { type: 'filter', filter: 'flipped' }).filter).toBe('all');
    const paired = { n: 0, bothPass: 0, aOnly: 0, bOnly: 0, neither: 0, excluded: 0 };
    const against = reduceEvalView(state, {
      type: 'against',
      against: { label: 'B', rows: {}, flips: { 'HumanEval/10': 'gained', 'HumanEval/2': 'lost' }, paired: { tuned: paired, heldout: paired }, verdict: 'better' },
    });
    expect(ids(reduceEvalView(against, { type: 'filter', filter: 'flipped' }))).toEqual(['HumanEval/2', 'HumanEval/10']);
  });

  it('sorts worst verdict first, and biggest first by attempts, tokens and time (ties by id)', () => {
    const state = apply({ type: 'rows', rows: ROWS });
    expect(ids(reduceEvalView(state, { type: 'sort', sort: 'verdict' }))).toEqual(['HumanEval/1', 'HumanEval/10', 'HumanEval/3', 'HumanEval/2']);
    expect(ids(reduceEvalView(state, { type: 'sort', sort: 'attempts' }))[0]).toBe('HumanEval/3');
    expect(ids(reduceEvalView(state, { type: 'sort', sort: 'tokens' }))).toEqual(['HumanEval/10', 'HumanEval/3', 'HumanEval/2', 'HumanEval/1']);
    expect(ids(reduceEvalView(state, { type: 'sort', sort: 'time' }))[0]).toBe('HumanEval/2');
  });

  it('searches id, verdict and error text, case-insensitively', () => {
    const state = apply({ type: 'rows', rows: ROWS });
    expect(ids(reduceEvalView(state, { type: 'search', text: 'STALLED' }))).toEqual(['HumanEval/1']);
    expect(ids(reduceEvalView(state, { type: 'search', text: 'timeout' }))).toEqual(['HumanEval/3']);
    expect(ids(reduceEvalView(state, { type: 'search', text: 'nothing like this' }))).toEqual([]);
  });

  it('keeps the cursor on its row through sorting, new rows and filtering; falls back to the first row', () => {
    let state = apply({ type: 'rows', rows: ROWS }, { type: 'cursor', to: 2 });
    expect(pickedEvalRow(state)?.id).toBe('HumanEval/3');
    state = reduceEvalView(state, { type: 'sort', sort: 'tokens' });
    expect(pickedEvalRow(state)?.id).toBe('HumanEval/3');
    state = reduceEvalView(state, { type: 'rows', rows: [row('HumanEval/0', { tokens: 999 })] });
    expect(pickedEvalRow(state)?.id).toBe('HumanEval/3');
    expect(state.cursor).toBe(2);
    state = reduceEvalView(state, { type: 'filter', filter: 'repaired' });
    expect(pickedEvalRow(state)?.id).toBe('HumanEval/2');
    expect(reduceEvalView(state, { type: 'cursor', to: 99 }).cursor).toBe(0);
  });

  it('replaces a row whose problem and repeat come again (a resumed retry), keeping its place', () => {
    const state = apply({ type: 'rows', rows: ROWS }, { type: 'rows', rows: [row('HumanEval/1', { verdict: 'pass', outcome: 'pass' })] });
    expect(state.rows).toHaveLength(4);
    expect(state.rows[2]).toMatchObject({ id: 'HumanEval/1', outcome: 'pass' });
    expect(countOutcomes(state.rows)).toEqual({ pass: 2, fail: 2, error: 0 });
  });

  it('an empty view has no picked row and a cursor at 0', () => {
    const state = reduceEvalView(initialEvalView(), { type: 'cursor', to: 3 });
    expect(state.cursor).toBe(0);
    expect(pickedEvalRow(state)).toBeUndefined();
  });
});
