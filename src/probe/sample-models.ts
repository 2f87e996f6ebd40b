// The models one sample talks to: recorded answers before the probed slot, the live model with the sample's overrides at it.

import { UserError } from '../core/errors.js';
import { withGenerate } from '../model/with-generate.js';
import type { ModelPort, ModelRegistry } from '../core/ports.js';
import { applyOverrides, type SlotOverrides } from '../core/sampling.js';

export interface SampleRouting {
  /** Position of the probed slot among the sample's model calls. */
  ordinal: number;
  overrides: SlotOverrides;
  /** Answers the calls before `ordinal` (a replay of the origin run); absent when the probe starts at the flow's start. */
  replay?: ModelPort;
  /** Fires once the sample has its verdict: the flow may go on, but it asks the model nothing more. */
  done: AbortSignal;
}

/**
 * Every model of `live`, seen by one sample. Only the probed call carries the overrides: the re-indent repair after it
 * keeps the flow's own settings, as it would in a re-run of that slot.
 */
export function sampleModels(live: ModelRegistry, routing: SampleRouting): ModelRegistry {
  const view = (model: ModelPort): ModelPort =>
    withGenerate(model, (request, options) => {
      if (routing.done.aborted) return Promise.reject(new UserError('the sample already has its verdict', 'aborted'));
      const at = options.slot?.ordinal ?? 0;
      if (at < routing.ordinal && routing.replay) return routing.replay.generate(request, options);
      if (at !== routing.ordinal) return model.generate(request, options);
      return model.generate({ ...request, sampling: applyOverrides(request.sampling, routing.overrides) }, options);
    });
  const views = new Map<string, ModelPort>();
  return {
    names: () => live.names(),
    get(name) {
      let found = views.get(name);
      if (!found) views.set(name, (found = view(live.get(name))));
      return found;
    },
  };
}
