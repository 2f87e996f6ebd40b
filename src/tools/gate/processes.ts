// Counts a user's processes, so an RLIMIT_NPROC (which counts them all) can leave room for the test's own.

import { readdir, readFile } from 'node:fs/promises';

/** Processes whose real uid is `uid`, from /proc; 0 where /proc cannot be read. */
export async function countProcessesOf(uid: number | undefined): Promise<number> {
  if (uid === undefined) return 0;
  const pids = (await readdir('/proc').catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  let count = 0;
  for (const pid of pids) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    if (new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status)) count++;
  }
  return count;
}
