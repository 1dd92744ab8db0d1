/** The lease election's decisions as plain functions of a node's context. */
import type { NodeId } from '../sim/types';
import type { ElectionKey } from './messages';

/** etcd's election recipe: the key with the lowest create revision holds leadership. */
export function holder(keys: readonly ElectionKey[]): ElectionKey | null {
  let best: ElectionKey | null = null;
  for (const k of keys) if (best === null || k.createRevision < best.createRevision) best = k;
  return best;
}

export function leads(keys: readonly ElectionKey[], me: NodeId): boolean {
  return holder(keys)?.owner === me;
}

export interface PaymentBook {
  fencing: boolean;
  maxToken: number;
  /** "customer:period" -> how many times it was charged. */
  charged: Record<string, number>;
  charges: number;
  /** Charges of a customer for a period that was already charged: money taken twice. */
  duplicates: number;
  /** Refused by fencing: the token was lower than the highest seen (a stale leader). */
  rejected: number;
  /** Refused because that customer and period were already charged (a newer leader that did not know). */
  alreadyCharged: number;
}

export type ChargeOutcome = 'charged' | 'duplicate' | 'fenced' | 'already-charged';

/**
 * The payment service's decision on one CHARGE. Without fencing it charges whatever it
 * is asked to. With fencing it is a fenced, idempotent resource: it refuses a token
 * lower than the highest it has seen (the stale leader that woke up), and it refuses to
 * charge a customer twice for one period. The second check matters when the old leader
 * acts first: a token orders the writers, it does not make a write idempotent.
 */
export function decideCharge(
  book: PaymentBook,
  c: { customer: number; period: number; token: number },
): { book: PaymentBook; outcome: ChargeOutcome } {
  const key = `${c.customer}:${c.period}`;
  const times = book.charged[key] ?? 0;
  if (book.fencing && c.token < book.maxToken)
    return { book: { ...book, rejected: book.rejected + 1 }, outcome: 'fenced' };
  if (book.fencing && times > 0)
    return {
      book: {
        ...book,
        maxToken: Math.max(book.maxToken, c.token),
        alreadyCharged: book.alreadyCharged + 1,
      },
      outcome: 'already-charged',
    };
  return {
    outcome: times > 0 ? 'duplicate' : 'charged',
    book: {
      ...book,
      maxToken: Math.max(book.maxToken, c.token),
      charged: { ...book.charged, [key]: times + 1 },
      charges: book.charges + 1,
      duplicates: book.duplicates + (times > 0 ? 1 : 0),
    },
  };
}
