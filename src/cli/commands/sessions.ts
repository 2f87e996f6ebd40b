// `slotbench sessions`: the recorded sessions of this folder, sortable and filterable; `--delete ID` with confirmation.

import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { UserError } from '../../core/errors.js';
import { deleteSession, filterSessions, findSession, listSessions, sortSessions, SORT_KEYS, type SessionRow, type SessionSortKey } from '../../session/catalog.js';
import { sessionsDir } from '../../session/paths.js';
import { safeJson, stripControl } from '../../ui/sanitize.js';
import { printWarnings, type CliIo, type Command } from '../io.js';

export const SESSIONS_USAGE = `slotbench sessions [--sort ${SORT_KEYS.join('|')}] [--filter TEXT] [--json] [--delete ID [--yes]]`;

export const sessionsCommand: Command = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      sort: { type: 'string', default: 'date' },
      filter: { type: 'string' },
      json: { type: 'boolean', default: false },
      delete: { type: 'string' },
      yes: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!SORT_KEYS.includes(values.sort as SessionSortKey)) {
    throw new UserError(`--sort must be one of ${SORT_KEYS.join(', ')}, got "${values.sort}"`);
  }
  const dir = sessionsDir(io.cwd);
  const { rows, warnings } = await listSessions(dir);
  printWarnings(io, warnings);

  if (values.delete !== undefined) return remove(dir, findSession(rows, values.delete), values.yes, io);

  const shown = sortSessions(values.filter ? filterSessions(rows, values.filter) : rows, values.sort as SessionSortKey);
  if (values.json) {
    io.stdout.write(safeJson(shown) + '\n');
    return 0;
  }
  if (shown.length === 0) {
    io.stdout.write(rows.length === 0 ? `no sessions in ${dir}\n` : `no sessions match "${stripControl(values.filter ?? '')}" (${rows.length} in total)\n`);
    return 0;
  }
  for (const line of sessionTable(shown)) io.stdout.write(`${line}\n`);
  if (shown.some((r) => r.unindexed)) io.stdout.write('* not in the session index (sessions/index/): read from the file\n');
  return 0;
};

async function remove(dir: string, row: SessionRow, yes: boolean, io: CliIo): Promise<number> {
  const what = `session ${row.id} (${row.path}${row.missing ? ', file already gone' : ''})`;
  if (!yes) {
    if (!process.stdin.isTTY || !io.stdout.isTTY) {
      throw new UserError(`--delete asks for confirmation, and this is not a terminal: add --yes to delete ${row.id} without asking`, 'needs_confirmation');
    }
    const prompt = createInterface({ input: process.stdin, output: io.stdout });
    const answer = await prompt.question(`delete ${stripControl(what)}? [y/N] `).finally(() => prompt.close());
    if (!/^y(es)?$/i.test(answer.trim())) {
      io.stdout.write('kept\n');
      return 1;
    }
  }
  await deleteSession(dir, row);
  io.stdout.write(`deleted ${stripControl(what)}\n`);
  return 0;
}

/** A fixed-width table, one row per session; every cell sanitised (labels and ids come from files). */
export function sessionTable(rows: readonly SessionRow[]): string[] {
  const header = ['DATE', 'ID', 'PROBLEM', 'FLOW', 'MODEL', 'VERDICT', 'DURATION', 'TOKENS'];
  const cells = rows.map((r) => [
    r.startedAt.replace('T', ' ').slice(0, 16),
    `${r.id}${r.unindexed ? '*' : ''}`,
    r.problem,
    r.mode === 'probe' ? `${r.flow} (probe)` : r.flow,
    r.model,
    r.missing ? 'FILE MISSING' : (r.verdict ?? 'unfinished'),
    r.durationMs !== undefined ? `${(r.durationMs / 1000).toFixed(1)} s` : '',
    r.tokens !== undefined ? String(r.tokens) : '',
  ].map((c) => stripControl(c).replace(/\s+/g, ' ')));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => (i >= 6 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...cells.map(line)];
}
