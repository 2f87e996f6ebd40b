// Turns what a test run left behind (exits, the judge's report, cgroup counters) into the gate's verdict.

import { constants } from 'node:os';
import type { GateVerdict } from '../../core/events.js';
import type { CgroupEvidence } from './cgroup.js';
import type { ProcessExit } from './run-process.js';

/** A verdict with the exit status and signal reported for it, and the limit that ended the run, if one did. */
export interface Judgement {
  verdict: GateVerdict;
  exitCode: number | null;
  signal: string | null;
  limitHit?: string;
}

/**
 * How a test process ended. Its leader is bwrap's init or a waiting shell, which both report a child killed by
 * signal n as exit status 128+n, so such a status reads as that signal.
 */
export function endOf(exit: ProcessExit): { exitCode: number | null; signal: string | null } {
  const reported = exit.code !== null && exit.code > 128 && exit.code < 128 + 65 ? exit.code - 128 : undefined;
  const signal = exit.signal ?? (reported === undefined ? null : signalName(reported));
  return { exitCode: signal === null ? exit.code : null, signal };
}

/**
 * The limit a run hit, from evidence the candidate cannot fake: the cgroup's counters, and a process ended by
 * SIGXCPU or SIGXFSZ.
 */
export function trustedLimit(cgroup: CgroupEvidence | undefined, signals: Array<string | null>): string | undefined {
  if (cgroup?.memory) return 'memory';
  if (cgroup?.processes) return 'processes';
  if (signals.includes('SIGXCPU')) return 'cpu';
  if (signals.includes('SIGXFSZ')) return 'disk';
  return undefined;
}

/** Everything a script check's verdict rests on. */
export interface ScriptEvidence {
  timedOut: boolean;
  judge: { exitCode: number | null; signal: string | null };
  worker?: { exitCode: number | null; signal: string | null };
  workerEndedFirst: boolean;
  /** The judge's report on its own channel, with this run's nonce. */
  reportedOk?: boolean;
  reportedLimit?: string;
  cgroup?: CgroupEvidence;
}

/**
 * `pass` only when the judge reported, on its own channel, that the tests ran to their end with every check passed,
 * then exited 0, and no limit was hit. A limit hit → `crash` naming it (from trusted evidence, or, when the tests
 * failed, from the candidate's own MemoryError or full disk); the wall clock → `timeout`; a process killed by a
 * signal of its own → `crash`; anything else → `fail`.
 */
export function scriptJudgement(evidence: ScriptEvidence): Judgement {
  const { judge, worker } = evidence;
  const workerSignal = evidence.workerEndedFirst ? (worker?.signal ?? null) : null;
  const trusted = trustedLimit(evidence.cgroup, [judge.signal, workerSignal]);
  const passed = !evidence.timedOut && evidence.reportedOk === true && judge.exitCode === 0 && judge.signal === null;
  if (passed && !trusted) return { verdict: 'pass', exitCode: 0, signal: null };
  const limitHit = trusted ?? (evidence.reportedOk === false ? evidence.reportedLimit : undefined);
  const signal = judge.signal ?? workerSignal;
  const exitCode = signal === null ? judge.exitCode : null;
  if (limitHit) return { verdict: 'crash', exitCode, signal, limitHit };
  if (evidence.timedOut) return { verdict: 'timeout', exitCode, signal };
  if (signal !== null) return { verdict: 'crash', exitCode, signal };
  return { verdict: 'fail', exitCode, signal };
}

/** `SIGSEGV` for 11, as Node names signals. */
export function signalName(n: number): string {
  return Object.entries(constants.signals).find(([, value]) => value === n)?.[0] ?? `signal ${n}`;
}
