// Which sampling settings in force differ from the run's configuration, in a few words for the status bar.

import type { Sampling } from '../../core/sampling.js';

/** The settings `:set` changes; temperature, seed and n_probs have their own place in the status bar. */
export const SET_KEYS = ['n_predict', 'top_k', 'top_p', 'min_p', 'stop', 'grammar'] as const;

/** `n_predict=256`, `top_k=–` (cleared), `stop=2` (how many strings), `grammar` (set): one word per setting that differs. */
export function samplingChanges(config: Sampling, now: Sampling): string[] {
  return SET_KEYS.flatMap((key) => {
    const was = config[key];
    const is = now[key];
    if (JSON.stringify(was) === JSON.stringify(is)) return [];
    if (is === undefined) return [`${key}=–`];
    if (key === 'stop') return [`stop=${(is as string[]).length}`];
    if (key === 'grammar') return ['grammar'];
    return [`${key}=${String(is)}`];
  });
}
