/** Small helpers for the sentences algorithms write about their records. */
import type { TraceRecord } from '../sim/trace';

/** "1 peer", "3 peers". */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The record's node moved into `state` with this event. */
export const became = (r: TraceRecord, state: string): boolean =>
  r.before !== state && r.after === state;

/** "1, 2 and 3". */
export function listed(ids: readonly (number | string)[]): string {
  if (ids.length <= 1) return ids.join('');
  return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}
