// Finding where per-run cgroups can be made: this process's cgroup paths, and a plain reason when there is none.

import { describe, expect, it } from 'vitest';
import { findCgroups, parseSelfCgroup } from '../../src/tools/gate/cgroup.js';

describe('parseSelfCgroup', () => {
  it('reads v1 controllers (also co-mounted ones) and the v2 path', () => {
    const hybrid = ['9:name=systemd:/', '8:pids:/', '4:memory:/process_api/f8d2', '3:cpu,cpuacct:/x', '0::/user.slice', ''].join('\n');
    expect(parseSelfCgroup(hybrid)).toEqual({ pids: '/', memory: '/process_api/f8d2', unified: '/user.slice' });
    expect(parseSelfCgroup('0::/system.slice/a:b.scope\n')).toEqual({ unified: '/system.slice/a:b.scope' });
    expect(parseSelfCgroup('5:memory,pids:/job\n')).toEqual({ memory: '/job', pids: '/job' });
  });
});

describe('findCgroups', () => {
  it('says why when it cannot tell', async () => {
    expect(await findCgroups('/nonexistent', '/nonexistent/cgroup')).toBe('no /proc/self/cgroup');
  });

  it('says why when no controller can be used', async () => {
    const found = await findCgroups('/nonexistent', '/proc/self/cgroup');
    expect(typeof found).toBe('string');
    expect(found as string).toMatch(/^(cannot make a cgroup \(.*\)|no memory and pids cgroup controllers)$/);
  });
});
