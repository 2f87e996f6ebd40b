// What an eval ran, and its fingerprint: two runs are comparable when their fingerprints differ only in what was changed.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { UserError } from '../core/errors.js';
import type { ModelIdentity } from '../core/events.js';
import type { ModelInfo } from '../core/ports.js';
import type { Sampling } from '../core/sampling.js';
import type { PoolMember } from '../model/server-pool.js';
import { PROJECT_ROOT, SLOTBENCH_VERSION } from '../version.js';

/** Which problems an eval runs. */
export interface Selection {
  split: 'tuned' | 'heldout' | 'all';
  limit: number | null;
  /** The --ids file, when one chose the problems. */
  idsFile: string | null;
  /** How many problems were selected, and which (a resume runs exactly these). */
  problems: number;
  problemIds: string[];
}

export interface Manifest {
  formatVersion: 1;
  createdAt: string;
  slotbench: { version: string; commit: string | null; dirty: boolean | null };
  dataset: { path: string; sha256: string };
  selection: Selection;
  repeat: number;
  flow: { name: string; options: Record<string, string> };
  attempts: number;
  model: {
    name: string;
    kind: ModelIdentity['kind'];
    location: string | null;
    modelFile: string | null;
    alias: string | null;
    build: string | null;
    /** Server slots (all servers of a pool). */
    slots: number | null;
    servers: PoolMember[] | null;
    label: string | null;
  };
  sampling: Sampling;
  gate: { timeoutMs: number; sandbox: string; python: string };
  /** Problems run at once. */
  parallel: number;
  /** The settings a result depends on, flattened to `key → value` (see `fingerprintOf`). */
  fingerprint: Record<string, string>;
}

/** Everything the manifest is built from, gathered by the command. */
export interface ManifestInput {
  datasetPath: string;
  selection: Selection;
  repeat: number;
  flow: string;
  flowOptions: Record<string, string>;
  attempts: number;
  model: ModelIdentity;
  info: ModelInfo;
  servers?: PoolMember[];
  label?: string;
  sampling: Sampling;
  gate: { timeoutMs: number; sandbox: string; python: string };
  parallel: number;
}

export async function buildManifest(input: ManifestInput, now = new Date()): Promise<Manifest> {
  if (input.servers && input.servers.length > 1) refuseMixedPool(input.model.name, input.servers);
  const manifest: Omit<Manifest, 'fingerprint'> = {
    formatVersion: 1,
    createdAt: now.toISOString(),
    slotbench: { version: SLOTBENCH_VERSION, ...(await gitState()) },
    dataset: { path: input.datasetPath, sha256: fileSha256(input.datasetPath) },
    selection: input.selection,
    repeat: input.repeat,
    flow: { name: input.flow, options: { ...input.flowOptions } },
    attempts: input.attempts,
    model: {
      name: input.model.name,
      kind: input.model.kind,
      location: input.model.location ?? null,
      modelFile: input.info.modelFile ?? null,
      alias: input.info.alias ?? null,
      build: input.info.build ?? null,
      slots: input.info.totalSlots ?? null,
      servers: input.servers ?? null,
      label: input.label ?? null,
    },
    sampling: { ...input.sampling },
    gate: { ...input.gate },
    parallel: input.parallel,
  };
  return { ...manifest, fingerprint: fingerprintOf(manifest) };
}

/**
 * The settings a result depends on: the dataset file, the flow and its options, the retry budget, slotbench's version
 * and commit, the model (name, kind, file, alias, build, slots), every sampling parameter, the Python version, the
 * sandbox and the test time limit. Not in it: where files live, when it ran, how many ran at once, the selection.
 */
export function fingerprintOf(manifest: Omit<Manifest, 'fingerprint'>): Record<string, string> {
  const print: Record<string, string> = {
    dataset: manifest.dataset.sha256,
    flow: manifest.flow.name,
    attempts: String(manifest.attempts),
    'slotbench.version': manifest.slotbench.version,
    'slotbench.commit': manifest.slotbench.commit ?? 'unknown',
    'slotbench.dirty': String(manifest.slotbench.dirty ?? 'unknown'),
    'model.name': manifest.model.name,
    'model.kind': manifest.model.kind,
    'model.file': manifest.model.modelFile ?? 'unknown',
    'model.alias': manifest.model.alias ?? 'none',
    'model.build': manifest.model.build ?? 'unknown',
    'model.slots': String(manifest.model.slots ?? 'unknown'),
    'python.version': manifest.gate.python,
    sandbox: manifest.gate.sandbox,
    'gate.timeoutMs': String(manifest.gate.timeoutMs),
  };
  for (const [name, value] of Object.entries(manifest.flow.options)) print[`flow.${name}`] = value;
  for (const [name, value] of Object.entries(manifest.sampling)) print[`sampling.${name}`] = JSON.stringify(value);
  return print;
}

/** The settings whose values differ between two fingerprints, with both values, in key order. */
export function fingerprintDiff(a: Record<string, string>, b: Record<string, string>): Array<{ key: string; a: string; b: string }> {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => a[k] !== b[k]).map((key) => ({ key, a: a[key] ?? '(unset)', b: b[key] ?? '(unset)' }));
}

/** A pool's servers must run the same model file and build, or its results mean nothing. */
function refuseMixedPool(name: string, servers: PoolMember[]): void {
  const up = servers.filter((s) => s.healthy);
  for (const field of ['modelFile', 'build'] as const) {
    const values = new Set(up.map((s) => s[field] ?? 'unknown'));
    if (values.size > 1) {
      const list = up.map((s) => `${s.url}: ${s[field] ?? 'unknown'}`).join(', ');
      throw new UserError(`the servers of pool ${name} disagree on ${field === 'build' ? 'the llama.cpp build' : 'the model file'} (${list}): give every server the same`, 'mixed_pool');
    }
  }
}

function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The commit slotbench runs from and whether its tracked files changed; null outside a git checkout. */
async function gitState(): Promise<{ commit: string | null; dirty: boolean | null }> {
  const git = (args: string[]) => execa('git', ['-C', PROJECT_ROOT, ...args], { reject: false, timeout: 5000 });
  const head = await git(['rev-parse', 'HEAD']);
  if (head.failed || !/^[0-9a-f]{40}$/.test(head.stdout.trim())) return { commit: null, dirty: null };
  const status = await git(['status', '--porcelain', '--untracked-files=no']);
  return { commit: head.stdout.trim(), dirty: status.failed ? null : status.stdout.trim() !== '' };
}
