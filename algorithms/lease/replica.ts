/**
 * A store replica (`storeNodes` 3 or 5): the replicated state machine on Raft of
 * algorithms/raft/replicated.ts, with the store's pure state machine (apply.ts) applied to
 * every committed entry. What is the store's own:
 *
 * - the requests it accepts (`LeaseGrant`, `KeepAlive`, `Campaign`, `Watch`, `Revoke`),
 *   each a log entry as it is; reads (`Watch`) go through the log too, so they are
 *   linearizable;
 * - lease expiry is the leader's decision: its `lease-<id>` timer proposes an `Expire`
 *   entry (if the lease still exists), and the lease ends when that entry is applied, as
 *   etcd revokes an expired lease through a proposal;
 * - a new leader restarts the time to live of every lease it knows, as etcd does when
 *   leadership changes, so a change of store leader never costs a worker its lease.
 *
 * Durable (etcd keeps both on disk): Raft's term, vote and log, and the applied store
 * state with its index.
 */
import type { AnyStateMachine } from 'xstate';
import type { LogEntry } from '../raft/messages';
import {
  replicatedMachine,
  type ReplicaEffect,
  type ReplicatedContext,
  type ReplicatedInput,
  type TimerEffect,
} from '../raft/replicated';
import { applyCommand, type StoreCommand, type StoreEffect } from './apply';
import { leaseIds, type KvState } from './kv';
import type { LeaseMessage, StoreRequest } from './messages';

export type StoreEntry = LogEntry<StoreCommand>;

export type ReplicaInput = ReplicatedInput<KvState, StoreCommand>;

export interface ReplicaContext extends ReplicatedContext<StoreCommand> {
  role: 'store';
  /** The store state after applying the log up to `applied` (named so for the views). */
  store$: KvState;
}

const STORE_REQUESTS: StoreRequest['type'][] = [
  'LeaseGrant',
  'KeepAlive',
  'Campaign',
  'Watch',
  'Revoke',
];

/** A lease's expiry timer: it dies `ttl` µs from now unless kept alive. */
const expiry = (lease: number, ttl: number): TimerEffect => ({
  arm: `lease-${lease}`,
  delay: ttl,
  event: { type: 'EXPIRE', rand: 0, lease } as TimerEffect['event'],
});

const asReplicaEffect = (e: StoreEffect): ReplicaEffect<LeaseMessage> =>
  'send' in e ? e : 'arm' in e ? expiry(e.arm, e.ttl) : { cancel: `lease-${e.cancel}` };

export const replicaMachine: AnyStateMachine = replicatedMachine<
  KvState,
  StoreCommand,
  StoreRequest,
  LeaseMessage
>({
  id: 'lease-store-replica',
  role: 'store',
  stateKey: 'store$',
  requests: STORE_REQUESTS,
  command: (request) => request,
  apply(self, state, command) {
    const r = applyCommand(self, state, command);
    return { state: r.state, effects: r.effects.map(asReplicaEffect) };
  },
  timers: (st) => leaseIds(st).map((lease) => expiry(lease, st.leases[lease].ttl)),
  timerEvents: ['EXPIRE'],
  onTimer(st, event, self) {
    const lease = (event as unknown as { lease: number }).lease;
    return st.leases[lease] === undefined ? null : { type: 'Expire', from: self, lease };
  },
});
