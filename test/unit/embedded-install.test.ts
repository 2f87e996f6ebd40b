// The install gives every platform node-llama-cpp's own prebuilt binaries: the lockfile carries each, none aliased.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

interface LockEntry {
  name?: string;
  version: string;
  integrity?: string;
  os?: string[];
  optionalDependencies?: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  overrides?: Record<string, string>;
};
const lock = JSON.parse(readFileSync(resolve(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const engine = lock.packages['node_modules/node-llama-cpp'];
const prebuilts = Object.entries(engine.optionalDependencies ?? {}).filter(([name]) => name.startsWith('@node-llama-cpp/'));

describe('node-llama-cpp install', () => {
  it('pins one version of node-llama-cpp and overrides none of its packages', () => {
    expect(manifest.dependencies['node-llama-cpp']).toBe(engine.version);
    expect(Object.keys(manifest.overrides ?? {}).filter((name) => name.includes('node-llama-cpp'))).toEqual([]);
  });

  it('locks every prebuilt under its own name at the version node-llama-cpp asks for', () => {
    // Linux, macOS and Windows, CPU and GPU: 14 packages at node-llama-cpp 3.21.1.
    expect(prebuilts.map(([name]) => name)).toEqual(
      expect.arrayContaining(['@node-llama-cpp/linux-x64', '@node-llama-cpp/linux-x64-cuda', '@node-llama-cpp/linux-arm64', '@node-llama-cpp/mac-arm64-metal', '@node-llama-cpp/win-x64-cuda']),
    );
    for (const [name, version] of prebuilts) {
      const entry = lock.packages[`node_modules/${name}`];
      expect(entry, name).toBeDefined();
      expect(entry.name ?? name, `${name} is an alias`).toBe(name);
      expect(entry.version, name).toBe(version);
      expect(entry.integrity, name).toMatch(/^sha512-/);
    }
  });

  it('keeps the binaries of macOS and Windows for those systems', () => {
    const osOf = (name: string): string[] | undefined => lock.packages[`node_modules/@node-llama-cpp/${name}`].os;
    expect(osOf('mac-arm64-metal')).toEqual(['darwin']);
    expect(osOf('win-x64-vulkan')).toEqual(['win32']);
    expect(osOf('linux-x64-cuda')).toEqual(['linux']);
  });
});
