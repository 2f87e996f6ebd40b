// Replay transport keys: speed, event steps, slot jumps (by order or the slot picked in the plan), start and end.

import type { SessionPlayer } from '../../session/player.js';
import type { KeyBinding } from '../common/contracts.js';

const MAX_SPEED = 64;

/** The speed `c` plays at; the keys here change it. */
export interface Transport {
  speed: number;
}

/** On top of the built-in keys, which keep their meaning in a replay: s next slot, c play, space pause. */
export function transportKeys(player: SessionPlayer, transport: Transport): KeyBinding[] {
  const slotStarts = player.events.flatMap((e, i) => (e.type === 'slot_started' ? [i] : []));
  /** Index (among all slots) of the slot whose start was applied last. */
  const currentSlot = () => slotStarts.filter((i) => i < player.position).length - 1;
  const position = () => `event ${player.position}/${player.length}`;
  /** The slot `]` goes to the end of: the one whose answer is still playing, else the next one. */
  const nextEnd = () => {
    const current = currentSlot();
    const start = player.events[slotStarts[current]];
    const playing = start?.type === 'slot_started' && player.state.slots.get(start.slotId)?.status === 'streaming';
    return playing ? current : current + 1;
  };
  return [
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
      bar: 'event',
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
      id: 'replay-jump',
      keys: ['enter'],
      description: 'jump the replay to the slot picked in the plan (just after its answer)',
      bar: 'jump',
      disabledReason: (ctx) => (ctx.ui.selectedSlot ? undefined : 'pick a slot in the plan first (Tab to the plan, then j/k)'),
      run: (api) => {
        const slot = api.run.slots.get(api.ui.selectedSlot!);
        // A branch's own view of an inherited slot is not in the recording under its id: jump to the original.
        const target = slot?.viewOf ?? api.ui.selectedSlot!;
        player.pause();
        if (!player.jumpToSlot(target)) return api.flash(`${target} is not in this recording`, 'error');
        api.dispatch({ type: 'select', slotId: undefined });
        api.flash(`at ${target}: ${position()}`);
      },
    },
    {
      id: 'replay-next-slot',
      keys: [']'],
      description: "jump to the end of the slot's answer: the one playing, else the next",
      bar: 'slot',
      disabledReason: () => (nextEnd() >= slotStarts.length ? 'no later slot in this recording' : undefined),
      run: () => void player.jumpToSlot(nextEnd()),
    },
    {
      id: 'replay-previous-slot',
      keys: ['['],
      description: "jump back to the end of the previous slot's answer",
      disabledReason: () => (currentSlot() <= 0 ? 'no earlier slot in this recording' : undefined),
      run: () => void player.jumpToSlot(currentSlot() - 1),
    },
    { id: 'replay-start', keys: ['0'], description: 'jump to the start of the recording', bar: 'start', run: () => player.jumpToStart() },
    { id: 'replay-end', keys: ['$'], description: 'jump to the end of the recording (the finished run)', bar: 'end', run: () => player.jumpToEnd() },
  ];
}

function changeSpeed(player: SessionPlayer, transport: Transport, speed: number, flash: (text: string) => void): void {
  transport.speed = Math.min(MAX_SPEED, Math.max(1, speed));
  if (player.playing) player.play({ speed: transport.speed });
  flash(`replay speed ×${transport.speed}`);
}
