// `slotbench replay | rerun | diff | sessions` as a user types them: the built binary on recorded fixture sessions.

import { execa } from 'execa';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SESSION_FORMAT_VERSION } from '../../src/core/events.js';
import { readSummaries } from '../../src/session/index-store.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath } from '../helpers/engine-harness.js';
import { scratchDir } from '../helpers/scratch.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const FIXTURES = join(PROJECT_ROOT, 'test', 'fixtures', 'sessions');
const fixture = (name: string) => join(FIXTURES, `${name}.jsonl`);

function slotbench(args: string[], cwd = scratchDir('sb-cli-')) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: { NO_COLOR: '1' } });
}

/** The fixture's lines, changed by `edit`, written to a temp file. */
function planted(name: string, edit: (events: Record<string, unknown>[]) => void): string {
  const events = readFileSync(fixture(name), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
  edit(events);
  const path = join(scratchDir('sb-plant-'), `${name}.jsonl`);
  writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return path;
}

/** One line on stderr, prefixed, without a stack trace. */
function expectOneLineError(stderr: string, message: string | RegExp): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(typeof message === 'string' ? `slotbench: ${message}` : message);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe('slotbench replay', () => {
  it('prints the plain transcript and leaves the session file untouched', async () => {
    const path = fixture('humaneval-0-retry');
    const before = { content: readFileSync(path), mtime: statSync(path).mtimeMs };
    const result = await slotbench(['replay', path, '--plain']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout + '\n').toBe(readFileSync(join(FIXTURES, 'humaneval-0-retry.transcript.txt'), 'utf8'));
    expect(result.stderr).toBe('');
    expect(readFileSync(path).equals(before.content)).toBe(true);
    expect(statSync(path).mtimeMs).toBe(before.mtime);
  });

  it('strips control sequences from model and test output when piped (no --plain needed)', async () => {
    const result = await slotbench(['replay', fixture('humaneval-0-ansi')]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('print("red {bold}tag{/bold}")');
    expect(result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('prints the events of a format-0 session as current-format JSONL, with a note on stderr', async () => {
    const result = await slotbench(['replay', fixture('v0-humaneval-0'), '--json']);
    expect(result.exitCode).toBe(0);
    const events = result.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(events).toHaveLength(readFileSync(fixture('v0-humaneval-0'), 'utf8').trimEnd().split('\n').length);
    expect(events[0]).toMatchObject({ type: 'session_started', formatVersion: 1, model: { name: 'local' } });
    expect(result.stderr).toMatch(/^warning: .*v0-humaneval-0\.jsonl: migrated from format 0/);
  });

  it('loads a session cut mid-write and says what was lost', async () => {
    const text = readFileSync(fixture('humaneval-0-pass'), 'utf8');
    const path = join(scratchDir('sb-cut-'), 'cut.jsonl');
    writeFileSync(path, text.slice(0, text.length - 40));
    const result = await slotbench(['replay', path, '--plain']);
    expect(result.exitCode).toBe(0);
    const kept = text.trimEnd().split('\n').length - 1;
    expect(result.stderr).toBe(`warning: ${path}: last line is incomplete (crash mid-write?); loaded ${kept} events`);
    expect(result.stdout).toContain('final: branch 0 unfinished');
  });

  it('refuses a file that is not a session, and one from a newer slotbench, in one line', async () => {
    const notSession = await slotbench(['replay', join(PROJECT_ROOT, 'package.json')]);
    expect(notSession.exitCode).toBe(2);
    expectOneLineError(notSession.stderr, `${join(PROJECT_ROOT, 'package.json')} is not a slotbench session (first line is not a session header)`);
    const future = planted('humaneval-0-pass', (events) => {
      events[0].formatVersion = 7;
    });
    const newer = await slotbench(['replay', future]);
    expect(newer.exitCode).toBe(2);
    expectOneLineError(newer.stderr, `session ${future} was written by a newer slotbench (format 7 > ${SESSION_FORMAT_VERSION}): upgrade slotbench to read it`);
  });
});

describe('slotbench rerun', () => {
  it('reruns a recorded session into a new derived session that reproduces it', async () => {
    const cwd = scratchDir('sb-rerun-');
    const result = await slotbench(['rerun', fixture('humaneval-0-repaired'), '--dataset', humanEvalPath(), '--session', 'out.jsonl', '--json'], cwd);
    expect(result.exitCode).toBe(0);
    const source = JSON.parse(readFileSync(fixture('humaneval-0-repaired'), 'utf8').split('\n')[0]);
    expect(JSON.parse(result.stdout)).toEqual({
      session: join(cwd, 'out.jsonl'),
      derivedFrom: source.sessionId,
      branch: 0,
      verdict: 'pass',
      recordedVerdict: 'pass',
      reproduced: true,
      divergence: null,
      notRecorded: null,
    });
    expect(result.stderr).toContain('no divergence: 2 slot calls agree');
    const header = JSON.parse(readFileSync(join(cwd, 'out.jsonl'), 'utf8').split('\n')[0]);
    expect(header).toMatchObject({ derivedFrom: source.sessionId, model: { kind: 'replay' }, label: expect.stringMatching(/^replay of recorded answers/) });
  });

  it('stops with not_recorded where the run asks what the recording never answered', async () => {
    // The recording's prompt differs from what today's harness builds: as if the template had changed since.
    let offset = 0;
    const source = planted('humaneval-0-pass', (events) => {
      const built = events.find((e) => e.type === 'prompt_built') as { request: { prompt: string } };
      offset = built.request.prompt.indexOf('Keep the signature') + 'Keep the signature'.length;
      built.request.prompt = built.request.prompt.replace('Keep the signature', 'Keep the signatures');
    });
    const cwd = scratchDir('sb-rerun-');
    const result = await slotbench(['rerun', source, '--dataset', humanEvalPath(), '--session', 'partial.jsonl'], cwd);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`slotbench: slot implement #0 (attempt 1): the prompt differs from the recording at char ${offset} (recorded "…`);
    expect(result.stderr).toContain('pass --model NAME');
    expect(existsSync(join(cwd, 'partial.jsonl'))).toBe(true);
  });

  it('asks for --dataset when the recorded dataset path is gone', async () => {
    const source = planted('humaneval-0-pass', (events) => {
      (events[0].problem as { dataset: string }).dataset = '/nowhere/HumanEval.jsonl.gz';
    });
    const result = await slotbench(['rerun', source]);
    expect(result.exitCode).toBe(2);
    expectOneLineError(result.stderr, `${source}: the recorded dataset /nowhere/HumanEval.jsonl.gz is not there: pass --dataset PATH (the file with HumanEval/0)`);
  });

  it('never writes over an existing session, the source included', async () => {
    const source = planted('humaneval-0-pass', () => {});
    const before = readFileSync(source);
    const result = await slotbench(['rerun', source, '--dataset', humanEvalPath(), '--session', source]);
    expect(result.exitCode).toBe(2);
    expectOneLineError(result.stderr, `session file ${source} already exists: choose another --session path`);
    expect(readFileSync(source).equals(before)).toBe(true);
  });
});

describe('slotbench diff', () => {
  it('finds no divergence between a session and a byte copy (exit 0)', async () => {
    const result = await slotbench(['diff', fixture('humaneval-0-retry'), planted('humaneval-0-retry', () => {})]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('no divergence: 2 slot calls agree');
  });

  it('finds a planted token change (exit 1), in text and JSON', async () => {
    const changed = planted('humaneval-0-retry', (events) => {
      const tokens = events.filter((e) => e.type === 'token' && e.slotId === 's2');
      tokens[4].text = 'elements';
    });
    const text = await slotbench(['diff', fixture('humaneval-0-retry'), changed]);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('1 slot call agrees before the first divergence:');
    expect(text.stdout).toMatch(/slot implement #1 \(attempt 2\): output token 4 differs: A ".*" vs B "elements"/);
    const json = await slotbench(['diff', fixture('humaneval-0-retry'), changed, '--json']);
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ identical: false, divergence: { kind: 'token', pair: 1, index: 4, b: 'elements' } });
  });

  it('finds a planted sampling change', async () => {
    const changed = planted('humaneval-0-pass', (events) => {
      const built = events.find((e) => e.type === 'prompt_built') as { request: { sampling: { temperature: number } } };
      built.request.sampling.temperature = 0.7;
    });
    const result = await slotbench(['diff', fixture('humaneval-0-pass'), changed]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('slot implement #0 (attempt 1): sampling temperature differs: A 0 vs B 0.7');
  });
});

describe('slotbench sessions', () => {
  /** A project folder whose sessions/ has indexed, unindexed and missing sessions. */
  function project(): { cwd: string; ids: Record<string, string> } {
    const cwd = scratchDir('sb-sessions-');
    const dir = join(cwd, 'sessions');
    mkdirSync(dir);
    const ids: Record<string, string> = {};
    for (const name of ['humaneval-0-pass', 'humaneval-0-retry', 'humaneval-0-repaired', 'humaneval-0-parse-error']) {
      copyFileSync(fixture(name), join(dir, `${name}.jsonl`));
      ids[name] = JSON.parse(readFileSync(fixture(name), 'utf8').split('\n')[0]).sessionId;
    }
    const row = (name: string, problem: string, verdict: string, tokens: number) => ({
      id: ids[name] ?? name, file: `${name}.jsonl`, startedAt: '2026-01-02T03:04:05.000Z', flow: 'implement', problem, model: 'qwen', mode: 'run', verdict, durationMs: 1500, tokens,
    });
    const index = { sessions: [row('humaneval-0-pass', 'HumanEval/0', 'pass', 77), row('humaneval-0-retry', 'HumanEval/0', 'pass', 84), row('gone-10', 'HumanEval/10', 'fail', 5), row('gone-2', 'HumanEval/2', 'timeout', 9)] };
    writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
    return { cwd, ids };
  }

  it('lists indexed rows, marks missing files, and reads unindexed files', async () => {
    const { cwd, ids } = project();
    const result = await slotbench(['sessions'], cwd);
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DATE\s+ID\s+DATASET\s+PROBLEM\s+FLOW\s+MODEL\s+VERDICT\s+DURATION\s+TOKENS$/);
    expect(lines.find((l) => l.includes('gone-10'))).toContain('FILE MISSING');
    expect(lines.find((l) => l.includes(ids['humaneval-0-parse-error']))).toMatch(/\*\s.*parse_error/);
    expect(lines.find((l) => l.includes(ids['humaneval-0-repaired']))).toMatch(/\*\s.*scripted\s+pass/);
    expect(lines.at(-1)).toBe('* not in the session index (sessions/index/): read from the file');
    expect(lines).toHaveLength(1 + 6 + 1);
  });

  it('sorts by problem (natural order), verdict and tokens, and filters', async () => {
    const { cwd, ids } = project();
    const list = async (...args: string[]) => JSON.parse((await slotbench(['sessions', '--json', ...args], cwd)).stdout) as { id: string; problem: string; verdict?: string; tokens?: number }[];
    expect((await list('--sort', 'problem')).map((r) => r.problem).slice(-2)).toEqual(['HumanEval/2', 'HumanEval/10']);
    expect((await list('--sort', 'verdict')).map((r) => r.verdict)).toEqual(['pass', 'pass', 'pass', 'fail', 'timeout', 'parse_error']);
    const tokens = (await list('--sort', 'tokens')).map((r) => r.tokens!);
    expect(tokens).toEqual([...tokens].sort((a, b) => b - a));
    expect((await list('--filter', 'PARSE_err')).map((r) => r.id)).toEqual([ids['humaneval-0-parse-error']]);
    const bad = await slotbench(['sessions', '--sort', 'size'], cwd);
    expect(bad.exitCode).toBe(2);
    expectOneLineError(bad.stderr, '--sort must be one of date, verdict, duration, tokens, problem, got "size"');
  });

  it('refuses --delete without a terminal and without --yes, deleting nothing', async () => {
    const { cwd, ids } = project();
    const result = await slotbench(['sessions', '--delete', ids['humaneval-0-pass']], cwd);
    expect(result.exitCode).toBe(2);
    expectOneLineError(result.stderr, `--delete asks for confirmation, and this is not a terminal: add --yes to delete ${ids['humaneval-0-pass']} without asking`);
    expect(existsSync(join(cwd, 'sessions', 'humaneval-0-pass.jsonl'))).toBe(true);
  });

  it('deletes the file and the index row with --yes', async () => {
    const { cwd, ids } = project();
    const id = ids['humaneval-0-pass'];
    const result = await slotbench(['sessions', '--delete', id, '--yes'], cwd);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^deleted session ${id} \\(`));
    expect(existsSync(join(cwd, 'sessions', 'humaneval-0-pass.jsonl'))).toBe(false);
    const index = await readSummaries(join(cwd, 'sessions'));
    expect(index.map((s) => s.id)).not.toContain(id);
    expect(index.length).toBeGreaterThan(0);
    expect(existsSync(join(cwd, 'sessions', 'humaneval-0-retry.jsonl'))).toBe(true);
  });

  it.each([
    ['n', true],
    ['y', false],
  ])('asks on a terminal; answering %s keeps the file: %s', async (answer, kept) => {
    const { cwd, ids } = project();
    const command = `node ${BIN} sessions --delete ${ids['humaneval-0-retry']}`;
    // `script` gives the command a pseudo-terminal, so it asks as it would a person.
    const result = await execa('script', ['-qec', command, '/dev/null'], { cwd, input: `${answer}\n`, reject: false });
    expect(result.stdout).toContain(`delete session ${ids['humaneval-0-retry']}`);
    expect(result.stdout).toContain('? [y/N]');
    expect(existsSync(join(cwd, 'sessions', 'humaneval-0-retry.jsonl'))).toBe(kept);
  });
});
