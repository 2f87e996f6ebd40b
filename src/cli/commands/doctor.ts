// `slotbench doctor`: checks what a run needs, one line per check, saying how to get whatever is missing.

import { resolve } from 'node:path';
import type { GateConfig } from '../../config/config.js';
import { isUserError, oneLine, UserError } from '../../core/errors.js';
import { loadTasks } from '../../tools/datasets.js';
import { findOnPath } from '../../tools/gate/find-on-path.js';
import { findCgroups } from '../../tools/gate/cgroup.js';
import { harnessDir } from '../../tools/gate/harness.js';
import { bwrapProblem, systemMounts } from '../../tools/gate/sandbox.js';
import { resolvePytestPython, resolvePython, type PythonInfo } from '../../tools/python.js';
import { gateChecks, type DoctorCheck, type GateProbes } from './doctor-gate.js';
import type { CliIo, Command } from '../io.js';
import { plural } from '../../text/plural.js';

/** Health of one configured model server, as the model registry reports it. */
export interface ServerHealth {
  name: string;
  url: string;
  healthy: boolean;
  /** One-line state or error. */
  status: string;
  /** The config field to fix when it is down (default `models.NAME.url`). */
  configField?: string;
  /** One server of a pool: the pool runs without it, so its absence fails no run. */
  optional?: boolean;
  /** A run uses this model (the default, or the one given with --model); a down server of any other is a warning. */
  used: boolean;
}

/** The machine facts doctor looks at; tests replace them. */
export interface DoctorProbes extends GateProbes {
  python(env: NodeJS.ProcessEnv): Promise<PythonInfo>;
  /** Problems in a dataset file; throws a UserError when it cannot be read. */
  countProblems(path: string): Promise<number>;
  /** The embedded engine's binary and backend here, e.g. `node-llama-cpp 3.21.1 on cpu`; throws a UserError if none loads. */
  embeddedEngine(): Promise<string>;
}

export interface DoctorDeps {
  /** Health of every configured server (the lead wires the model registry in). */
  checkServers: () => Promise<ServerHealth[]>;
  /** Datasets named in the config: name → file. */
  datasets: Record<string, string>;
  /** The config's `gate` block: sandbox and limits a run will use. */
  gate?: GateConfig;
  probes?: Partial<DoctorProbes>;
}

// A shim slower than this to start is worth a mention: slotbench bypasses it, but the person's own runs do not.
const SLOW_START_MS = 200;

export const realProbes: DoctorProbes = {
  python: (env) => resolvePython(env),
  pytestPython: (env) => resolvePytestPython(env),
  which: findOnPath,
  sandboxProblem: (bwrap, python) => bwrapProblem({ bwrap, systemMounts: systemMounts(python.dirs), tmpBytes: 1024 * 1024 }, python.executable, harnessDir()),
  cgroups: async () => {
    const found = await findCgroups();
    return typeof found === 'string' ? { ok: false, detail: found } : { ok: true, detail: found.describe };
  },
  countProblems: async (path) => (await loadTasks(path)).length,
  embeddedEngine: async () => {
    const { backendLabel, loadBinding } = await import('../../model/embedded/binding.js');
    const { engineVersion } = await import('../../model/embedded/engine.js');
    return `node-llama-cpp ${engineVersion()} on ${backendLabel((await loadBinding('auto')).backend)}`;
  },
};

export function createDoctorCommand(deps: DoctorDeps): Command {
  const probes = { ...realProbes, ...deps.probes };
  return async (argv: string[], io: CliIo): Promise<number> => {
    if (argv.length > 0) throw new UserError(`doctor takes no arguments, got "${argv.join(' ')}"`);
    const checks = [
      ...(await toolChecks(probes, io.env, deps.gate ?? {})),
      await embeddedCheck(probes),
      ...(await serverChecks(deps.checkServers)),
      ...(await datasetChecks(probes, deps.datasets, io.cwd)),
    ];
    const width = Math.max(...checks.map((c) => c.name.length));
    for (const check of checks) {
      const state = check.ok ? 'ok' : check.optional ? 'missing (optional)' : 'missing';
      io.stdout.write(`${state.padEnd(18)} ${check.name.padEnd(width)}  ${check.detail}\n`);
    }
    const failed = checks.filter((c) => !c.ok && !c.optional).length;
    io.stdout.write(failed === 0 ? 'everything a run needs is here\n' : `${plural(failed, 'required check')} failed\n`);
    return failed === 0 ? 0 : 1;
  };
}

async function toolChecks(probes: DoctorProbes, env: NodeJS.ProcessEnv, gate: GateConfig): Promise<DoctorCheck[]> {
  let python: PythonInfo;
  try {
    python = await probes.python(env);
  } catch (error) {
    return [{ ok: false, name: 'python', detail: oneLine(error) }];
  }
  return [{ ok: true, name: 'python', detail: pythonDetail(python) }, ...(await gateChecks(probes, env, python, gate))];
}

function pythonDetail(python: PythonInfo): string {
  const base = `${python.version} at ${python.executable}`;
  if (!python.viaShim) return base;
  const slow = python.probeMs >= SLOW_START_MS ? `, slow: ${Math.round(python.probeMs)} ms a start` : '';
  return `${base} (${python.requestedPath ?? python.requested} is a shim${slow}; tests run the interpreter directly)`;
}

async function embeddedCheck(probes: DoctorProbes): Promise<DoctorCheck> {
  try {
    return { ok: true, optional: true, name: 'embedded', detail: `${await probes.embeddedEngine()}: GGUF "path" models run in-process` };
  } catch (error) {
    return { ok: false, optional: true, name: 'embedded', detail: `${oneLine(error)} (GGUF "path" models cannot run; llama-server "url" models can)` };
  }
}

async function serverChecks(checkServers: () => Promise<ServerHealth[]>): Promise<DoctorCheck[]> {
  let servers: ServerHealth[];
  try {
    servers = await checkServers();
  } catch (error) {
    return [{ ok: false, name: 'servers', detail: oneLine(error) }];
  }
  return servers.map((s) => ({
    ok: s.healthy,
    ...(s.used && !s.optional ? {} : { optional: true }),
    name: `server ${s.name}`,
    detail: s.healthy
      ? `${s.url}: ${s.status}`
      : `${s.url}: ${s.status} (${s.used ? '' : `needed only with --model ${s.name}: `}start llama-server there, or fix ${s.configField ?? `models.${s.name}.url`} in the config)`,
  }));
}

async function datasetChecks(probes: DoctorProbes, datasets: Record<string, string>, cwd: string): Promise<DoctorCheck[]> {
  return Promise.all(
    Object.entries(datasets).map(async ([name, path]): Promise<DoctorCheck> => {
      const file = resolve(cwd, path);
      try {
        return { ok: true, name: `dataset ${name}`, detail: `${file} (${await probes.countProblems(file)} problems)` };
      } catch (error) {
        if (!isUserError(error)) throw error;
        return { ok: false, name: `dataset ${name}`, detail: `${error.message} (fix datasets.${name} in the config)` };
      }
    }),
  );
}
