// `slotbench doctor` wired to the config: checks each configured model and dataset besides the machine.

import { loadConfig } from '../../config/config.js';
import { oneLine } from '../../core/errors.js';
import { createRegistry } from '../../model/registry.js';
import { DOCTOR_SPEC } from '../command-specs.js';
import type { Command } from '../io.js';
import { parseCommand } from '../options.js';
import { cliModelFactories } from '../model-factories.js';
import { createDoctorCommand } from './doctor.js';

export const doctorWiredCommand: Command = async (argv, io) => {
  const { values } = parseCommand(DOCTOR_SPEC, argv);
  const config = await loadConfig(io.cwd, values.config);
  const registry = createRegistry(config, cliModelFactories());
  const checkServers = async () =>
    Promise.all(
      registry.names().map(async (name) => {
        const entry = config.models[name];
        const url = entry.url ?? entry.path ?? '';
        try {
          const info = await registry.get(name).info();
          if (info.loading) return { name, url, healthy: true, status: `${info.status}; it will answer once loaded` };
          // The build says what answers: a server's version, or the embedded engine's backend and threads.
          return { name, url, healthy: info.healthy, status: info.healthy && info.build ? `${info.status} (${info.build})` : info.status };
        } catch (error) {
          return { name, url, healthy: false, status: oneLine(error) };
        }
      }),
    );
  try {
    return await createDoctorCommand({ checkServers, datasets: config.datasets, gate: config.gate })([], io);
  } finally {
    await registry.close();
  }
};
