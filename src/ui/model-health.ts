// One line on a model's health for the status bar, with how to start llama-server when it is not up.

import { basename } from 'node:path';
import type { ModelPort } from '../core/ports.js';

export async function modelHealth(model: ModelPort): Promise<{ healthy: boolean; status: string }> {
  const info = await model.info();
  if (info.healthy) {
    const file = model.identity.kind === 'llama-server' || model.identity.kind === 'embedded' ? info.modelFile : undefined;
    const on = info.backend ? ` on ${info.backend}` : '';
    return { healthy: true, status: file ? `${basename(file)}${on}` : info.status };
  }
  if (model.identity.kind !== 'llama-server') return { healthy: false, status: info.status };
  // The client's own message may already say how to start the server; say it once.
  if (/llama-server -m/.test(info.status)) return { healthy: false, status: info.status };
  const url = model.identity.location ?? 'the server';
  let port = '8080';
  try {
    port = new URL(url).port || port;
  } catch {
    // Not a URL: the default port is the best hint there is.
  }
  return { healthy: false, status: `${url} ${info.status}: start it with llama-server -m MODEL.gguf --port ${port}` };
}
