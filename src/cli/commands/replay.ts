// `slotbench replay SESSION`: a recorded session read back (never written): the workbench on a terminal, else a plain transcript or JSONL.

import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import type { PlaySpeed } from '../../session/player.js';
import { sessionsDir } from '../../session/paths.js';
import { locateSession } from '../../session/locate.js';
import { readSession, type LoadedSession } from '../../session/reader.js';
import { renderTranscript } from '../../session/transcript.js';
import { safeJson } from '../../text/sanitize.js';
import { REPLAY_SPEC } from '../command-specs.js';
import { printWarnings, type CliIo, type Command } from '../io.js';
import { parseCommand } from '../options.js';

export const replayCommand: Command = async (argv, io) => {
  const { values, positionals } = parseCommand(REPLAY_SPEC, argv);
  const outputTail = values.tail === undefined ? undefined : Number(values.tail);
  if (outputTail !== undefined && !(Number.isInteger(outputTail) && outputTail >= 0)) throw new UserError(`--tail must be an integer ≥ 0, got "${values.tail}"`);
  const speedText = values.speed ?? '1';
  const speed: PlaySpeed = speedText === 'instant' ? 'instant' : Number(speedText);
  if (speed !== 'instant' && !(speed > 0)) throw new UserError(`--speed must be a number > 0 or "instant", got "${speedText}"`);
  const session = await readSession(await locateSession(positionals[0], io.cwd, sessionsDir(io.cwd)));
  printWarnings(io, session.warnings);

  if (values.json) {
    // Migrated to the current format, so machines read one shape whatever wrote the file.
    for (const event of session.events) io.stdout.write(safeJson(event) + '\n');
    return 0;
  }
  if (!values.plain && io.stdout.isTTY) return workbenchReplay(session, { speed, atEnd: values['at-end'], theme: values.theme }, io);
  const lines = renderTranscript(session.events, { prompts: values.prompts, ...(outputTail !== undefined ? { outputTail } : {}) });
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
};

/** The workbench over a player (its feed brings the transport keys): plays from the start, or opens at the end. */
async function workbenchReplay(session: LoadedSession, options: { speed: PlaySpeed; atEnd: boolean; theme?: string }, io: CliIo): Promise<number> {
  // Loaded only here, so piped replays never pay for blessed.
  const [{ openWorkbench }, { replayFeed }, theme, { loadConfig }] = await Promise.all([
    import('../../ui/workbench.js'),
    import('../../ui/replay-feed.js'),
    import('../../ui/common/theme.js'),
    import('../../config/config.js'),
  ]);
  const config = await loadConfig(io.cwd).catch(() => undefined);
  const feed = replayFeed(session, { speed: options.speed, atEnd: options.atEnd });
  const workbench = openWorkbench({
    feed,
    theme: await theme.loadTheme(theme.chooseThemeName(options.theme, config?.theme, io.env), io.cwd),
    env: io.env,
    cwd: io.cwd,
    sessionsDir: sessionsDir(io.cwd),
    openSession: async (file) => replayFeed(await readSession(resolve(sessionsDir(io.cwd), file))),
    modelName: session.header.model.name,
    themeNames: await theme.themeNames(),
  });
  feed.player.on((change) => {
    if (change.gap) workbench.api.flash(`${(change.gap.recordedMs / 1000).toFixed(1)} s without events in the recording, played as ${change.gap.playedMs / 1000} s`);
  });
  if (!options.atEnd) feed.player.play({ speed: options.speed });
  return workbench.done;
}
