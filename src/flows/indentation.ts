// Whether a parse failure is one a re-indent can fix: only then is a repair slot worth a model call.

import type { CodeParser, ParseError } from '../core/ports.js';

/**
 * Every line's leading whitespace mapped to a regular ladder: tabs expanded to 8 columns, then the distinct widths in
 * use, smallest first, become 0, 4, 8, … A heuristic used only to tell whether indentation alone is the trouble.
 */
export function normaliseIndentation(code: string): string {
  const lines = code.split('\n');
  const widthOf = (line: string) => expandTabs(/^[ \t]*/.exec(line)![0]).length;
  const widths = [...new Set(lines.filter((l) => l.trim() !== '').map(widthOf))].sort((a, b) => a - b);
  const rung = new Map(widths.map((w, i) => [w, i * 4] as const));
  return lines.map((l) => (l.trim() === '' ? l : ' '.repeat(rung.get(widthOf(l))!) + l.trimStart())).join('\n');
}

function expandTabs(indent: string): string {
  let out = '';
  for (const ch of indent) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
  return out;
}

/**
 * Undefined when a re-indent may fix `code`: every error is one of indentation, or the code parses once its
 * indentation is normalised. Otherwise why no repair is worth asking for. (A missing colon also shows as an
 * unexpected indent on the next line, but beside a syntax error, so it is not taken for one.)
 */
export function whyNoReindent(parser: CodeParser, code: string, errors: ParseError[]): string | undefined {
  if (errors.length > 0 && errors.every((e) => e.indentation)) return undefined;
  if (parser.errors(normaliseIndentation(code)).length === 0) return undefined;
  const first = errors[0];
  return `not an indentation error (line ${first.line}: ${first.text.trim()}), so no re-indent was asked`;
}
