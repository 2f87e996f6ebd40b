// The demo shipped in the package: a 1 MB story model on the embedded engine and one problem, for a first live run.

import { join } from 'node:path';
import type { ModelPort } from '../../core/ports.js';
import type { Sampling } from '../../core/sampling.js';
import { PROJECT_ROOT } from '../../version.js';
import { createEmbeddedModel } from './index.js';

/** Where the demo's files live (under src/, which ships in the package; read from there by the built code too). */
export const DEMO_DIR = join(PROJECT_ROOT, 'src', 'model', 'embedded', 'demo');

/** The demo as the workbench opens it: model name and file, and the problem it runs. */
export const DEMO = {
  modelName: 'demo-stories260K',
  modelPath: join(DEMO_DIR, 'stories260K.gguf'),
  dataset: join(DEMO_DIR, 'humaneval-0.jsonl'),
  problem: 'HumanEval/0',
} as const;

/**
 * Sampling for the demo: deterministic, and short, so a step takes a moment on any machine (the model never stops
 * on its own: n_predict ends it).
 */
export const DEMO_SAMPLING: Sampling = { temperature: 0, n_predict: 96, cache_prompt: true };

/** The demo model on the embedded engine: one thread and a small context, so loading needs no timing runs. */
export function createDemoModel(onProgress?: (message: string) => void): ModelPort {
  return createEmbeddedModel(DEMO.modelName, { path: DEMO.modelPath, threads: 1, contextSize: 1024, gpu: false, ...(onProgress ? { onProgress } : {}) });
}
