/**
 * The ZooKeeper election's own invariants, checked after every event that changed a
 * node's snapshot, with their memory in world.invariantState (so they hold across
 * restarts):
 *
 * - ledger and duplicate-charge: the payment service's, exactly as the lease election
 *   checks them (the same service and book);
 * - zxid (error): the service's zxid never goes backwards, across its restarts too;
 *   fencing tokens are czxids, so they would go backwards with it. With an ensemble each
 *   replica's applied zxid is watched on its own (a follower may trail the leader, but
 *   never goes back);
 * - ensemble-log (error, ensemble): no two replicas ever apply different entries at the
 *   same log index (Raft's state-machine safety, for the service's transactions).
 */
import type { NodeCheck } from '../sim/types';
import { reportViolation } from '../sim/world';
import { checkLease } from '../lease/checks';
import type { ServiceContext } from './service';
import type { ZkReplicaContext } from './replica';
import { checkReplicatedLog } from '../raft/replicated';

export function checkZookeeper(check: NodeCheck): void {
  const c = check.world.nodes[check.idx].snapshot.context as { role: string };
  if (c.role === 'payment') checkLease(check);
  else if (c.role === 'zk') {
    checkZxid(check);
    if ('log' in c)
      checkReplicatedLog(check, {
        invariant: 'ensemble-log',
        key: 'ensembleCommitted',
        noun: 'ensemble replica',
      });
  }
}

function checkZxid({ world, idx, eventIndex }: NodeCheck): void {
  const node = world.nodes[idx];
  const ctx = node.snapshot.context as ServiceContext | ZkReplicaContext;
  const { zxid } = ctx.zk;
  const key = 'log' in ctx ? `zxid@${node.id}` : 'zxid';
  const seen = world.invariantState[key] as number | undefined;
  if (seen !== undefined && zxid < seen)
    reportViolation(world, {
      invariant: 'zxid',
      severity: 'error',
      nodes: [node.id],
      detail: `the service's zxid went back from ${seen} to ${zxid}: fencing tokens issued from now on are lower than ones already handed out`,
      eventIndex,
    });
  // after a regression the mark follows the service down: one regression, one report
  if (zxid !== seen) world.invariantState = { ...world.invariantState, [key]: zxid };
}
