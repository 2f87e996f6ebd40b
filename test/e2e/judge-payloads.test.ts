// Hostile answers through the real CLI: every payload from the judge issue, from a scripted model and from a
// llama-server on a local port, is judged not `pass`; running unsandboxed takes `--sandbox none`.

import { execa } from 'execa';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/tools/gate/find-on-path.js';
import { resolvePython } from '../../src/tools/python.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { humanEvalPath, scriptPath } from '../helpers/engine-harness.js';
import { loadCapture, sseEvents, startFixtureServer, toSse } from '../helpers/fixture-server.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');
const hasBwrap = (await findOnPath('bwrap')) !== undefined;
const payloads = readdirSync(join(PROJECT_ROOT, 'test', 'fixtures', 'scripts'))
  .filter((name) => name.startsWith('payload-'))
  .map((name) => name.replace(/\.json$/, ''));
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-judge-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function slotbench(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  return execa(process.execPath, [BIN, ...args], { cwd, reject: false, env: { ...env, NO_COLOR: '1' }, extendEnv: false });
}

function recorded(path: string): Array<Record<string, unknown>> {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe.skipIf(!hasBwrap)('payloads through `slotbench run --model-script`', () => {
  it.each(payloads)('%s is not a pass', async (payload) => {
    const cwd = tempDir();
    const args = ['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath(payload), '--timeout-ms', '4000', '--session', 's.jsonl', '--json'];
    const result = await slotbench(args, cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { verdict: string };
    expect(['fail', 'crash', 'timeout']).toContain(out.verdict);
    const [gate] = recorded(join(cwd, 's.jsonl')).filter((event) => event.type === 'test_run');
    expect(gate).toMatchObject({ sandbox: 'bwrap', judge: 'oracle', limits: { memoryMb: 1024 } });
    expect(gate.verdict).not.toBe('pass');
  }, 120_000);
});

/** A /completion capture whose tokens spell `text`, ending on the code-block stop word. */
function completionOf(text: string) {
  const captured = loadCapture('completion-stream');
  const frames = sseEvents(captured.body) as Array<Record<string, unknown>>;
  const pieces = text.match(/[\s\S]{1,6}/g)!;
  const chunks = pieces.map((content, i) => ({ ...frames[0], content, tokens: [i + 1], tokens_predicted: i + 1 }));
  return { ...captured, body: toSse([...chunks, { ...frames.at(-1), content: '', stop_type: 'word', stopping_word: '\n```' }]) };
}

describe.skipIf(!hasBwrap)('payloads from a llama-server over HTTP', () => {
  const bodies = {
    'module-level SystemExit(0) after a wrong body': '    return False\n\n\nraise SystemExit(0)',
    'os._exit(0) in the body': '    import os\n    os._exit(0)',
  };

  it.each(Object.entries(bodies))('%s: probe counts no pass, run fails', async (_, body) => {
    const server = await startFixtureServer({ routes: { 'GET /health': 'health', 'GET /props': 'props', 'POST /completion': { capture: completionOf(body) } }, maxChunk: 200 });
    try {
      const cwd = tempDir();
      writeFileSync(join(cwd, 'slotbench.config.json'), JSON.stringify({ models: { local: { url: server.url } } }));
      const probe = await slotbench(['probe', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--n', '3', '--json', '--session', 'p.jsonl'], cwd);
      expect(probe.exitCode, probe.stderr).toBe(0);
      const counts = (JSON.parse(probe.stdout) as { results: Array<{ counts: Record<string, number> }> }).results[0].counts;
      expect(counts.pass ?? 0).toBe(0);
      expect(counts.fail).toBe(3);
      const run = await slotbench(['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--json', '--session', 'r.jsonl'], cwd);
      expect((JSON.parse(run.stdout) as { verdict: string }).verdict).toBe('fail');
      expect(server.stats.requests.filter((r) => r.path === '/completion').length).toBe(4);
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe('running model code unsandboxed takes --sandbox none', () => {
  it('without bwrap, refuses in one line; with --sandbox none, runs and says so', async () => {
    const bin = tempDir();
    symlinkSync((await resolvePython()).executable, join(bin, 'python3'));
    const env = { PATH: bin, HOME: tempDir() };
    const cwd = tempDir();
    const args = ['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', scriptPath('humaneval-0-canonical'), '--session', 's.jsonl', '--json'];
    const refused = await slotbench(args, cwd, env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr.trim()).toBe('slotbench: bwrap not found: install bubblewrap (apt-get install -y bubblewrap), or pass --sandbox none to run model code unsandboxed');
    const bad = await slotbench([...args, '--sandbox', 'off'], cwd, env);
    expect(bad.stderr.trim()).toBe('slotbench: --sandbox must be bwrap or none, got "off"');

    const ran = await slotbench([...args, '--sandbox', 'none'], cwd, env);
    expect(ran.exitCode, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ verdict: 'pass' });
    expect(ran.stderr).toContain('sandbox off (--sandbox none)');
    const events = recorded(join(cwd, 's.jsonl'));
    expect(events.find((e) => e.type === 'test_run')).toMatchObject({ sandbox: 'none', verdict: 'pass' });
  }, 120_000);
});

describe.skipIf(!hasBwrap)('what a retry feeds back to the model', () => {
  it('is the test output capped and cleaned, and holds nothing of the host', async () => {
    const cwd = tempDir();
    const loud = [
      'import os, sys',
      'for path in ["/etc/passwd", os.path.expanduser("~/.npmrc"), "/etc/npmrc"]:',
      '    try:',
      '        print(open(path).read())',
      '    except OSError as error:',
      '        print(path, error.strerror)',
      'sys.stderr.write("\\x1b[2J\\x1b]0;pwned\\x07" + "noise " * 5000 + "\\n")',
      '',
      '',
      'def has_close_elements(numbers, threshold):',
      '    return False',
    ].join('\n');
    const script = join(cwd, 'loud.json');
    const answers = [{ slot: 'implement', text: `\`\`\`python\n${loud}\n\`\`\`\n` }, { slot: 'implement', text: '    return False\n```\n' }];
    writeFileSync(script, JSON.stringify({ label: 'scripted model (test double): a loud wrong answer', answers }));
    const result = await slotbench(['run', '--dataset', humanEvalPath(), '--problem', 'HumanEval/0', '--model-script', script, '--attempts', '2', '--session', 's.jsonl', '--json'], cwd);
    expect(result.exitCode, result.stderr).toBe(0);
    const prompts = recorded(join(cwd, 's.jsonl')).filter((e) => e.type === 'prompt_built') as Array<{ request: { prompt: string } }>;
    expect(prompts).toHaveLength(2);
    const retry = prompts[1].request.prompt;
    expect(retry).toContain('A previous attempt failed its tests with this output:');
    expect(retry).not.toContain('\x1b');
    expect(retry).not.toMatch(/root:|token=/);
    expect(retry.length - prompts[0].request.prompt.length).toBeLessThan(4200);
  }, 120_000);
});
