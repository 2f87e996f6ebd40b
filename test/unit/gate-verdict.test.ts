// The verdict rules of a script check: pass needs the judge's report and exit 0; limits, timeouts and signals after.

import { describe, expect, it } from 'vitest';
import { endOf, scriptJudgement, type ScriptEvidence } from '../../src/tools/gate/verdict.js';

const passed: ScriptEvidence = {
  timedOut: false,
  judge: { exitCode: 0, signal: null },
  worker: { exitCode: null, signal: 'SIGKILL' },
  workerEndedFirst: false,
  reportedOk: true,
};

describe('scriptJudgement', () => {
  it('passes only on the report with this run\'s nonce and exit 0', () => {
    expect(scriptJudgement(passed)).toEqual({ verdict: 'pass', exitCode: 0, signal: null });
    expect(scriptJudgement({ ...passed, reportedOk: undefined }).verdict).toBe('fail');
    expect(scriptJudgement({ ...passed, reportedOk: false, judge: { exitCode: 1, signal: null } }).verdict).toBe('fail');
    expect(scriptJudgement({ ...passed, judge: { exitCode: 3, signal: null } }).verdict).toBe('fail');
    expect(scriptJudgement({ ...passed, timedOut: true }).verdict).toBe('timeout');
  });

  it('a limit the cgroup or a signal proves is a crash, even when the tests passed', () => {
    expect(scriptJudgement({ ...passed, cgroup: { memory: true, processes: false } })).toMatchObject({ verdict: 'crash', limitHit: 'memory' });
    expect(scriptJudgement({ ...passed, cgroup: { memory: false, processes: true } })).toMatchObject({ verdict: 'crash', limitHit: 'processes' });
    const cpu = { ...passed, reportedOk: false, worker: { exitCode: null, signal: 'SIGXCPU' }, workerEndedFirst: true };
    expect(scriptJudgement(cpu)).toMatchObject({ verdict: 'crash', limitHit: 'cpu', signal: 'SIGXCPU', exitCode: null });
  });

  it('takes the candidate\'s own word for a limit only when the tests failed', () => {
    expect(scriptJudgement({ ...passed, reportedLimit: 'memory' }).verdict).toBe('pass');
    const failed = { ...passed, reportedOk: false, judge: { exitCode: 1, signal: null }, reportedLimit: 'disk' };
    expect(scriptJudgement(failed)).toMatchObject({ verdict: 'crash', limitHit: 'disk', exitCode: 1 });
  });

  it('counts the worker\'s signal only when it ended on its own, not when slotbench killed it after the tests', () => {
    const failed = { ...passed, reportedOk: false, judge: { exitCode: 1, signal: null } };
    expect(scriptJudgement(failed)).toEqual({ verdict: 'fail', exitCode: 1, signal: null });
    expect(scriptJudgement({ ...failed, worker: { exitCode: null, signal: 'SIGSEGV' }, workerEndedFirst: true })).toEqual({ verdict: 'crash', exitCode: null, signal: 'SIGSEGV' });
  });
});

describe('endOf', () => {
  it('reads 128+n from bwrap\'s init or the waiting shell as signal n', () => {
    expect(endOf({ code: 139, signal: null, at: 0 })).toEqual({ exitCode: null, signal: 'SIGSEGV' });
    expect(endOf({ code: 1, signal: null, at: 0 })).toEqual({ exitCode: 1, signal: null });
    expect(endOf({ code: null, signal: 'SIGKILL', at: 0 })).toEqual({ exitCode: null, signal: 'SIGKILL' });
  });
});
