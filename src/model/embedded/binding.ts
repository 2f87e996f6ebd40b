// The process-wide llama.cpp binding of node-llama-cpp: its prebuilt binary for this platform, GPU when there is one.

import type { Llama } from 'node-llama-cpp';
import type { GpuChoice } from '../../config/config.js';
import { UserError } from '../../core/errors.js';

export type NodeLlamaCpp = typeof import('node-llama-cpp');

/** What a model computes on. */
export interface Backend {
  /** `cpu`, or the GPU API of the binary that loaded (`cuda`, `vulkan`, `metal`). */
  type: 'cpu' | 'cuda' | 'vulkan' | 'metal';
  /** GPU device names, as the driver reports them; empty on the CPU. */
  devices: string[];
  /** Layers offloaded to the GPU, once a model has loaded on one. */
  gpuLayers?: number;
}

/** A loaded binding and its backend. */
export interface Binding {
  lib: NodeLlamaCpp;
  llama: Llama;
  backend: Backend;
}

/** `cpu`, or `cuda (NVIDIA GeForce RTX 3060, 29 layers)`: one line for the status bar, `models` and `doctor`. */
export function backendLabel(backend: Backend): string {
  const details = [...backend.devices, ...(backend.gpuLayers === undefined ? [] : [`${backend.gpuLayers} layers`])];
  return details.length === 0 ? backend.type : `${backend.type} (${details.join(', ')})`;
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

let lastLog = '';

/** The last line llama.cpp logged, for error messages (its logs never reach the console, which would tear the TUI). */
export function lastEngineLog(): string {
  return lastLog;
}

const bindings = new Map<string, Promise<Binding>>();

function noBinary(gpu: GpuChoice): UserError {
  const platform = `${process.platform}-${process.arch}`;
  if (gpu === 'auto' || gpu === false) {
    return new UserError(
      `node-llama-cpp has no working prebuilt binary for ${platform} (package @node-llama-cpp/${platform.replace('darwin', 'mac').replace('win32', 'win')}…): run \`npm ci\` in the slotbench folder`,
      'engine_unavailable',
    );
  }
  return new UserError(
    `gpu "${gpu}" is configured but no ${gpu} binary of node-llama-cpp works on this ${platform} machine (no such device or driver): set "gpu": "auto" or false`,
    'engine_unavailable',
  );
}

/**
 * node-llama-cpp's binary for `gpu`. Apple Silicon has only a Metal build, so the CPU there means that build with no
 * layers offloaded (the engine loads models with gpuLayers 0 when gpu is false).
 */
function binaryFor(gpu: GpuChoice): GpuChoice {
  return gpu === false && process.platform === 'darwin' && process.arch === 'arm64' ? 'metal' : gpu;
}

/**
 * Loads the binding for `gpu` once per process: a prebuilt binary, or a local build made with
 * `npx node-llama-cpp source build` (e.g. CUDA on a Jetson), never a download or a build of its own.
 */
export function loadBinding(gpu: GpuChoice): Promise<Binding> {
  const key = String(gpu);
  let binding = bindings.get(key);
  if (binding === undefined) {
    binding = (async () => {
      const lib = await import('node-llama-cpp');
      try {
        const llama = await lib.getLlama({
          gpu: binaryFor(gpu),
          build: 'never',
          skipDownload: true,
          usePrebuiltBinaries: true,
          progressLogs: false,
          // Threads are set per context; node-llama-cpp's own cap would split them between contexts.
          maxThreads: 0,
          logLevel: lib.LlamaLogLevel.error,
          logger: (_level, message) => {
            lastLog = message.trim();
          },
        });
        const type = llama.gpu === false ? 'cpu' : llama.gpu;
        const devices = type === 'cpu' ? [] : await llama.getGpuDeviceNames();
        return { lib, llama, backend: { type, devices } };
      } catch (error) {
        if (error instanceof lib.NoBinaryFoundError) throw noBinary(gpu);
        throw new UserError(`node-llama-cpp could not start: ${firstLine(error)}`, 'engine_unavailable');
      }
    })();
    bindings.set(key, binding);
    // A failed load is forgotten, so the next call tries again (after `npm ci`, say).
    binding.catch(() => bindings.delete(key));
  }
  return binding;
}
