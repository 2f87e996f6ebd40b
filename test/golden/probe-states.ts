// A real probe (engine, gate, parser; scripted model) normalised for golden frames, with token probabilities added.

import type { SlotbenchEvent } from '../../src/core/events.js';
import { DEFAULT_SAMPLING } from '../../src/core/sampling.js';
import { implementFlow } from '../../src/flows/implement.js';
import { loadScript, ScriptedModel } from '../../src/model/scripted.js';
import { probeResults } from '../../src/probe/result.js';
import { ProbeRunner } from '../../src/probe/runner.js';
import type { ProbeResult } from '../../src/probe/types.js';
import { reduceAll, type RunState } from '../../src/state/run-state.js';
import { loadHumanEval, realTools, registryOf, scriptPath } from '../helpers/engine-harness.js';
import { normalise } from './states.js';

export interface ProbeRun {
  events: SlotbenchEvent[];
  state: RunState;
  results: ProbeResult[];
}

/**
 * The scripted model streams no probabilities, so every implement token gets one, with the token itself and a
 * made-up rival as the alternatives: enough for the divergence and shading to show, the same on every run.
 */
function withProbabilities(events: SlotbenchEvent[]): SlotbenchEvent[] {
  const implement = new Set(events.flatMap((e) => (e.type === 'slot_started' && e.name === 'implement' ? [e.slotId] : [])));
  return events.map((e) => {
    if (e.type !== 'token' || !implement.has(e.slotId)) return e;
    const logprob = e.text.trim() === '' ? -0.05 : -0.4;
    return { ...e, logprob, top: [{ token: e.text, logprob }, { token: '<rival>', logprob: -1.6 }] };
  });
}

/** Six samples of HumanEval/0's implement slot at T=0.8, one at a time (so the order is always the same). */
export async function probeRun(): Promise<ProbeRun> {
  const { gate, parser } = await realTools();
  const model = new ScriptedModel(await loadScript(scriptPath('humaneval-0-probe-mixed')));
  const runner = new ProbeRunner(
    { models: registryOf(model), gate, parser },
    {
      sessionId: 'probe-golden',
      slotbenchVersion: '0.0.0-test',
      flow: implementFlow,
      task: await loadHumanEval(),
      slot: 'implement',
      model: 'scripted',
      sampling: { ...DEFAULT_SAMPLING },
      temperatures: [0.8],
      n: 6,
      seedBase: 1,
      parallel: 1,
      gateTimeoutMs: 5000,
    },
  );
  const raw: SlotbenchEvent[] = [];
  runner.on((e) => raw.push(structuredClone(e)));
  await runner.run();
  const events = withProbabilities(normalise(raw));
  const state = reduceAll(events);
  return { events, state, results: probeResults(state, parser, 'implement') };
}
