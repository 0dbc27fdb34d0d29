/** A benchmark section: run() measures and returns Markdown for bench/RESULTS.md. */
export interface BenchSection {
  readonly id: string;
  readonly title: string;
  run(): Promise<string>;
}

/** Median and a percentile of a sample (nearest-rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): { median: number; p99: number; n: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: quantile(s, 0.5), p99: quantile(s, 0.99), n: s.length };
}
