// `slotbench replay SESSION`: a recorded session read back (never written): the workbench on a terminal, else a plain transcript or JSONL.

import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { UserError } from '../../core/errors.js';
import type { PlaySpeed, SessionPlayer } from '../../session/player.js';
import { readSession, type LoadedSession } from '../../session/reader.js';
import { renderTranscript } from '../../session/transcript.js';
import type { KeyBinding } from '../../ui/controllers/keymap.js';
import type { CliIo, Command } from '../io.js';

export const REPLAY_USAGE = 'slotbench replay SESSION [--plain] [--prompts] [--tail LINES] [--json] [--speed N|instant] [--at-end] [--theme NAME]';

export const replayCommand: Command = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      plain: { type: 'boolean', default: false },
      prompts: { type: 'boolean', default: false },
      tail: { type: 'string' },
      json: { type: 'boolean', default: false },
      speed: { type: 'string', default: '1' },
      'at-end': { type: 'boolean', default: false },
      theme: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UserError(`replay needs one session file: ${REPLAY_USAGE}`);
  const outputTail = values.tail === undefined ? undefined : Number(values.tail);
  if (outputTail !== undefined && !(Number.isInteger(outputTail) && outputTail >= 0)) throw new UserError(`--tail must be an integer ≥ 0, got "${values.tail}"`);
  const speed: PlaySpeed = values.speed === 'instant' ? 'instant' : Number(values.speed);
  if (speed !== 'instant' && !(speed > 0)) throw new UserError(`--speed must be a number > 0 or "instant", got "${values.speed}"`);
  const session = await readSession(resolve(io.cwd, positionals[0]));
  for (const warning of session.warnings) io.stderr.write(`warning: ${warning}\n`);

  if (values.json) {
    // Migrated to the current format, so machines read one shape whatever wrote the file.
    for (const event of session.events) io.stdout.write(JSON.stringify(event) + '\n');
    return 0;
  }
  if (!values.plain && io.stdout.isTTY) return workbenchReplay(session, { speed, atEnd: values['at-end'], theme: values.theme }, io);
  const lines = renderTranscript(session.events, { prompts: values.prompts, ...(outputTail !== undefined ? { outputTail } : {}) });
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
};

/** The workbench over a player: plays from the start (or opens at the end), with transport keys. */
async function workbenchReplay(session: LoadedSession, options: { speed: PlaySpeed; atEnd: boolean; theme?: string }, io: CliIo): Promise<number> {
  // Loaded only here, so piped replays never pay for blessed.
  const [{ openWorkbench }, { replayFeed }, theme, { loadConfig }] = await Promise.all([
    import('../../ui/workbench.js'),
    import('../../ui/replay-feed.js'),
    import('../../ui/theme.js'),
    import('../../config/config.js'),
  ]);
  const config = await loadConfig(io.cwd).catch(() => undefined);
  const feed = replayFeed(session, { speed: options.speed, atEnd: options.atEnd });
  const transport = { speed: options.speed === 'instant' ? 1 : options.speed };
  const workbench = openWorkbench({
    feed,
    theme: await theme.loadTheme(theme.chooseThemeName(options.theme, config?.theme, io.env), io.cwd),
    env: io.env,
    keys: transportKeys(feed.player, transport),
    modelName: session.header.model.name,
    themeNames: await theme.themeNames(),
  });
  feed.player.on((change) => {
    if (change.gap) workbench.api.flash(`${(change.gap.recordedMs / 1000).toFixed(1)} s without events in the recording, played as ${change.gap.playedMs / 1000} s`);
  });
  if (!options.atEnd) feed.player.play({ speed: options.speed });
  return workbench.done;
}

const MAX_SPEED = 64;

/** Replay transport on top of the built-in keys (s next slot, c play, space pause keep their meaning). */
export function transportKeys(player: SessionPlayer, transport: { speed: number }): KeyBinding[] {
  const slotStarts = player.events.flatMap((e, i) => (e.type === 'slot_started' ? [i] : []));
  /** Index (among all slots) of the slot whose start was applied last. */
  const currentSlot = () => slotStarts.filter((i) => i < player.position).length - 1;
  const position = () => `event ${player.position}/${player.length}`;
  return [
    {
      id: 'replay-play',
      keys: ['c'],
      description: 'play the recording from here at the chosen speed (long idle gaps cut to 2 s)',
      disabledReason: () => (player.position >= player.length ? 'the replay is at its end: 0 goes back to the start' : undefined),
      run: () => player.play({ speed: transport.speed }),
    },
    {
      id: 'replay-faster',
      keys: ['>'],
      description: `play twice as fast (up to ×${MAX_SPEED})`,
      bar: 'faster',
      disabledReason: () => (transport.speed >= MAX_SPEED ? `already at ×${MAX_SPEED}` : undefined),
      run: (api) => changeSpeed(player, transport, transport.speed * 2, api.flash),
    },
    {
      id: 'replay-slower',
      keys: ['<'],
      description: 'play half as fast (down to ×1, the recorded pace)',
      disabledReason: () => (transport.speed <= 1 ? 'already at the recorded pace (×1)' : undefined),
      run: (api) => changeSpeed(player, transport, transport.speed / 2, api.flash),
    },
    {
      id: 'replay-event',
      keys: ['.'],
      description: 'apply the next recorded event (pauses playback)',
      disabledReason: () => (player.position >= player.length ? 'the replay is at its end' : undefined),
      run: (api) => {
        player.stepEvent();
        api.flash(position());
      },
    },
    {
      id: 'replay-back',
      keys: [','],
      description: 'go back one event (pauses playback)',
      disabledReason: () => (player.position === 0 ? 'the replay is at its start' : undefined),
      run: (api) => {
        player.pause();
        player.seek(player.position - 1);
        api.flash(position());
      },
    },
    {
      id: 'replay-next-slot',
      keys: [']'],
      description: "jump to the end of the next slot's answer",
      disabledReason: () => (currentSlot() + 1 >= slotStarts.length ? 'no later slot in this recording' : undefined),
      run: () => void player.jumpToSlot(currentSlot() + 1),
    },
    {
      id: 'replay-previous-slot',
      keys: ['['],
      description: "jump back to the end of the previous slot's answer",
      disabledReason: () => (currentSlot() <= 0 ? 'no earlier slot in this recording' : undefined),
      run: () => void player.jumpToSlot(currentSlot() - 1),
    },
    { id: 'replay-start', keys: ['0'], description: 'jump to the start of the recording', run: () => player.jumpToStart() },
    { id: 'replay-end', keys: ['$'], description: 'jump to the end of the recording (the finished run)', run: () => player.jumpToEnd() },
  ];
}

function changeSpeed(player: SessionPlayer, transport: { speed: number }, speed: number, flash: (text: string) => void): void {
  transport.speed = Math.min(MAX_SPEED, Math.max(1, speed));
  if (player.playing) player.play({ speed: transport.speed });
  flash(`replay speed ×${transport.speed}`);
}
