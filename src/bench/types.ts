// The shape every benchmark returns, so run-all can print them alike.

export interface BenchResult {
  name: string;
  figures: Record<string, number | string>;
  /** The target in words, e.g. "≥ 200k tokens/s". */
  target: string;
  ok: boolean;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
