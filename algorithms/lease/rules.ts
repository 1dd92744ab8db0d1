/** The lease election's decisions as plain functions of a node's context. */
import type { NodeId } from '../sim/types';
import type { ElectionKey } from './messages';
import { chargesOf, NO_CHARGES, withCharges, type ChargeCounts } from './counts';

/** etcd's election recipe: the key with the lowest create revision holds leadership. */
export function holder(keys: readonly ElectionKey[]): ElectionKey | null {
  let best: ElectionKey | null = null;
  for (const k of keys) if (best === null || k.createRevision < best.createRevision) best = k;
  return best;
}

/**
 * Whether the key created at `token` by `me` holds leadership in `keys`. Checking the
 * create revision, not only the owner, means a worker never leads on an older key of its
 * own (one that was deleted when its previous lease ended).
 */
export function leadsWith(keys: readonly ElectionKey[], me: NodeId, token: number): boolean {
  const h = holder(keys);
  return h !== null && h.owner === me && h.createRevision === token;
}

/** Whether the key created at `token` by `me` is among `keys`. */
export function hasKey(keys: readonly ElectionKey[], me: NodeId, token: number): boolean {
  return keys.some((k) => k.owner === me && k.createRevision === token);
}

export interface PaymentBook {
  /** Refuse a fencing token lower than the highest seen. */
  fencing: boolean;
  /** Refuse a second charge of one customer for one period. */
  idempotent: boolean;
  maxToken: number;
  /** How many times each (customer, period) was charged. */
  charged: ChargeCounts;
  charges: number;
  /** Charges of a customer for a period that was already charged: money taken twice. */
  duplicates: number;
  /** Refused by fencing: the token was lower than the highest seen (a stale leader). */
  rejected: number;
  /** Refused because that customer and period were already charged (idempotency). */
  alreadyCharged: number;
}

export type ChargeOutcome = 'charged' | 'duplicate' | 'fenced' | 'already-charged';

export function emptyBook(fencing: boolean, idempotent: boolean): PaymentBook {
  return {
    fencing,
    idempotent,
    maxToken: 0,
    charged: NO_CHARGES,
    charges: 0,
    duplicates: 0,
    rejected: 0,
    alreadyCharged: 0,
  };
}

/**
 * The payment service's decision on one CHARGE. Two independent checks:
 * - fencing: refuse a token lower than the highest seen (the stale leader that woke up);
 * - idempotency: refuse to charge a customer twice for one period.
 * Fencing alone is not enough when the old leader acts first (a leader cut off from the
 * store but not from the service charges until the new leader's first charge raises the
 * token): a token orders the writers, it does not make a write idempotent.
 */
export function decideCharge(
  book: PaymentBook,
  c: { customer: number; period: number; token: number },
): { book: PaymentBook; outcome: ChargeOutcome } {
  if (book.fencing && c.token < book.maxToken)
    return { book: { ...book, rejected: book.rejected + 1 }, outcome: 'fenced' };
  const times = chargesOf(book.charged, c.customer, c.period);
  const maxToken = Math.max(book.maxToken, c.token);
  if (book.idempotent && times > 0)
    return {
      book: { ...book, maxToken, alreadyCharged: book.alreadyCharged + 1 },
      outcome: 'already-charged',
    };
  return {
    outcome: times > 0 ? 'duplicate' : 'charged',
    book: {
      ...book,
      maxToken,
      charged: withCharges(book.charged, c.customer, c.period, times + 1),
      charges: book.charges + 1,
      duplicates: book.duplicates + (times > 0 ? 1 : 0),
    },
  };
}
