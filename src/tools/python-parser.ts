// Python tooling for the flows: syntax/indentation errors, whitespace-blind token equality, and a normal form for clustering.

import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';
import type { CodeParser, ParseError } from '../core/ports.js';
import { definitionsOf } from './python-definitions.js';

let loading: Promise<Parser> | undefined;

/** Load web-tree-sitter and the grammar's own .wasm once per process. */
export async function loadPythonParser(): Promise<CodeParser> {
  loading ??= (async () => {
    await Parser.init();
    const grammar = createRequire(import.meta.url).resolve('tree-sitter-python/tree-sitter-python.wasm');
    const parser = new Parser();
    parser.setLanguage(await Language.load(grammar));
    return parser;
  })();
  const parser = await loading;
  const withTree = <T>(code: string, use: (root: Node) => T): T => {
    const tree = parser.parse(code);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      return use(tree.rootNode);
    } finally {
      tree.delete();
    }
  };
  return {
    errors: (code) => {
      const found = withTree(code, syntaxErrors);
      // tree-sitter accepts broken indentation (an empty block, an unexpected indent), so it is checked lexically.
      const indent = indentationError(tokenize(code), code);
      if (indent) found.push({ ...indent, indentation: true });
      return found.sort((a, b) => a.line - b.line || a.column - b.column);
    },
    sameTokens: sameTokenSequence,
    normalise: (code) => withTree(code, normalForm),
    definitions: (code) => withTree(code, definitionsOf),
  };
}

function syntaxErrors(root: Node): ParseError[] {
  const found: ParseError[] = [];
  const visit = (node: Node) => {
    if (node.isMissing) {
      found.push({ ...position(node), text: `missing ${JSON.stringify(node.type)}` });
      return;
    }
    if (node.isError) {
      found.push({ ...position(node), text: snippet(node.text) });
      return;
    }
    if (node.hasError) for (const child of node.children) visit(child);
  };
  visit(root);
  return found;
}

function position(node: Node): { line: number; column: number } {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

function snippet(text: string): string {
  const first = text.split('\n')[0];
  return first.length > 60 ? `${first.slice(0, 60)}…` : first;
}

/**
 * Same token sequence, with indentation, line breaks and comments ignored. Comments cannot change behaviour and small
 * models often drop or re-wrap them while re-indenting; code commented out or in changes the sequence, so it still counts.
 */
function sameTokenSequence(a: string, b: string): boolean {
  const left = significant(tokenize(a));
  const right = significant(tokenize(b));
  return left.length === right.length && left.every((token, i) => token === right[i]);
}

function significant(tokens: Token[]): string[] {
  return tokens.filter((t) => t.kind !== 'comment' && t.kind !== 'newline').map((t) => `${t.kind}:${t.kind === 'string' ? stringKey(t.text) : t.text}`);
}

// Re-indenting a function re-indents its multi-line strings (docstrings) too, so inside a string that spans lines the
// whitespace at line starts and ends does not count; whitespace within a line always does ("a b" ≠ "ab").
function stringKey(text: string): string {
  if (!text.includes('\n')) return text;
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? line.trimEnd() : line.trim()))
    .join('\n');
}

const BUILTINS = new Set(
  (
    'ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError BrokenPipeError ' +
    'BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError ' +
    'ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning EnvironmentError Exception ' +
    'ExceptionGroup FileExistsError FileNotFoundError FloatingPointError FutureWarning GeneratorExit IOError ' +
    'ImportError ImportWarning IndentationError IndexError InterruptedError IsADirectoryError KeyError ' +
    'KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError NotADirectoryError NotImplemented ' +
    'NotImplementedError OSError OverflowError PendingDeprecationWarning PermissionError ProcessLookupError ' +
    'RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration StopIteration ' +
    'SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError TypeError UnboundLocalError ' +
    'UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError UnicodeWarning UserWarning ValueError ' +
    'Warning ZeroDivisionError abs aiter all anext any ascii bin bool breakpoint bytearray bytes callable chr ' +
    'classmethod compile complex delattr dict dir divmod enumerate eval exec exit filter float format frozenset ' +
    'getattr globals hasattr hash help hex id input int isinstance issubclass iter len list locals map max ' +
    'memoryview min next object oct open ord pow print property quit range repr reversed round set setattr slice ' +
    'sorted staticmethod str sum super tuple type vars zip __name__ __file__'
  ).split(' '),
);

// Operator nodes are bracketed in the normal form, so redundant parentheses in the source can be dropped.
const OPERATORS = new Set(['binary_operator', 'boolean_operator', 'comparison_operator', 'unary_operator', 'not_operator', 'conditional_expression']);

/**
 * Canonical form for grouping solutions: the tree's leaves without comments, docstrings, whitespace or redundant
 * parentheses; blocks as `{ … ; }`, operators bracketed; names the solution chose (variables, parameters, its own
 * functions) as `v0, v1, …` in first-seen order. Names it does not choose keep their spelling, because changing them
 * changes behaviour: builtins, imported names, attribute names (`xs.append`), keyword-argument names (`key=`).
 */
function normalForm(root: Node): string {
  const fixed = new Set([...BUILTINS, ...importedNames(root)]);
  const placeholders = new Map<string, string>();
  const out: string[] = [];
  const visit = (node: Node, field: string | null, inImport: boolean) => {
    const type = node.type;
    if (type === 'comment' || type === 'line_continuation' || isDocstring(node)) return;
    if (type === 'identifier') {
      const keep = inImport || fixed.has(node.text) || field === 'attribute' || (field === 'name' && node.parent?.type === 'keyword_argument');
      if (keep) out.push(node.text);
      else {
        if (!placeholders.has(node.text)) placeholders.set(node.text, `v${placeholders.size}`);
        out.push(placeholders.get(node.text)!);
      }
      return;
    }
    if (type === 'string_start') {
      // Prefix letters matter (b'', f''), the quote style does not.
      out.push(`str${node.text.replace(/['"]/g, '').toLowerCase()}`);
      return;
    }
    if (type === 'string_content' || type === 'escape_sequence') {
      out.push(JSON.stringify(node.text));
      return;
    }
    if (node.childCount === 0) {
      if (type !== 'string_end') out.push(node.text);
      return;
    }
    if (type === 'parenthesized_expression') {
      for (const child of node.namedChildren) if (child) visit(child, null, inImport);
      return;
    }
    const statements = type === 'module' || type === 'block';
    const [open, close] = type === 'block' ? ['{', '}'] : OPERATORS.has(type) ? ['(', ')'] : [];
    if (open) out.push(open);
    const importing = inImport || type === 'import_statement' || type === 'import_from_statement';
    node.children.forEach((child, i) => {
      visit(child, node.fieldNameForChild(i), importing);
      if (statements && child.type !== 'comment' && !isDocstring(child)) out.push(';');
    });
    if (close) out.push(close);
  };
  visit(root, null, false);
  return out.join(' ');
}

function importedNames(root: Node): string[] {
  const names: string[] = [];
  for (const statement of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (!statement) continue;
    for (const item of statement.childrenForFieldName('name')) {
      if (!item) continue;
      const alias = item.type === 'aliased_import' ? item.childForFieldName('alias') : null;
      const bound = alias ?? (item.type === 'aliased_import' ? item.childForFieldName('name') : item);
      // `import a.b` binds `a`; `from m import a` binds `a`.
      const first = bound?.type === 'dotted_name' ? bound.namedChild(0) : bound;
      if (first) names.push(first.text);
    }
  }
  return names;
}

/** A string expression statement opening a module, class or function body. */
function isDocstring(node: Node): boolean {
  if (node.type !== 'expression_statement' || node.namedChildCount !== 1) return false;
  const value = node.namedChild(0);
  if (value?.type !== 'string' && value?.type !== 'concatenated_string') return false;
  const parent = node.parent;
  if (!parent) return false;
  const opensBody =
    parent.type === 'module' || (parent.type === 'block' && (parent.parent?.type === 'function_definition' || parent.parent?.type === 'class_definition'));
  if (!opensBody) return false;
  const first = parent.namedChildren.find((child) => child?.type !== 'comment');
  return first?.equals(node) ?? false;
}

/** A lexical token; `newline` ends a logical line (outside brackets, not after a backslash). */
interface Token {
  kind: 'name' | 'number' | 'string' | 'op' | 'comment' | 'newline';
  text: string;
  offset: number;
  /** 0-based physical line of the token's start and that line's start offset. */
  line: number;
  lineStart: number;
}

const STRING_START = /(?:[rRbBuUfF]{1,2})?('''|"""|'|")/y;
const NAME = /[\p{L}\p{Nl}_][\p{L}\p{N}\p{Mn}\p{Mc}_]*/uy;
const NUMBER = /0[xXoObB][\da-fA-F_]*|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?[jJ]?/y;
const OPERATOR = /\*\*=|\/\/=|>>=|<<=|\.\.\.|->|:=|\*\*|\/\/|<<|>>|<=|>=|==|!=|[-+*/%&|^@]=/y;

/**
 * A small Python tokenizer that never fails, for code whose indentation is broken (which the tree cannot be trusted
 * with). An unterminated string runs to the end of its line, or of the text when triple-quoted.
 */
function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 0;
  let lineStart = 0;
  let depth = 0;
  const push = (kind: Token['kind'], end: number) => {
    tokens.push({ kind, text: code.slice(i, end), offset: i, line, lineStart });
    for (let j = code.indexOf('\n', i); j >= 0 && j < end; j = code.indexOf('\n', j + 1)) {
      line++;
      lineStart = j + 1;
    }
    i = end;
  };
  const matchEnd = (pattern: RegExp): number | undefined => {
    pattern.lastIndex = i;
    return pattern.test(code) ? pattern.lastIndex : undefined;
  };
  while (i < code.length) {
    const c = code[i];
    const next = code[i + 1] ?? '';
    if (c === '\n') {
      const last = tokens[tokens.length - 1];
      if (depth === 0 && last && last.kind !== 'newline') push('newline', i + 1);
      else {
        i++;
        line++;
        lineStart = i;
      }
    } else if (c === '\\' && (next === '\n' || (next === '\r' && code[i + 2] === '\n'))) {
      i += next === '\n' ? 2 : 3;
      line++;
      lineStart = i;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '#') {
      const end = code.indexOf('\n', i);
      push('comment', end < 0 ? code.length : end);
    } else if (matchEnd(STRING_START) !== undefined) {
      push('string', stringEnd(code, i));
    } else if (/\d/.test(c) || (c === '.' && /\d/.test(next))) {
      push('number', matchEnd(NUMBER) ?? i + 1);
    } else if (matchEnd(NAME) !== undefined) {
      push('name', matchEnd(NAME)!);
    } else {
      if ('([{'.includes(c)) depth++;
      else if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
      push('op', matchEnd(OPERATOR) ?? i + 1);
    }
  }
  return tokens;
}

/** Index just past the string literal starting at `start` (prefix included). */
function stringEnd(code: string, start: number): number {
  STRING_START.lastIndex = start;
  const quote = STRING_START.exec(code)![1];
  let i = STRING_START.lastIndex;
  while (i < code.length) {
    if (code[i] === '\\') i += 2;
    else if (code.startsWith(quote, i)) return i + quote.length;
    else if (code[i] === '\n' && quote.length === 1) return i;
    else i++;
  }
  return code.length;
}

/**
 * The first indentation error Python would report: a block opener (a logical line ending in `:`) not followed by a
 * deeper line, a line deeper than its block, a dedent to a column no enclosing block uses, or tabs and spaces mixed so
 * that the meaning depends on the tab size (CPython compares widths at tab size 8 and 1).
 */
function indentationError(tokens: Token[], code: string): ParseError | undefined {
  const levels: Indent[] = [{ wide: 0, narrow: 0 }];
  let opener: Token | undefined;
  let last: Token | undefined;
  let atLineStart = true;
  const expected = (after: Token) => `expected an indented block after line ${after.line + 1}`;
  for (const token of tokens) {
    if (token.kind === 'comment') continue;
    if (token.kind === 'newline') {
      if (!atLineStart) opener = last?.text === ':' ? last : undefined;
      atLineStart = true;
      continue;
    }
    last = token;
    if (!atLineStart) continue;
    atLineStart = false;
    const indent = indentOf(code.slice(token.lineStart, token.offset));
    const top = levels[levels.length - 1];
    const at = { line: token.line + 1, column: token.offset - token.lineStart + 1 };
    if (indent.wide > top.wide) {
      if (!opener) return { ...at, text: 'unexpected indent' };
      if (indent.narrow <= top.narrow) return { ...at, text: TAB_ERROR };
      levels.push(indent);
    } else if (opener) {
      return { ...at, text: expected(opener) };
    } else {
      while (indent.wide < levels[levels.length - 1].wide) levels.pop();
      const level = levels[levels.length - 1];
      if (indent.wide !== level.wide) return { ...at, text: 'unindent does not match any outer indentation level' };
      if (indent.narrow !== level.narrow) return { ...at, text: TAB_ERROR };
    }
    opener = undefined;
  }
  const open = atLineStart ? opener : last?.text === ':' ? last : undefined;
  return open ? { line: open.line + 1, column: open.offset - open.lineStart + 1, text: expected(open) } : undefined;
}

const TAB_ERROR = 'inconsistent use of tabs and spaces in indentation';

/** Width of leading whitespace with tabs to the next multiple of 8 (`wide`) and counted as 1 (`narrow`). */
interface Indent {
  wide: number;
  narrow: number;
}

function indentOf(leading: string): Indent {
  let wide = 0;
  for (const c of leading) wide = c === '\t' ? (Math.floor(wide / 8) + 1) * 8 : wide + 1;
  return { wide, narrow: leading.length };
}
