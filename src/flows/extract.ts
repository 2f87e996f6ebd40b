// Pulls code out of model output and fits it into the task's stub; pure text work, no model, no I/O.

export interface Extracted {
  how: 'fenced' | 'raw';
  code: string;
}

const FENCE = /^[ \t]*```[\w+-]*[ \t]*$/;

/**
 * The code in a model's answer: the first fenced block that defines the entry point, else the first fenced block
 * (an unterminated one runs to the end: generation often stops mid-block), else the whole text.
 */
export function extractCode(output: string, entryPoint: string): Extracted {
  const blocks = fencedBlocks(output);
  if (blocks.length === 0) return { how: 'raw', code: stripTrailingBlankLines(output) };
  const defining = blocks.find((b) => definesFunction(b, entryPoint));
  return { how: 'fenced', code: stripTrailingBlankLines(defining ?? blocks[0]) };
}

function fencedBlocks(text: string): string[] {
  const lines = text.split('\n');
  const blocks: string[] = [];
  let open: string[] | undefined;
  for (const line of lines) {
    if (FENCE.test(line)) {
      if (open) {
        blocks.push(open.join('\n'));
        open = undefined;
      } else open = [];
    } else if (open) open.push(line);
  }
  if (open && open.length > 0) blocks.push(open.join('\n'));
  return blocks;
}

function definesFunction(code: string, name: string): boolean {
  return functionStart(code, name) !== undefined;
}

/** Offset of the line that defines `name`, if any (indented or not, sync or async). */
export function functionStart(code: string, name: string): number | undefined {
  return new RegExp(`^[ \\t]*(async\\s+)?def\\s+${escapeRegExp(name)}\\s*\\(`, 'm').exec(code)?.index;
}

/**
 * The full candidate module: a whole function replaces the stub's (helpers and imports before it are kept);
 * a bare body is appended under the stub's signature and docstring.
 */
export function assembleCandidate(stub: string, entryPoint: string, code: string): string {
  if (definesFunction(code, entryPoint)) {
    const prefix = stub.slice(0, functionStart(stub, entryPoint) ?? 0);
    return `${prefix}${code.replace(/^\n+/, '')}\n`;
  }
  return `${withoutPlaceholderBody(stub).trimEnd()}\n${code.replace(/^\n+/, '')}\n`;
}

/** MBPP stubs end in a placeholder body (`...` / `pass`) that a filled-in body replaces. */
function withoutPlaceholderBody(stub: string): string {
  return stub.replace(/\n[ \t]+(\.\.\.|pass)[ \t]*\n*$/, '\n');
}

/** The test output a retry shows the model: temp paths and addresses removed, the tail kept. */
export function normaliseTestOutput(output: string, maxLines = 25): string {
  const cleaned = output
    .replace(/File "[^"]*\/([^/"]+)"/g, 'File "$1"')
    .replace(/0x[0-9a-f]{6,}/gi, '0x…')
    .replace(/\r\n/g, '\n')
    .trimEnd();
  const lines = cleaned.split('\n');
  return lines.length > maxLines ? ['…', ...lines.slice(-maxLines)].join('\n') : cleaned;
}

function stripTrailingBlankLines(text: string): string {
  return text.replace(/\s+$/, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
