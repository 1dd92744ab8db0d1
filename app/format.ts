/**
 * Counts as the page shows them, thousands grouped ("888,893"). One formatter serves every
 * call: `toLocaleString` builds a new one each time (about a millisecond), and counts are
 * drawn on every snapshot of a playing run.
 */
const counts = new Intl.NumberFormat('en');

export function formatCount(n: number): string {
  return counts.format(n);
}
