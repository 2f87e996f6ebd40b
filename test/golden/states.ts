// Run states for golden frames: real engine runs with the scripted model, normalised so every run reads the same.

import type { SlotbenchEvent } from '../../src/core/events.js';
import type { ModelScript } from '../../src/model/scripted.js';
import { initialRunState, reduceAll, type RunState } from '../../src/state/run-state.js';
import { harness, until } from '../helpers/engine-harness.js';

/**
 * Times, durations, rates, temp paths, the sandbox command and what enforces limits differ per run and per machine; a golden frame
 * must not. Everything else (texts, ids, verdicts, diffs, test output) is kept as the engine emitted it.
 */
export function normalise(events: SlotbenchEvent[]): SlotbenchEvent[] {
  return events.map((original, i) => {
    const event = structuredClone(original) as SlotbenchEvent;
    event.t = i * 5;
    switch (event.type) {
      case 'session_started':
        event.startedAt = '2026-01-01T00:00:00.000Z';
        event.model.location = 'test/fixtures/scripts/script.json';
        if (event.task.kind === 'dataset') event.task.dataset = 'HumanEval.jsonl.gz';
        break;
      case 'slot_output':
        event.durationMs = 1000;
        if (event.timings) Object.assign(event.timings, { predicted_ms: 1000, predicted_per_second: event.tokenCount });
        break;
      case 'test_run':
        event.command = ['python3', 'program.py'];
        event.durationMs = 250;
        event.sandbox = 'bwrap';
        // What holds the limits depends on the machine (a cgroup or not); the frame shows a fixed set.
        event.limits = { memoryMb: 1024, processes: 64, diskMb: 256, cpuSeconds: 6, enforcedBy: ['cgroup v1 memory+pids', 'prlimit as/cpu/fsize', 'bwrap tmpfs size'] };
        event.stdoutTail = event.stdoutTail.replace(/\/tmp\/slotbench-gate-\w+/g, '/tmp/gate');
        event.stderrTail = event.stderrTail.replace(/\/tmp\/slotbench-gate-\w+/g, '/tmp/gate');
        break;
      case 'flow_finished':
        event.durationMs = 1500;
        break;
    }
    return event;
    // Notes (the sandbox warning) depend on the machine.
  }).filter((e) => e.type !== 'note');
}

export async function runEvents(script: string | ModelScript, drive?: (h: Awaited<ReturnType<typeof harness>>) => Promise<void>): Promise<SlotbenchEvent[]> {
  const h = await harness(script);
  if (drive) await drive(h);
  else await h.engine.start();
  return normalise(h.events);
}

export function stateOf(events: SlotbenchEvent[]): RunState {
  return reduceAll(events, initialRunState());
}

/** Paused before the first slot (the workbench's opening state). */
export async function pausedEvents(): Promise<SlotbenchEvent[]> {
  const h = await harness('humaneval-0-canonical', { pauseAtStart: true });
  void h.engine.start();
  await until(h.events, (e) => e.type === 'slot_stopped');
  const events = normalise(h.events);
  await h.engine.shutdown();
  return events;
}

/** The canonical run, then a re-run of its implement slot at T=0.9 (a branch). */
export async function branchEvents(): Promise<SlotbenchEvent[]> {
  return runEvents('humaneval-0-canonical', async ({ engine }) => {
    await engine.start();
    engine.configure({ sampling: { temperature: 0.9 } });
    engine.rerunSlot('s1', { temperature: 0.9 });
    await engine.idle();
  });
}

/** An answer full of markup and terminal escapes: it must show literally and harmlessly. */
export const HOSTILE_SCRIPT: ModelScript = {
  label: 'scripted model (test double): hostile text',
  answers: [
    {
      slot: 'implement',
      text: '    # {bold}{red-fg}not markup{/} \x1b]0;pwned\x07\x1b[2J\x1b[31m\n    return "{/}\\x1b[0m 日本 done"\n```\n',
    },
  ],
};
