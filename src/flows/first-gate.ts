// A flow cut short at its first gate: a probe sample is one answer and the test that judges it, not a whole retry loop.

import type { TestRunInfo } from '../core/events.js';
import type { FlowContext, FlowDefinition } from '../core/flow.js';

class Decided extends Error {
  constructor(readonly result: TestRunInfo) {
    super('decided at the first gate');
  }
}

/** `flow` under the same name, ending with the first gate's verdict instead of going on to retries. */
export function endAtFirstGate(flow: FlowDefinition): FlowDefinition {
  return {
    ...flow,
    async run(ctx) {
      // A view of the context whose gate ends the flow; everything else (the live `attempts` getter too) reads through.
      const gated: FlowContext = Object.create(ctx, {
        gate: {
          value: async (...args: Parameters<FlowContext['gate']>) => {
            throw new Decided(await ctx.gate(...args));
          },
        },
      });
      try {
        return await flow.run(gated);
      } catch (error) {
        if (!(error instanceof Decided)) throw error;
        return { verdict: error.result.verdict, reason: `sample gated: ${error.result.verdict}` };
      }
    },
  };
}
