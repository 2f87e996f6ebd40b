// `slotbench doctor` wired to the config: checks each configured model (each server of a pool) and dataset besides the
// machine; only the model a run would use is required.

import { loadConfig } from '../../config/config.js';
import { oneLine, UserError } from '../../core/errors.js';
import type { ModelPort } from '../../core/ports.js';
import { createRegistry } from '../../model/registry.js';
import { ServerPool } from '../../model/server-pool.js';
import { DOCTOR_SPEC } from '../command-specs.js';
import type { Command } from '../io.js';
import { parseCommand } from '../options.js';
import { cliModelFactories } from '../model-factories.js';
import { createDoctorCommand, type ServerHealth } from './doctor.js';
import { plural } from '../../text/plural.js';

export const doctorWiredCommand: Command = async (argv, io) => {
  const { values } = parseCommand(DOCTOR_SPEC, argv);
  const config = await loadConfig(io.cwd, values.config);
  const registry = createRegistry(config, cliModelFactories());
  // What a run needs is the model it would use; the other configured models are checked, but only as warnings.
  const used = values.model ?? config.defaultModel;
  if (!(used in config.models)) throw new UserError(`unknown model "${used}": configured models are ${registry.names().join(', ')}`, 'unknown_model');
  const checkServers = async () =>
    (
      await Promise.all(
        registry.names().map(async (name): Promise<ServerHealth[]> => {
          const entry = config.models[name];
          const url = entry.url ?? entry.urls?.join(' ') ?? entry.path ?? '';
          try {
            const model = registry.get(name);
            return model instanceof ServerPool ? await poolHealth(name, model, name === used) : [await oneHealth(name, url, model, name === used)];
          } catch (error) {
            return [{ name, url, used: name === used, healthy: false, status: oneLine(error) }];
          }
        }),
      )
    ).flat();
  try {
    return await createDoctorCommand({ checkServers, datasets: config.datasets, gate: config.gate })([], io);
  } finally {
    await registry.close();
  }
};

async function oneHealth(name: string, url: string, model: ModelPort, used: boolean): Promise<ServerHealth> {
  const info = await model.info();
  if (info.loading) return { name, url, used, healthy: true, status: `${info.status}; it will answer once loaded` };
  // The build says what answers: a server's version, or the embedded engine's backend and threads.
  return { name, url, used, healthy: info.healthy, status: info.healthy && info.build ? `${info.status} (${info.build})` : info.status };
}

/** The pool as a whole (usable while any server is up), then each of its servers. */
async function poolHealth(name: string, pool: ServerPool, used: boolean): Promise<ServerHealth[]> {
  const members = await pool.memberInfo();
  const info = await pool.info();
  const configField = `models.${name}.urls`;
  return [
    { name, url: `pool of ${members.length}`, used, healthy: info.healthy, status: info.status, configField },
    ...members.map((m, i) => ({
      name: `${name}[${i}]`,
      url: m.url,
      used,
      healthy: m.healthy,
      status: m.healthy ? `${m.status}, ${plural(m.slots, 'slot')}${m.build ? ` (${m.build})` : ''}` : m.status,
      configField,
      optional: true,
    })),
  ];
}
