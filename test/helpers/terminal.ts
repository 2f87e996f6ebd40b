// Shared set-up of the tmux end-to-end tests: the built binary, a temp dir and a terminal per test, cleaned after.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll } from 'vitest';
import type { SlotbenchEvent } from '../../src/core/events.js';
import { PROJECT_ROOT } from '../../src/version.js';
import { TmuxSession, type TmuxOptions } from './tmux.js';

export const MAIN = join(PROJECT_ROOT, 'dist', 'cli', 'main.js');

/** Plain box borders and UTF-8 in captures. */
export const TERMINAL_ENV = { NCURSES_NO_UTF8_ACS: '1', LANG: 'C.UTF-8' };

/**
 * The folder's own config, its model at port 9 (discard) where nothing listens, whatever runs on the default 8080;
 * `extra` adds top-level fields (datasets, theme).
 */
export async function writeOfflineConfig(dir: string, extra: Record<string, unknown> = {}): Promise<void> {
  await writeFile(join(dir, 'slotbench.config.json'), JSON.stringify({ models: { local: { url: 'http://127.0.0.1:9' } }, ...extra }));
}

export async function readEvents(path: string): Promise<SlotbenchEvent[]> {
  return (await readFile(path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as SlotbenchEvent);
}

/** Registers the hooks; each test gets its temp dir and terminal from it, and both are gone after the test. */
export function useTerminal(): { tempDir(prefix: string): Promise<string>; start(options: TmuxOptions): Promise<TmuxSession> } {
  let session: TmuxSession | undefined;
  let dir: string | undefined;
  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build before the e2e tests`);
  });
  afterEach(async () => {
    await session?.kill();
    session = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return {
    tempDir: async (prefix) => (dir = await mkdtemp(join(tmpdir(), prefix))),
    start: async (options) => (session = await TmuxSession.start(options)),
  };
}
