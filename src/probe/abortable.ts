// Views of the model registry and the gate that a probe's stop signal can cut short, so Ctrl-C ends running samples.

import { setMaxListeners } from 'node:events';
import { UserError } from '../core/errors.js';
import { withGenerate } from '../model/with-generate.js';
import type { GatePort, ModelPort, ModelRegistry } from '../core/ports.js';

/**
 * Run `work` with a signal that fires on either signal. Listeners are removed when it settles: AbortSignal.any
 * would keep one per call on the long-lived stop signal for the whole probe.
 */
async function withJoined<T>(signal: AbortSignal | undefined, stop: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  if (signal?.aborted || stop.aborted) abort();
  signal?.addEventListener('abort', abort, { once: true });
  stop.addEventListener('abort', abort, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    signal?.removeEventListener('abort', abort);
    stop.removeEventListener('abort', abort);
  }
}

/** Each model answers as before, but a stopped probe aborts its streams (code 'aborted') and refuses new ones. */
export function abortableModels(models: ModelRegistry, stop: AbortSignal): ModelRegistry {
  // One listener per running sample and step: as many as the probe runs at once, which may well exceed 10.
  setMaxListeners(0, stop);
  const views = new Map<string, ModelPort>();
  const view = (model: ModelPort): ModelPort =>
    withGenerate(model, (request, options) => {
      if (stop.aborted) return Promise.reject(new UserError(`model ${model.identity.name}: probe stopped before this slot`, 'aborted'));
      return withJoined(options.signal, stop, (signal) => model.generate(request, { ...options, signal }));
    });
  return {
    names: () => models.names(),
    get(name) {
      let found = views.get(name);
      if (!found) views.set(name, (found = view(models.get(name))));
      return found;
    },
  };
}

/** The gate, stopped with the probe; without its warning, which the probe shows once rather than once per sample. */
export function abortableGate(gate: GatePort, stop: AbortSignal): GatePort {
  setMaxListeners(0, stop);
  return { run: (input) => withJoined(input.signal, stop, (signal) => gate.run({ ...input, signal })) };
}
