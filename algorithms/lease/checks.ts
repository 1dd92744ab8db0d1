/**
 * The lease election's own invariants, checked after every event that changed a node's
 * snapshot. They keep their memory in world.invariantState (values replaced, never
 * mutated), outside every node, so they hold across restarts of the nodes they watch:
 *
 * - ledger (error): every (customer, period) the payment service ever charged, in any
 *   incarnation, is remembered here; a charge the service reports as new although that
 *   customer was charged for that period before means its book lost a charge.
 * - duplicate-charge: the service reports charging a customer twice for one period. An
 *   error when the service is idempotent; a warning when it is not (the documented
 *   weakness of fencing alone).
 * - store-revision (error): the store's revision never goes backwards, across its
 *   restarts too; fencing tokens are create revisions, so they would go backwards with it.
 *   With a replicated store each replica's applied state is watched on its own (a follower
 *   may trail the leader, but never goes back);
 * - store-log (error, replicated store): no two replicas ever apply different entries at
 *   the same log index (Raft's state-machine safety, for the store's requests).
 */
import type { NodeCheck } from '../sim/types';
import { checkReplicatedLog } from '../raft/replicated';
import { reportViolation } from '../sim/world';
import type { PaymentContext } from './payment';
import { chargesOf, NO_CHARGES, withCharges, type ChargeCounts } from './counts';
import type { ReplicaContext } from './replica';
import type { StoreContext } from './store';

export function checkLease(check: NodeCheck): void {
  const role = (check.world.nodes[check.idx].snapshot.context as { role: string }).role;
  if (role === 'payment') checkLedger(check);
  else if (role === 'store') {
    checkRevision(check);
    if ('log' in check.world.nodes[check.idx].snapshot.context) checkStoreLog(check);
  }
}

function checkStoreLog(check: NodeCheck): void {
  checkReplicatedLog(check, {
    invariant: 'store-log',
    key: 'storeCommitted',
    noun: 'store replica',
  });
}

function checkLedger({ world, idx, prev, eventIndex }: NodeCheck): void {
  const node = world.nodes[idx];
  const c = node.snapshot.context as PaymentContext;
  const d = c.last;
  // a new decision is a new object; a restart starts with none
  if (d === null || d === (prev?.context as PaymentContext | undefined)?.last) return;
  if (d.outcome !== 'charged' && d.outcome !== 'duplicate') return;
  const ledger = (world.invariantState.ledger as ChargeCounts | undefined) ?? NO_CHARGES;
  const before = chargesOf(ledger, d.customer, d.period);
  const what = `customer ${d.customer} for period ${d.period}`;
  if (d.outcome === 'charged' && before > 0)
    reportViolation(world, {
      invariant: 'ledger',
      severity: 'error',
      nodes: [node.id, d.from],
      detail: `the payment service charged ${what} (token ${d.token}, from node ${d.from}) as a first charge, but it had already charged it ${before === 1 ? 'once' : `${before} times`}: its book lost a charge`,
      eventIndex,
    });
  if (d.outcome === 'duplicate')
    reportViolation(world, {
      invariant: 'duplicate-charge',
      severity: c.book.idempotent ? 'error' : 'warning',
      nodes: [node.id, d.from],
      detail: `the payment service charged ${what} again (token ${d.token}, from node ${d.from})${c.book.idempotent ? ' although it is idempotent' : ': it is not idempotent, and fencing alone does not stop a second charge'}`,
      eventIndex,
    });
  world.invariantState = {
    ...world.invariantState,
    ledger: withCharges(ledger, d.customer, d.period, before + 1),
  };
}

function checkRevision({ world, idx, eventIndex }: NodeCheck): void {
  const node = world.nodes[idx];
  const ctx = node.snapshot.context as StoreContext | ReplicaContext;
  const revision = ctx.store$.revision;
  const key = 'log' in ctx ? `storeRevision@${node.id}` : 'storeRevision';
  const highest = (world.invariantState[key] as number | undefined) ?? 0;
  if (revision === highest) return;
  // after a regression the watermark follows the store down, so one regression is one report
  world.invariantState = { ...world.invariantState, [key]: revision };
  if (revision < highest)
    reportViolation(world, {
      invariant: 'store-revision',
      severity: 'error',
      nodes: [node.id],
      detail: `the store's revision went back from ${highest} to ${revision}: fencing tokens issued from now on are lower than ones already handed out`,
      eventIndex,
    });
}
