// A re-indent repair is asked only for indentation failures; prose, a missing colon or story text are reported at once.

import { describe, expect, it } from 'vitest';
import { normaliseIndentation, whyNoReindent } from '../../src/flows/indentation.js';
import { loadPythonParser } from '../../src/tools/python-parser.js';
import { harness, ofType } from '../helpers/engine-harness.js';

const parser = await loadPythonParser();
const stub = 'def f(xs):\n    """Sum."""\n';

function verdictOn(body: string): string | undefined {
  const code = stub + body;
  return whyNoReindent(parser, code, parser.errors(code));
}

describe('whyNoReindent', () => {
  it('asks for a re-indent when the parser names an indentation error', () => {
    expect(verdictOn('    total = 0\n        for x in xs:\n            total += x\n    return total\n')).toBeUndefined();
    expect(verdictOn('    for x in xs:\n    total = x\n    return total\n')).toBeUndefined();
    expect(verdictOn('    if xs:\n        return 1\n      return 0\n')).toBeUndefined();
  });

  it('asks for one when the code parses once its indentation is normalised (3-space and 2-space blocks mixed)', () => {
    const code = 'def g(xs):\n   total = 0\n   for x in xs:\n     total += x\n   return total\n';
    expect(parser.errors(normaliseIndentation(code))).toEqual([]);
    expect(whyNoReindent(parser, code, [{ line: 1, column: 1, text: 'x' }])).toBeUndefined();
  });

  it('says why not for prose, story text and a missing colon', () => {
    expect(verdictOn('    Once upon a time there was a little girl named Lily.\n')).toMatch(/^not an indentation error \(line \d+: .*\), so no re-indent was asked$/);
    expect(verdictOn('    Here is the function you asked for, it sums the list.\n    return sum(xs)\n')).toMatch(/not an indentation error/);
    expect(verdictOn('    for x in xs\n        print(x)\n')).toMatch(/not an indentation error/);
  });
});

describe('the implement flow', () => {
  it('reports story text as a parse error at once, with no repair slot, and records why', async () => {
    const { engine, events } = await harness({ answers: [{ slot: 'implement', text: 'Once upon a time there was a little girl named Lily.\n```\n' }] });
    await engine.start();
    expect(ofType(events, 'slot_started').map((e) => e.name)).toEqual(['implement']);
    expect(ofType(events, 'parse_failed')[0].noRepair).toMatch(/not an indentation error/);
    expect(ofType(events, 'flow_finished')[0]).toMatchObject({ verdict: 'parse_error', reason: expect.stringMatching(/so no re-indent was asked/) });
  });

  it('still asks for one re-indent when the answer is mis-indented', async () => {
    const { engine, events } = await harness('humaneval-0-indent-broken');
    await engine.start();
    expect(ofType(events, 'slot_started').map((e) => e.name)).toEqual(['implement', 'reindent']);
    expect(ofType(events, 'parse_failed')[0].noRepair).toBeUndefined();
    expect(ofType(events, 'flow_finished')[0].verdict).toBe('pass');
  });
});

describe('the repair=off flow option', () => {
  it('reports a mis-indented answer as a parse error without a repair slot, and says so', async () => {
    const { engine, events } = await harness('humaneval-0-indent-broken', { flowOptions: { repair: 'off' } });
    await engine.start();
    expect(ofType(events, 'session_started')[0].flowOptions).toEqual({ repair: 'off' });
    expect(ofType(events, 'slot_started').map((e) => e.name)).toEqual(['implement']);
    expect(ofType(events, 'parse_failed')[0].noRepair).toBe('repair is off (flow option repair=off), so no re-indent was asked');
    expect(ofType(events, 'flow_finished')[0].verdict).toBe('parse_error');
  });

  it('refuses an unknown option or value in one line naming the choices', async () => {
    await expect(harness('humaneval-0-canonical', { flowOptions: { repiar: 'off' } })).rejects.toThrow('flow implement has no option "repiar": it takes repair');
    await expect(harness('humaneval-0-canonical', { flowOptions: { repair: 'no' } })).rejects.toThrow('flow option repair must be one of on, off, got "no"');
  });
});
