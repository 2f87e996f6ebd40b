// `slotbench resume` as a user types it: a session killed mid-stream goes on as a new session, headless.

import { execa } from 'execa';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';
import { cutSession } from '../helpers/cut-session.js';
import { scratchDir } from '../helpers/scratch.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const KILLED_ID = '20261124-031839-humaneval-0-1a3d';

function slotbench(args: string[], cwd: string) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1' } });
}

/**
 * A folder whose sessions/ holds a fixture as a SIGKILL would leave it (`lines` lines of it), its dataset pointing at
 * `dataset` (the fixtures name the path they were recorded at).
 */
function folderWith(fixture: string, lines: number, dataset = humanEvalPath()): string {
  const cwd = scratchDir('sb-resume-');
  mkdirSync(join(cwd, 'sessions'));
  writeFileSync(join(cwd, 'sessions', `${fixture}.jsonl`), cutSession(fixture, lines, dataset));
  return cwd;
}

function sessionFiles(cwd: string): string[] {
  return readdirSync(join(cwd, 'sessions')).filter((f) => f.endsWith('.jsonl')).sort();
}

describe('slotbench resume', () => {
  it('replays the recorded call, asks the live model from the call that never finished, and records a new session', async () => {
    const cwd = folderWith('humaneval-0-retry', 40);
    const result = await slotbench(['resume', KILLED_ID.slice(0, 20), '--model-script', scriptPath('humaneval-0-canonical')], cwd);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`resuming ${KILLED_ID} (branch 0): 1 recorded call replayed, then scripted\n`);
    expect(result.stdout).toMatch(/gate: fail [^\n]*\n▶ implement \(attempt 2\) s2\nnote: slot implement #1 \(attempt 2\): the recording ends before this call finished; answering with live model scripted from here on\n/);
    expect(result.stdout).toContain('verdict: pass (tests passed on attempt 2)');

    const written = sessionFiles(cwd).filter((f) => f !== 'humaneval-0-retry.jsonl');
    expect(written).toHaveLength(1);
    expect(result.stdout.endsWith(`\nsession: ${join(cwd, 'sessions', written[0])}`)).toBe(true);
    const header = JSON.parse(readFileSync(join(cwd, 'sessions', written[0]), 'utf8').split('\n')[0]);
    expect(header).toMatchObject({ sessionId: written[0].replace(/\.jsonl$/, ''), derivedFrom: KILLED_ID, attempts: 2 });
    expect(header.label).toMatch(/^scripted model \(test double\): HumanEval\/0 answers written by hand; resumed from session 20261124-031839-humaneval-0-1a3d \(branch 0\): 1 recorded call replayed, then live model scripted$/);
    // The recording it resumed is left as it was.
    expect(readFileSync(join(cwd, 'sessions', 'humaneval-0-retry.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(40);
  });

  it('prints one JSON result with --json, progress on stderr', async () => {
    const cwd = folderWith('humaneval-0-retry', 40);
    const result = await slotbench(['resume', KILLED_ID, '--model-script', scriptPath('humaneval-0-canonical'), '--json'], cwd);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'pass', resumedFrom: KILLED_ID, branch: 0, replayedCalls: 1, attempts: 2 });
    expect(result.stderr).toContain('resuming ');
  });

  it('refuses a judged session, a moved dataset and a missing session in one line each (exit 2), and writes nothing', async () => {
    const judged = folderWith('humaneval-0-pass', 1000);
    let result = await slotbench(['resume', 'sessions/humaneval-0-pass.jsonl', '--model-script', scriptPath('humaneval-0-canonical')], judged);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^slotbench: nothing to resume: branch 0 of \S+humaneval-0-pass\.jsonl finished \(pass\); open it to re-run a slot as a branch, or `slotbench rerun` it$/);
    expect(sessionFiles(judged)).toEqual(['humaneval-0-pass.jsonl']);

    const moved = folderWith('humaneval-0-retry', 40, '/nowhere/HumanEval.jsonl.gz');
    result = await slotbench(['resume', KILLED_ID, '--model-script', scriptPath('humaneval-0-canonical')], moved);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/the recorded dataset \/nowhere\/HumanEval\.jsonl\.gz is not there: pass --dataset PATH \(the file with HumanEval\/0\)$/);
    result = await slotbench(['resume', KILLED_ID, '--dataset', humanEvalPath(), '--model-script', scriptPath('humaneval-0-canonical')], moved);
    expect(result.exitCode).toBe(0);

    result = await slotbench(['resume', '2031'], moved);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--help lists what it accepts', async () => {
    const result = await slotbench(['resume', '--help'], PROJECT_ROOT);
    expect(result.exitCode).toBe(0);
    for (const option of ['--branch N', '--model NAME', '--model-script FILE', '--dataset PATH|NAME', '--sandbox', '--session PATH', '--json']) {
      expect(result.stdout).toContain(option);
    }
  });
});
