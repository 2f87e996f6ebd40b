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

// Escape sequences (CSI, OSC, two-char ESC) and every other control character but newline and tab. flows/ cannot
// import ui/sanitize, and this text goes to a model server, not a terminal, so a compact form does.
const CONTROL = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const MAX_LINE_CHARS = 300;
const MAX_FEEDBACK_CHARS = 4000;

/**
 * The test output a retry shows the model: control characters removed, temp paths and addresses removed, each line
 * and the whole capped, the tail kept (that is where a failure says why). The candidate wrote part of this text, so
 * it is bounded however much it printed.
 */
export function normaliseTestOutput(output: string, maxLines = 25): string {
  const cleaned = output
    .replace(/\r\n/g, '\n')
    .replace(CONTROL, '')
    .replace(/File "[^"]*\/([^/"]+)"/g, 'File "$1"')
    .replace(/0x[0-9a-f]{6,}/gi, '0x…')
    .trimEnd();
  const lines = cleaned.split('\n').map((line) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line));
  const kept = lines.length > maxLines ? ['…', ...lines.slice(-maxLines)] : lines;
  const text = kept.join('\n');
  return text.length > MAX_FEEDBACK_CHARS ? `…${text.slice(-MAX_FEEDBACK_CHARS)}` : text;
}

function stripTrailingBlankLines(text: string): string {
  return text.replace(/\s+$/, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
