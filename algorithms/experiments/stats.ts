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
