/**
 * Simulated time: an integer count of microseconds, as RaftScope uses.
 * Only integer arithmetic is used so that runs replay bit for bit in every engine.
 */
export type Time = number;

export const US_PER_MS = 1000;

/** Milliseconds (possibly fractional, e.g. from a slider) to integer microseconds. */
export function ms(value: number): Time {
  return Math.round(value * US_PER_MS);
}

/** Microseconds to milliseconds, for display and reports. */
export function toMs(t: Time): number {
  return t / US_PER_MS;
}

/** "1234.5 ms" style label. */
export function fmt(t: Time): string {
  const whole = Math.floor(t / US_PER_MS);
  const frac = t - whole * US_PER_MS;
  if (frac === 0) return `${whole} ms`;
  return `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')} ms`;
}
