// Resolves configured model names to ModelPorts, created on first use and kept for the session.

import type { Config, ModelConfig } from '../config/config.js';
import { UserError } from '../core/errors.js';
import type { ModelPort, ModelRegistry } from '../core/ports.js';
import { LlamaServerModel } from './llama-server.js';
import { ServerPool } from './server-pool.js';

/** Builders for model kinds that live elsewhere (the embedded engine), or reached somewhere else than configured. */
export interface ModelFactories {
  /** Builds the embedded engine for a `path` (GGUF) entry. */
  embedded?: (name: string, entry: ModelConfig) => ModelPort;
  /** Builds the client for a `url` entry; tests point the built-in default (port 8080) at their own port with it. */
  server?: (name: string, entry: ModelConfig & { url: string }) => ModelPort;
}

/** A registry that can also release every model it created. */
export interface ClosableModelRegistry extends ModelRegistry {
  close(): Promise<void>;
}

export function createRegistry(config: Config, factories: ModelFactories = {}): ClosableModelRegistry {
  const created = new Map<string, ModelPort>();
  const names = Object.keys(config.models);

  const build = (name: string, entry: ModelConfig): ModelPort => {
    if (entry.url !== undefined) {
      if (factories.server !== undefined) return factories.server(name, { ...entry, url: entry.url });
      return new LlamaServerModel({ name, url: entry.url, api: entry.api, maxParallel: entry.maxParallel ?? 1 });
    }
    if (entry.urls !== undefined) {
      // Each server counts one slot until its /props says how many it has; maxParallel caps the pool as a whole.
      return new ServerPool(name, entry.urls.map((url) => new LlamaServerModel({ name, url, api: entry.api, maxParallel: 1 })));
    }
    if (factories.embedded === undefined) {
      throw new UserError(
        `model "${name}" is a GGUF file (${entry.path}) but the embedded engine is unavailable: run \`llama-server -m ${entry.path}\` and give the model a "url" instead`,
        'embedded_unavailable',
      );
    }
    return factories.embedded(name, entry);
  };

  return {
    names: () => [...names],
    get(name) {
      const existing = created.get(name);
      if (existing) return existing;
      const entry = config.models[name];
      if (entry === undefined) {
        throw new UserError(`unknown model "${name}": configured models are ${names.join(', ')}`, 'unknown_model');
      }
      const model = build(name, entry);
      created.set(name, model);
      return model;
    },
    async close() {
      const models = [...created.values()];
      created.clear();
      await Promise.all(models.map((model) => model.close?.()));
    },
  };
}
