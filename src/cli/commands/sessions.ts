// `slotbench sessions`: the recorded sessions of this folder, sortable and filterable; `--delete ID` with confirmation.

import { createInterface } from 'node:readline/promises';
import { hashTags, noteLine } from '../../core/annotation.js';
import { UserError } from '../../core/errors.js';
import { deleteSession, filterSessions, findSession, listSessions, sortSessions, verdictText, type SessionRow } from '../../session/catalog.js';
import { SORT_KEYS, type SessionSortKey } from '../../state/ui-state.js';
import { sessionsDir } from '../../session/paths.js';
import { safeJson, stripControl } from '../../text/sanitize.js';
import { SESSIONS_SPEC } from '../command-specs.js';
import { printWarnings, type CliIo, type Command } from '../io.js';
import { parseCommand } from '../options.js';

export const sessionsCommand: Command = async (argv, io) => {
  const { values } = parseCommand(SESSIONS_SPEC, argv);
  const sort = (values.sort ?? 'date') as SessionSortKey;
  if (!SORT_KEYS.includes(sort)) {
    throw new UserError(`--sort must be one of ${SORT_KEYS.join(', ')}, got "${stripControl(sort)}"`);
  }
  const dir = sessionsDir(io.cwd);
  const { rows, warnings } = await listSessions(dir);
  printWarnings(io, warnings);

  if (values.delete !== undefined) return remove(dir, findSession(rows, values.delete), values.yes, io);

  const shown = sortSessions(values.filter ? filterSessions(rows, values.filter) : rows, sort);
  if (values.json) {
    io.stdout.write(safeJson(shown.map((r) => ({ ...r, tags: r.tags ?? [], note: r.note ?? '' }))) + '\n');
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

/** Widest note shown in the table: its first line, cut with … (`slotbench note ID` prints it whole). */
const NOTE_WIDTH = 40;

/**
 * A fixed-width table, one row per session; every cell sanitised (labels and ids come from files). TAGS and NOTE
 * columns appear when a row shown has them.
 */
function sessionTable(rows: readonly SessionRow[]): string[] {
  const tags = rows.some((r) => r.tags?.length);
  const notes = rows.some((r) => r.note);
  const header = ['DATE', 'ID', 'DATASET', 'PROBLEM', 'FLOW', 'MODEL', 'VERDICT', 'DURATION', 'TOKENS', ...(tags ? ['TAGS'] : []), ...(notes ? ['NOTE'] : [])];
  const cells = rows.map((r) => [
    r.startedAt.replace('T', ' ').slice(0, 16),
    `${r.id}${r.unindexed ? '*' : ''}`,
    r.dataset ?? '',
    r.problem,
    r.mode === 'probe' ? `${r.flow} (probe)` : r.flow,
    r.model,
    r.missing ? 'FILE MISSING' : verdictText(r),
    r.durationMs !== undefined ? `${(r.durationMs / 1000).toFixed(1)} s` : '',
    r.tokens !== undefined ? String(r.tokens) : '',
    ...(tags ? [hashTags(r.tags)] : []),
    ...(notes ? [noteLine(r.note ?? '', NOTE_WIDTH)] : []),
  ].map((c) => stripControl(c).replace(/\s+/g, ' ')));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((c, i) => (i >= 6 && i <= 8 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...cells.map(line)];
}
