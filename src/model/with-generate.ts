// A model that answers through another generate(): same identity, API, slots and info; used by wrappers.

import type { ModelPort } from '../core/ports.js';

export function withGenerate(model: ModelPort, generate: ModelPort['generate']): ModelPort {
  return { identity: model.identity, api: model.api, maxParallel: model.maxParallel, info: () => model.info(), generate };
}
