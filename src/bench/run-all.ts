// `npm run bench`: runs every benchmark (or those named on the command line) and prints their figures.

import type { BenchResult } from './types.js';

const BENCHES: Record<string, () => Promise<BenchResult>> = {
  sse: async () => (await import('./sse-throughput.js')).benchSseThroughput(),
  harness: async () => (await import('./harness-overhead.js')).benchHarnessOverhead(),
  'session-load': async () => (await import('./session-load.js')).benchSessionLoad(),
  probe: async () => (await import('./probe-throughput.js')).benchProbeThroughput(),
  embedded: async () => (await import('./embedded-speed.js')).benchEmbeddedSpeed(),
  tui: async () => (await import('./tui-feed.js')).benchTuiFeed(),
  gate: async () => (await import('./gate-overhead.js')).benchGateOverhead(),
  index: async () => (await import('./index-concurrency.js')).benchIndexConcurrency(),
  'eval-stats': async () => (await import('./eval-stats.js')).benchEvalStats(),
  eval: async () => (await import('./eval-throughput.js')).benchEvalThroughput(),
};

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}: choose from ${Object.keys(BENCHES).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
    try {
      const result = await BENCHES[name]();
      process.stdout.write(`\n${result.ok ? 'MET   ' : 'MISSED'} ${result.name} (target ${result.target})\n`);
      for (const [key, value] of Object.entries(result.figures)) process.stdout.write(`         ${key}: ${value}\n`);
    } catch (error) {
      process.stdout.write(`\nERROR  ${name}: ${(error as Error).message.split('\n')[0]}\n`);
    }
  }
}

await main(process.argv.slice(2));
