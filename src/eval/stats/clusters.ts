// Paired differences grouped into the clusters the bootstrap and the standard error resample: a class, or the problem alone.

/** One paired problem: its difference (B's pass rate − A's) and its class when known. */
export interface PairedDiff {
  id: string;
  diff: number;
  class?: string;
}

/** Per cluster: the sum of its differences and its size. */
export interface Clusters {
  sums: Float64Array;
  sizes: Float64Array;
  /** Some problem shared a class with another, so at least one cluster has more than one problem. */
  clustered: boolean;
}

/** Problems of a class form one cluster; a problem with no class is a cluster of its own. */
export function clustersOf(diffs: readonly PairedDiff[]): Clusters {
  const index = new Map<string, number>();
  const sums: number[] = [];
  const sizes: number[] = [];
  for (const { diff, class: cls } of diffs) {
    let at = cls === undefined ? undefined : index.get(cls);
    if (at === undefined) {
      at = sums.length;
      sums.push(0);
      sizes.push(0);
      if (cls !== undefined) index.set(cls, at);
    }
    sums[at] += diff;
    sizes[at]++;
  }
  return { sums: Float64Array.from(sums), sizes: Float64Array.from(sizes), clustered: sums.length < diffs.length };
}
