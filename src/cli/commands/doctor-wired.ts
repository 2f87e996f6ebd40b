// `slotbench doctor` wired to the config: checks each configured model and dataset besides the machine; only the
// model a run would use is required.

import { loadConfig } from '../../config/config.js';
import { oneLine, UserError } from '../../core/errors.js';
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
  // What a run needs is the model it would use; the other configured models are checked, but only as warnings.
  const used = values.model ?? config.defaultModel;
  if (!(used in config.models)) throw new UserError(`unknown model "${used}": configured models are ${registry.names().join(', ')}`, 'unknown_model');
  const checkServers = async () =>
    Promise.all(
      registry.names().map(async (name) => {
        const entry = config.models[name];
        const url = entry.url ?? entry.path ?? '';
        try {
          const info = await registry.get(name).info();
          if (info.loading) return { name, url, used: name === used, healthy: true, status: `${info.status}; it will answer once loaded` };
          // The build says what answers: a server's version, or the embedded engine's backend and threads.
          const status = info.healthy && info.build ? `${info.status} (${info.build})` : info.status;
          return { name, url, used: name === used, healthy: info.healthy, status };
        } catch (error) {
          return { name, url, used: name === used, healthy: false, status: oneLine(error) };
        }
      }),
    );
  try {
    return await createDoctorCommand({ checkServers, datasets: config.datasets, gate: config.gate })([], io);
  } finally {
    await registry.close();
  }
};
