/**
 * The store node: a small etcd serving the key-value logic of kv.ts over the network.
 * It answers lease grants and keep-alives, put-if-absent campaigns and prefix watches,
 * expires a lease when its timer (`lease-<id>`, the lease's TTL, restarted by each
 * keep-alive) runs out, and tells the watchers whenever keys under their prefix change.
 *
 * Its whole state is durable (revision, leases, keys, watchers): a restarted store comes
 * back with it and re-arms every lease's expiry with a full TTL from its recovery, as
 * etcd does, so fencing tokens (create revisions) never go backwards. The watcher list
 * stands for the clients' watch streams, which etcd's clients re-open as soon as the
 * store is back.
 *
 * Delays are in microseconds.
 */
import { enqueueActions, setup } from 'xstate';
import { eventOf, type SendParams } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import {
  endLease,
  grantLease,
  leaseIds,
  ownsLease,
  putIfAbsent,
  range,
  watch,
  watchersOf,
  type KvState,
} from './kv';
import { kit, type LeaseMessage } from './messages';

export interface StoreInput {
  id: NodeId;
  /** The state the previous incarnation persisted, or an empty store. */
  kv: KvState;
}

export interface StoreContext {
  id: NodeId;
  role: 'store';
  /** The key-value state (named so for the views, which read the store's keys from it). */
  store$: KvState;
}

export type StoreEvent =
  (LeaseMessage & { rand: number }) | { type: 'EXPIRE'; rand: number; lease: number };

/** The watch events owed to every watcher of a prefix that covers one of `changed`. */
function notifications(
  self: NodeId,
  st: KvState,
  changed: readonly string[],
): SendParams<LeaseMessage>[] {
  return watchersOf(st, changed).map((w) => ({
    to: w.node,
    message: { type: 'WatchEvent', from: self, revision: st.revision, keys: range(st, w.prefix) },
  }));
}

/** A lease's expiry timer: it dies `ttl` µs after it is (re)armed unless kept alive. */
const expiry = (lease: number, ttl: number) =>
  [
    { type: 'EXPIRE' as const, rand: 0, lease },
    { id: `lease-${lease}`, delay: ttl },
  ] as const;

export const storeMachine = setup({
  types: {
    context: {} as StoreContext,
    events: {} as StoreEvent,
    input: {} as StoreInput,
  },
  actions: {
    ...kit.actions,
    /** At boot: every lease recovered from disk gets a full TTL from now. */
    armLeases: enqueueActions(({ context, enqueue }) => {
      for (const lease of leaseIds(context.store$))
        enqueue.raise(...expiry(lease, context.store$.leases[lease].ttl));
    }),
    grant: enqueueActions(({ context, event, enqueue }) => {
      const m = eventOf(event, 'LeaseGrant');
      const { state, lease } = grantLease(context.store$, m.from, m.ttl);
      enqueue.assign({ store$: state });
      enqueue.raise(...expiry(lease, m.ttl));
      kit.enqueueSend(enqueue, m.from, {
        type: 'LeaseGranted',
        from: context.id,
        lease,
        ttl: m.ttl,
      });
    }),
    keepAlive: enqueueActions(({ context, event, enqueue }) => {
      const m = eventOf(event, 'KeepAlive');
      const st = context.store$;
      const ok = ownsLease(st, m.lease, m.from);
      if (ok) enqueue.raise(...expiry(m.lease, st.leases[m.lease].ttl));
      kit.enqueueSend(enqueue, m.from, {
        type: 'KeepAliveAck',
        from: context.id,
        lease: m.lease,
        ok,
        revision: st.revision,
      });
    }),
    campaign: enqueueActions(({ context, event, enqueue }) => {
      const m = eventOf(event, 'Campaign');
      const r = putIfAbsent(context.store$, m.key, m.from, m.lease);
      if (r.created) enqueue.assign({ store$: r.state });
      kit.enqueueSend(enqueue, m.from, {
        type: 'CampaignResult',
        from: context.id,
        key: m.key,
        lease: m.lease,
        ok: r.ok,
        createRevision: r.createRevision,
      });
      if (r.created)
        for (const n of notifications(context.id, r.state, [m.key]))
          kit.enqueueSend(enqueue, n.to, n.message);
    }),
    watch: enqueueActions(({ context, event, enqueue }) => {
      const m = eventOf(event, 'Watch');
      const st = context.store$;
      const next = watch(st, m.from, m.prefix);
      if (next !== st) enqueue.assign({ store$: next });
      kit.enqueueSend(enqueue, m.from, {
        type: 'WatchEvent',
        from: context.id,
        revision: st.revision,
        keys: range(st, m.prefix),
      });
    }),
    /** Ends a lease (expired, or revoked by its owner): its keys go and their watchers are told. */
    endLease: enqueueActions(({ context, event, enqueue }) => {
      const lease = eventOf(event, ['Revoke', 'EXPIRE']).lease;
      const { state, deleted } = endLease(context.store$, lease);
      if (state === context.store$) return;
      enqueue.assign({ store$: state });
      enqueue.cancel(`lease-${lease}`);
      for (const n of notifications(context.id, state, deleted))
        kit.enqueueSend(enqueue, n.to, n.message);
    }),
  },
  guards: {
    ownerRevokes: ({ context, event }) => {
      const m = eventOf(event, 'Revoke');
      return ownsLease(context.store$, m.lease, m.from);
    },
  },
}).createMachine({
  id: 'lease-store',
  context: ({ input }) => ({ id: input.id, role: 'store', store$: input.kv }),
  initial: 'store',
  states: {
    store: {
      entry: 'armLeases',
      on: {
        LeaseGrant: { actions: 'grant' },
        KeepAlive: { actions: 'keepAlive' },
        Campaign: { actions: 'campaign' },
        Watch: { actions: 'watch' },
        Revoke: { guard: 'ownerRevokes', actions: 'endLease' },
        EXPIRE: { actions: 'endLease' },
      },
    },
  },
});
