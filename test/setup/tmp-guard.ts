// Global set-up of the suite: every test and every process it starts gets one fresh TMPDIR (and tmux its socket
// folder there); the run fails when anything is left in it, which is then removed.

import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** Everything under `dir`, files and non-empty folders as paths relative to it; tmux's own empty socket folder is not a leak. */
function leftovers(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && /^tmux-\d+$/.test(entry.name)) {
      found.push(...readdirSync(path).map((socket) => relative(dir, join(path, socket))));
    } else {
      found.push(entry.isDirectory() ? `${entry.name}/` : entry.name);
    }
  }
  return found;
}

export default function setup(): () => void {
  // Short: tmux socket paths must stay under ~100 bytes.
  const dir = mkdtempSync(join(tmpdir(), 'sbt-'));
  process.env.TMPDIR = dir;
  process.env.TMUX_TMPDIR = dir;
  return () => {
    const left = statSync(dir, { throwIfNoEntry: false }) ? leftovers(dir) : [];
    rmSync(dir, { recursive: true, force: true });
    if (left.length === 0) return;
    // vitest reports an error thrown here but still exits 0, so the exit code is set here.
    process.exitCode = 1;
    const shown = left.slice(0, 20).join(', ') + (left.length > 20 ? ', …' : '');
    process.stderr.write(`\nFAIL the tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in their TMPDIR ${dir} (now removed): ${shown}\n`);
  };
}
