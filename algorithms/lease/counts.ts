/**
 * How many times each (customer, period) was charged: the payment service's book and the
 * ledger check's memory. The table gains a key every billing period; copied whole on each
 * charge it made a long lease run quadratic (at 100x, after a few simulated minutes, most
 * of the time went there). Each customer's counts are a persistent trie over the period
 * instead, so a charge copies a few short arrays however long the run.
 */
import { checkTrieKey, emptyTrie, trieGet, trieSet, type IntTrie } from '../sim/intTrie';

export interface ChargeCounts {
  /** Indexed by customer id. */
  readonly customers: readonly (IntTrie<number> | undefined)[];
}

export const NO_CHARGES: ChargeCounts = { customers: [] };

/** How many times `customer` was charged for `period` (0 if never). */
export function chargesOf(c: ChargeCounts, customer: number, period: number): number {
  const t = c.customers[customer];
  return (t && trieGet(t, period)) ?? 0;
}

/** `c` with `customer`'s count for `period` set to `count`; `c` itself is left as it was. */
export function withCharges(
  c: ChargeCounts,
  customer: number,
  period: number,
  count: number,
): ChargeCounts {
  // (an array index: the same range as a trie key)
  checkTrieKey(customer, 'charge counts: customer');
  const customers = c.customers.slice();
  customers[customer] = trieSet(
    c.customers[customer] ?? emptyTrie<number>(),
    period,
    count,
    'charge counts: period',
  );
  return { customers };
}
