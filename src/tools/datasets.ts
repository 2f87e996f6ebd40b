// Loads HumanEval and MBPP files (JSONL, gzipped JSONL, or a JSON array) into Tasks with a script check.

import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../core/errors.js';
import type { Task } from '../core/task.js';

type Row = Record<string, unknown>;

/** The module a dataset task's code lives in. */
export const SOLUTION_FILE = 'solution.py';

/** All tasks of a dataset file, in file order. */
export async function loadTasks(path: string): Promise<Task[]> {
  const entries = await readEntries(path);
  if (entries.length === 0) throw new UserError(`${path}: no problems in the file`, 'dataset');
  // Parsed one by one, so a format we refuse (MBPP+, whose JSON also has bare Infinity) is named by its first line.
  return entries.map(({ parse, line }) => toTask(parse(), path, line));
}

/** One task by id; MBPP accepts `Mbpp/11` or a bare `11`. */
export async function loadTask(path: string, id: string): Promise<Task> {
  const tasks = await loadTasks(path);
  const wanted = /^\d+$/.test(id) && tasks[0].ref.id.startsWith('Mbpp/') ? `Mbpp/${id}` : id;
  const found = tasks.find((t) => t.ref.id === wanted);
  if (found) return found;
  const range = `${tasks.length} problems: ${tasks[0].ref.id} … ${tasks[tasks.length - 1].ref.id}`;
  throw new UserError(`no problem "${id}" in ${path} (${range})`, 'no_problem');
}

interface Entry {
  parse: () => Row;
  /** Line in the file (JSONL) or item number (JSON array), for messages. */
  line: number;
}

/** Largest dataset file read: over 20× the largest set known here (MBPP+ unpacks to 2.7 MB; mbpp.jsonl is 0.6 MB). */
export const MAX_DATASET_BYTES = 64 * 1024 * 1024;
/** Largest dataset after gunzip, the same bound: a gzip bomb stops here instead of filling the memory. */
export const MAX_GUNZIPPED_BYTES = 64 * 1024 * 1024;

const MB = 1024 * 1024;

async function readEntries(path: string): Promise<Entry[]> {
  let bytes = await readDatasetFile(path);
  if (path.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_GUNZIPPED_BYTES });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new UserError(`dataset ${path} unpacks to more than ${MAX_GUNZIPPED_BYTES / MB} MB: not a problem set (a gzip bomb?)`, 'dataset');
      }
      throw new UserError(`cannot read dataset ${path}: not valid gzip (${(error as Error).message})`, 'dataset');
    }
  }
  const text = bytes.toString('utf8');
  if (text.trimStart().startsWith('[')) {
    let items: unknown[];
    try {
      items = JSON.parse(text) as unknown[];
    } catch {
      throw new UserError(`${path}: not a JSON array`, 'dataset');
    }
    return items.map((item, i) => ({ parse: () => asRow(item, path, `item ${i + 1}`), line: i + 1 }));
  }
  const entries: Entry[] = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const parse = () => {
      try {
        return asRow(JSON.parse(raw), path, `line ${i + 1}`);
      } catch (error) {
        if (error instanceof UserError) throw error;
        throw new UserError(`${path} line ${i + 1}: not JSON`, 'dataset');
      }
    };
    entries.push({ parse, line: i + 1 });
  });
  return entries;
}

/**
 * The bytes of a dataset file, which must be a regular file of at most MAX_DATASET_BYTES. Opened without blocking,
 * so a named pipe with no writer is refused instead of hanging; /dev/zero and folders are refused the same way.
 */
async function readDatasetFile(path: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new UserError(`cannot read dataset ${path}: ${(error as Error).message.split('\n')[0]}`, 'dataset');
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UserError(`dataset ${path} is ${fileKind(info)}, not a regular file: pass a .jsonl, .jsonl.gz or .json file`, 'dataset');
    const tooBig = new UserError(`dataset ${path} is larger than ${MAX_DATASET_BYTES / MB} MB: not a problem set of this kind`, 'dataset');
    if (info.size > MAX_DATASET_BYTES) throw tooBig;
    // Read to the end rather than trusting the size: the file may grow while it is read.
    const buffer = Buffer.alloc(info.size + 1);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_DATASET_BYTES) throw tooBig;
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a plain file';
}

function asRow(value: unknown, path: string, where: string): Row {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${path} ${where}: not a JSON object`, 'dataset');
  return value as Row;
}

function toTask(row: Row, path: string, line: number): Task {
  const has = (...fields: string[]) => fields.every((f) => f in row);
  if (has('task_id', 'prompt', 'canonical_solution', 'test', 'entry_point')) return humanEval(row, path, line);
  if (has('task_id', 'code', 'test_list') && (has('text') || has('prompt'))) return mbpp(row, path, line);
  if (has('task_id', 'canonical_solution', 'base_input', 'plus_input')) {
    throw new UserError(`${path}: MBPP+ is not supported (its tests need the evalplus harness); use mbpp.jsonl or sanitized-mbpp.jsonl`, 'dataset');
  }
  const fields = Object.keys(row).join(', ');
  throw new UserError(
    `${path} line ${line}: unknown dataset format (fields: ${fields}); expected HumanEval (task_id, prompt, canonical_solution, test, entry_point) or MBPP (task_id, text or prompt, code, test_list)`,
    'dataset',
  );
}

/** HumanEval: the prompt is the module; `check(entry_point)` runs in the judge, after the prompt (for its helpers). */
function humanEval(row: Row, path: string, line: number): Task {
  const prompt = text(row, 'prompt', path, line);
  const entryPoint = text(row, 'entry_point', path, line);
  return {
    ref: { kind: 'dataset', dataset: path, id: text(row, 'task_id', path, line) },
    language: 'python',
    statement: docstringOf(prompt),
    files: [{ path: SOLUTION_FILE, text: prompt }],
    targets: [{ file: SOLUTION_FILE, symbol: entryPoint }],
    oracle: {
      kind: 'script',
      module: SOLUTION_FILE,
      prelude: prompt,
      // The call names the function itself, as in the dataset's own harness, so tracebacks read as they always did.
      tests: `${text(row, 'test', path, line)}\n\ncheck(${entryPoint})\n`,
      bind: { [entryPoint]: entryPoint },
    },
    reference: [{ path: SOLUTION_FILE, text: prompt + text(row, 'canonical_solution', path, line) }],
  };
}

/** The text of the last triple-quoted string in a prompt (HumanEval puts the docstring last), dedented. */
function docstringOf(prompt: string): string {
  const found = [...prompt.matchAll(/("""|''')([\s\S]*?)\1/g)].at(-1);
  if (!found) return prompt.trim();
  const lines = found[2].split('\n');
  const indents = lines.slice(1).filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return [lines[0], ...lines.slice(1).map((l) => l.slice(cut))].join('\n').trim();
}

/** MBPP: module-level asserts that call the candidate's functions by name. */
function mbpp(row: Row, path: string, line: number): Task {
  const code = text(row, 'code', path, line).replace(/\r\n?/g, '\n');
  const tests = lines(row, 'test_list', path, line);
  const statement = (typeof row.text === 'string' ? row.text : text(row, 'prompt', path, line)).trim();
  const entryPoint = entryPointOf(code, tests[0] ?? '');
  if (!entryPoint) throw new UserError(`${path} line ${line}: cannot tell which function the first assert calls`, 'dataset');
  const setup = typeof row.test_setup_code === 'string' ? row.test_setup_code : '';
  const imports = Array.isArray(row.test_imports) ? lines(row, 'test_imports', path, line) : [];
  const testCode = [...imports, setup, ...tests]
    .map((t) => t.replace(/\r\n?/g, '\n').trimEnd())
    .filter((t) => t !== '')
    .join('\n');
  return {
    ref: { kind: 'dataset', dataset: path, id: `Mbpp/${String(row.task_id)}` },
    language: 'python',
    statement,
    files: [{ path: SOLUTION_FILE, text: mbppStub(code, entryPoint, statement) }],
    targets: [{ file: SOLUTION_FILE, symbol: entryPoint }],
    // The entry point by name even when it shadows a builtin (Mbpp/126 defines `sum`): bindAll binds no such name.
    oracle: { kind: 'script', module: SOLUTION_FILE, tests: `${testCode}\n`, bind: { [entryPoint]: entryPoint }, bindAll: true },
    reference: [{ path: SOLUTION_FILE, text: code.trimEnd() + '\n' }],
  };
}

// The first assert may wrap the call (`assert set(f(...)) == …`, `assert math.isclose(f(...), …)`): take the first
// called name the reference defines.
function entryPointOf(code: string, firstAssert: string): string | undefined {
  const defined = new Set([...code.matchAll(/^def\s+(\w+)\s*\(/gm)].map((m) => m[1]));
  return [...firstAssert.matchAll(/(\w+)\s*\(/g)].map((m) => m[1]).find((name) => defined.has(name));
}

/** The reference's imports, its `def` line for the entry point, a docstring with the statement, and an empty body. */
function mbppStub(code: string, entryPoint: string, statement: string): string {
  const codeLines = code.split('\n');
  const imports = codeLines.filter((l) => /^(import|from)\s/.test(l));
  const start = codeLines.findIndex((l) => new RegExp(`^def\\s+${entryPoint}\\s*\\(`).test(l));
  const signature: string[] = [];
  let depth = 0;
  for (const l of codeLines.slice(start)) {
    const bare = l.replace(/#.*$/, '').trimEnd();
    signature.push(bare);
    depth += (bare.match(/[([{]/g) ?? []).length - (bare.match(/[)\]}]/g) ?? []).length;
    if (depth <= 0 && bare.endsWith(':')) break;
  }
  const doc = statement.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
  return [...imports, ...(imports.length > 0 ? [''] : []), ...signature, `    """${doc}"""`, '    pass', ''].join('\n');
}

function text(row: Row, field: string, path: string, line: number): string {
  const value = row[field];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && field === 'task_id') return String(value);
  throw new UserError(`${path} line ${line}: field "${field}" is not text`, 'dataset');
}

function lines(row: Row, field: string, path: string, line: number): string[] {
  const value = row[field];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new UserError(`${path} line ${line}: field "${field}" is not a list of strings`, 'dataset');
}
