/** Summary statistics for experiment results (nearest-rank percentiles, integer-free of transcendental maths). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Rounds to 3 decimals (µs precision for ms values) for stable, readable output. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** How long trials went without a leader: the count, the usual percentiles, the worst and the mean (ms). */
export interface DowntimeStats {
  trials: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function downtimeStats(trials: readonly { downtime: number }[]): DowntimeStats {
  const d = trials.map((t) => t.downtime).sort((a, b) => a - b);
  return {
    trials: trials.length,
    p50: round3(percentile(d, 0.5)),
    p90: round3(percentile(d, 0.9)),
    p99: round3(percentile(d, 0.99)),
    max: round3(d[d.length - 1]),
    mean: round3(mean(d)),
  };
}
