// The model kinds the CLI can build beyond llama-server: the embedded engine for `path` entries.

import type { ModelFactories } from '../model/registry.js';
import { createEmbeddedModel } from '../model/embedded/index.js';

export function cliModelFactories(onProgress?: (message: string) => void): ModelFactories {
  return {
    embedded: (name, entry) =>
      createEmbeddedModel(name, {
        path: entry.path!,
        api: entry.api,
        maxParallel: entry.maxParallel,
        threads: entry.threads,
        gpu: entry.gpu,
        contextSize: entry.contextSize,
        onProgress,
      }),
  };
}
