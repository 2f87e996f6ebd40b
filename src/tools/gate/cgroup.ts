// A cgroup per test run (v1 memory+pids, or v2), so memory and process limits hold for the whole test, not per process.

import { existsSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HARNESS_PROCESSES, type LimitSettings } from './limits.js';

/** What a cgroup saw during a run: whether a limit was reached. */
export interface CgroupEvidence {
  /** The OOM killer ran in the group (or, without that counter, usage hit the limit). */
  memory: boolean;
  /** A fork or clone failed at the process limit. */
  processes: boolean;
}

/** One run's cgroup: processes join it by writing 0 to `joinFiles` before they fork anything. */
export interface TestCgroup {
  readonly joinFiles: string[];
  evidence(): Promise<CgroupEvidence>;
  /** Kill whatever is still in the group (a child that left the process group) and remove it. */
  destroy(): Promise<void>;
}

/** Where per-run cgroups can be made. */
export interface CgroupSupport {
  /** e.g. `cgroup v1 memory+pids`. */
  readonly describe: string;
  create(limits: LimitSettings): Promise<TestCgroup>;
}

let counter = 0;

/**
 * The cgroup support of this machine: v1 `memory` and `pids` hierarchies, or a v2 group whose children may enable
 * both; tried for real (a group made, limited and removed), since writable files do not prove it works.
 * Returns a one-line reason when neither works.
 */
export async function findCgroups(root = '/sys/fs/cgroup', selfFile = '/proc/self/cgroup'): Promise<CgroupSupport | string> {
  let self: string;
  try {
    self = await readFile(selfFile, 'utf8');
  } catch {
    return 'no /proc/self/cgroup';
  }
  const paths = parseSelfCgroup(self);
  const candidates: CgroupSupport[] = [];
  if (paths.memory !== undefined && paths.pids !== undefined) {
    candidates.push(v1Support(join(root, 'memory', paths.memory), join(root, 'pids', paths.pids)));
  }
  const v2Root = existsSync(join(root, 'cgroup.controllers')) ? root : join(root, 'unified');
  if (paths.unified !== undefined) candidates.push(v2Support(join(v2Root, paths.unified)));
  const problems: string[] = [];
  for (const support of candidates) {
    try {
      const probe = await support.create({ memoryMb: 64, processes: 8, diskMb: 1 });
      await probe.destroy();
      return support;
    } catch (error) {
      problems.push(`${support.describe}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  return problems.length > 0 ? `cannot make a cgroup (${problems.join('; ')})` : 'no memory and pids cgroup controllers';
}

/** This process's cgroup path per v1 controller and in the v2 hierarchy (`0::/path`). */
export function parseSelfCgroup(text: string): { memory?: string; pids?: string; unified?: string } {
  const found: { memory?: string; pids?: string; unified?: string } = {};
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const [id, controllers, path] = [line.slice(0, first), line.slice(first + 1, second), line.slice(second + 1)];
    if (id === '0' && controllers === '') found.unified = path;
    for (const name of controllers.split(',')) {
      if (name === 'memory' || name === 'pids') found[name] = path;
    }
  }
  return found;
}

function uniqueName(): string {
  return `slotbench-${process.pid}-${++counter}`;
}

function v1Support(memoryParent: string, pidsParent: string): CgroupSupport {
  return {
    describe: 'cgroup v1 memory+pids',
    async create(limits) {
      const name = uniqueName();
      const memory = join(memoryParent, name);
      const pids = join(pidsParent, name);
      const made: string[] = [];
      try {
        await mkdir(memory);
        made.push(memory);
        await mkdir(pids);
        made.push(pids);
        const bytes = String(limits.memoryMb * 1024 * 1024);
        await writeFile(join(memory, 'memory.limit_in_bytes'), bytes);
        // Where swap is accounted, memory+swap gets the same cap, so a test cannot spill into swap.
        await writeFile(join(memory, 'memory.memsw.limit_in_bytes'), bytes).catch(() => undefined);
        await writeFile(join(pids, 'pids.max'), String(limits.processes + HARNESS_PROCESSES));
      } catch (error) {
        await removeGroups(made);
        throw error;
      }
      return {
        joinFiles: [join(memory, 'cgroup.procs'), join(pids, 'cgroup.procs')],
        async evidence() {
          const oom = await readFile(join(memory, 'memory.oom_control'), 'utf8').catch(() => '');
          const kills = counterIn(oom, 'oom_kill');
          const memoryHit = kills !== undefined ? kills > 0 : Number(await readFile(join(memory, 'memory.failcnt'), 'utf8').catch(() => '0')) > 0;
          const pidsEvents = await readFile(join(pids, 'pids.events'), 'utf8').catch(() => '');
          return { memory: memoryHit, processes: (counterIn(pidsEvents, 'max') ?? 0) > 0 };
        },
        destroy: () => removeGroups([memory, pids]),
      };
    },
  };
}

function v2Support(own: string): CgroupSupport {
  return {
    describe: 'cgroup v2 memory+pids',
    async create(limits) {
      const controllers = await readFile(join(own, 'cgroup.subtree_control'), 'utf8');
      if (!/\bmemory\b/.test(controllers) || !/\bpids\b/.test(controllers)) {
        // Enabling them fails while this process sits in the group (no internal processes), except at the root.
        await writeFile(join(own, 'cgroup.subtree_control'), '+memory +pids');
      }
      const group = join(own, uniqueName());
      await mkdir(group);
      try {
        await writeFile(join(group, 'memory.max'), String(limits.memoryMb * 1024 * 1024));
        await writeFile(join(group, 'memory.swap.max'), '0').catch(() => undefined);
        await writeFile(join(group, 'pids.max'), String(limits.processes + HARNESS_PROCESSES));
      } catch (error) {
        await removeGroups([group]);
        throw error;
      }
      return {
        joinFiles: [join(group, 'cgroup.procs')],
        async evidence() {
          const memoryEvents = await readFile(join(group, 'memory.events'), 'utf8').catch(() => '');
          const pidsEvents = await readFile(join(group, 'pids.events'), 'utf8').catch(() => '');
          return {
            memory: (counterIn(memoryEvents, 'oom_kill') ?? 0) > 0 || (counterIn(memoryEvents, 'oom') ?? 0) > 0,
            processes: (counterIn(pidsEvents, 'max') ?? 0) > 0,
          };
        },
        destroy: () => removeGroups([group]),
      };
    },
  };
}

/** `name N` in a flat-keyed cgroup file. */
function counterIn(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

/** SIGKILL every process left in the groups, then remove them (a dying process keeps a group busy for a moment). */
async function removeGroups(dirs: string[]): Promise<void> {
  for (const dir of dirs) {
    for (let attempt = 0; attempt < 200; attempt++) {
      const pids = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
      try {
        await rmdir(dir);
        break;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') break;
        if (code !== 'EBUSY' || attempt === 199) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }
}
