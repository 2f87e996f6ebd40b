// One model call of a slot, live: its request built and recorded, tokens streamed as events, the outcome or the error.

import type { TokenEvent, UnstampedEvent } from './events.js';
import { oneLine } from './errors.js';
import { Superseded, type Execution } from './execution.js';
import type { SlotOutcome, SlotSpec } from './flow.js';
import type { ModelRegistry } from './ports.js';
import { applyOverrides, type ModelRequest, type Sampling, type SlotOverrides } from './sampling.js';

/** What a live call needs from the engine. */
export interface CallIo {
  models: ModelRegistry;
  emit(event: UnstampedEvent): void;
  now(): number;
}

/** Where the call runs: the slot's id and position, and the model and sampling in force for it. */
export interface SlotCall {
  slotId: string;
  /** Id of the task the run works on. */
  task: string;
  ordinal: number;
  model: string;
  sampling: Sampling;
  overrides: SlotOverrides;
  /** The part of `overrides` a person set while the slot waited (recorded with the slot). */
  personal?: SlotOverrides;
}

/** The request a slot sends: its prompt and the sampling in force, with the overrides applied. */
export function slotRequest(spec: SlotSpec, sampling: Sampling, overrides: SlotOverrides): ModelRequest {
  const merged = { ...sampling, ...spec.sampling };
  // The flow's stop strings end its answers where it can read them; a person's (:set stop, config) come on top.
  if (sampling.stop && spec.sampling?.stop) merged.stop = [...new Set([...spec.sampling.stop, ...sampling.stop])];
  return { prompt: overrides.prompt ?? spec.prompt, sampling: applyOverrides(merged, overrides) };
}

/** Run the model for `spec`; throws Superseded when the execution is cancelled while it runs. */
export async function callModel(io: CallIo, execution: Execution, spec: SlotSpec, call: SlotCall): Promise<SlotOutcome> {
  const { slotId, ordinal, overrides } = call;
  const modelName = overrides.model ?? call.model;
  const model = io.models.get(modelName);
  const request = slotRequest(spec, call.sampling, overrides);
  io.emit({
    type: 'slot_started',
    slotId,
    name: spec.name,
    ordinal,
    attempt: spec.attempt,
    branchId: execution.branchId,
    ...(spec.repairOf ? { repairOf: spec.repairOf } : {}),
    ...(call.personal && Object.keys(call.personal).length > 0 ? { overrides: call.personal } : {}),
  });
  io.emit({ type: 'prompt_built', slotId, model: modelName, api: model.api, request });

  const slotAbort = new AbortController();
  execution.slotAbort = slotAbort;
  const onCancel = () => slotAbort.abort();
  execution.cancel.signal.addEventListener('abort', onCancel);
  const started = io.now();
  let tokenCount = 0;
  let outcome: SlotOutcome;
  try {
    const completion = await model.generate(request, {
      signal: slotAbort.signal,
      slot: { name: spec.name, task: call.task, ordinal, attempt: spec.attempt },
      onToken: (token) => {
        tokenCount++;
        const event: Omit<TokenEvent, 't'> = { type: 'token', slotId, text: token.text };
        if (token.logprob !== undefined) event.logprob = token.logprob;
        if (token.top) event.top = token.top;
        io.emit(event);
      },
      onNotice: (message) => io.emit({ type: 'note', level: 'info', message }),
    });
    io.emit({
      type: 'slot_output',
      slotId,
      text: completion.text,
      tokenCount: completion.tokenCount,
      stopType: completion.stopType,
      ...(completion.stoppingWord ? { stoppingWord: completion.stoppingWord } : {}),
      ...(completion.timings ? { timings: completion.timings } : {}),
      ...(completion.tokensCached !== undefined ? { tokensCached: completion.tokensCached } : {}),
      ...(completion.generationSettings ? { generationSettings: completion.generationSettings } : {}),
      ...(completion.idSlot !== undefined ? { idSlot: completion.idSlot } : {}),
      ...(completion.server !== undefined ? { server: completion.server } : {}),
      durationMs: Math.round(io.now() - started),
    });
    outcome = { ok: true, slotId, text: completion.text, completion };
  } catch (error) {
    if (execution.cancel.signal.aborted) {
      // A person stopped the run: the slot's end (and how far it got) is part of the record; a superseded one is not.
      if (execution.interrupted) io.emit({ type: 'slot_error', slotId, code: 'aborted', message: `slot ${spec.name} aborted after ${tokenCount} tokens: ${execution.interrupted}`, tokenCount });
      throw new Superseded();
    }
    const code = slotAbort.signal.aborted ? 'aborted' : ((error as { code?: string }).code ?? 'error');
    const message = code === 'aborted' ? `slot ${spec.name} aborted after ${tokenCount} tokens` : oneLine(error);
    io.emit({ type: 'slot_error', slotId, code, message, tokenCount });
    io.emit({ type: 'slot_result', slotId, status: code === 'aborted' ? 'aborted' : 'error' });
    outcome = { ok: false, slotId, code, message };
  } finally {
    execution.cancel.signal.removeEventListener('abort', onCancel);
    execution.slotAbort = undefined;
  }
  if (execution.cancel.signal.aborted) throw new Superseded();
  return outcome;
}
