// `slotbench models`: every configured model with its health and server facts, as a table or JSON.

import { loadConfig, type Config } from '../../config/config.js';
import { isUserError, oneLine } from '../../core/errors.js';
import type { ModelInfo } from '../../core/ports.js';
import { createRegistry, type ModelFactories } from '../../model/registry.js';
import { ServerPool, type PoolMember } from '../../model/server-pool.js';
import { MODELS_SPEC } from '../command-specs.js';
import type { CliIo, Command } from '../io.js';
import { parseCommand } from '../options.js';

/** One line of the report. */
export interface ModelRow extends ModelInfo {
  name: string;
  /** Server URL or GGUF file (a pool: its URLs, space-separated). */
  location: string;
  isDefault: boolean;
  /** A pool's servers, each with its own health. */
  members?: PoolMember[];
}

export function createModelsCommand(factories: ModelFactories = {}): Command {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const options = parseOptions(argv);
    const config = await loadConfig(io.cwd, options.config);
    const rows = await collectRows(config, factories);
    if (options.json) {
      io.stdout.write(`${JSON.stringify({ config: config.file ?? null, models: rows }, null, 2)}\n`);
    } else {
      io.stdout.write(renderReport(config, rows));
    }
    // A report, not a check: a server being down is information, not failure.
    return 0;
  };
}

export const modelsCommand: Command = createModelsCommand();

function parseOptions(argv: string[]): { config?: string; json: boolean } {
  const { values } = parseCommand(MODELS_SPEC, argv);
  return { ...(values.config !== undefined ? { config: values.config } : {}), json: values.json };
}

async function collectRows(config: Config, factories: ModelFactories): Promise<ModelRow[]> {
  const registry = createRegistry(config, factories);
  try {
    return await Promise.all(
      registry.names().map(async (name): Promise<ModelRow> => {
        const entry = config.models[name];
        const base = { name, location: entry.url ?? entry.urls?.join(' ') ?? entry.path ?? '', isDefault: name === config.defaultModel };
        try {
          const model = registry.get(name);
          const members = model instanceof ServerPool ? { members: await model.memberInfo() } : {};
          return { ...base, ...(await model.info()), ...members };
        } catch (error) {
          const unavailable = isUserError(error) && error.code === 'embedded_unavailable';
          return { ...base, healthy: false, status: unavailable ? 'embedded engine unavailable' : oneLine(error) };
        }
      }),
    );
  } finally {
    await registry.close();
  }
}

/** Server-provided text reaches the terminal, so control characters go. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function renderReport(config: Config, rows: ModelRow[]): string {
  // HEALTH goes last: an error there is a whole sentence and would stretch every column after it.
  const header = ['NAME', 'URL / FILE', 'MODEL FILE', 'N_CTX', 'SLOTS', 'BUILD', 'HEALTH'];
  const cells = rows.flatMap((row) => [
    [
      row.isDefault ? `${row.name} *` : row.name,
      row.members ? `pool of ${row.members.length} servers` : row.location,
      row.modelFile ?? '-',
      row.nCtx === undefined ? '-' : String(row.nCtx),
      row.totalSlots === undefined ? '-' : String(row.totalSlots),
      row.build ?? '-',
      row.status,
    ].map(clean),
    ...(row.members ?? []).map((m, i) =>
      [`  ${row.name}[${i}]`, m.url, m.modelFile ?? '-', '-', m.healthy ? String(m.slots) : '-', m.build ?? '-', m.status].map(clean),
    ),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((line) => line[column].length)));
  const format = (line: string[]) => line.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  const source = config.file === undefined ? 'none (built-in default)' : config.file;
  const lines = [`config: ${source}`, '', format(header), ...cells.map(format), '', '* default model'];
  return `${lines.join('\n')}\n`;
}
