/**
 * The store as one pure state machine: `(state, request) -> (state, effects)`. A store
 * replica applies every committed log entry with it, in log order, on every replica, so
 * all replicas hold the same state at the same applied index; only the Raft leader carries
 * out the effects (answers, watch events, lease timers), as etcd's leader answers the
 * client whose proposal it applied. Nothing here reads a clock or a node: a lease's expiry
 * is an entry (`Expire`) the leader proposes when its timer runs out, as etcd revokes an
 * expired lease through a proposal.
 *
 * Any recipe built on the key-value logic of kv.ts can use it the same way: a request
 * type, a pure apply, and effects that only the leader performs.
 */
import type { SendParams } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import {
  endLease,
  grantLease,
  ownsLease,
  putIfAbsent,
  range,
  watch,
  watchersOf,
  type KvState,
} from './kv';
import type { LeaseMessage, StoreRequest } from './messages';

/** A log entry's command: a worker's request, or the leader's decision that a lease expired. */
export type StoreCommand = StoreRequest | { type: 'Expire'; from: NodeId; lease: number };

/** What applying a command asks of the node that leads, in order. */
export type StoreEffect =
  | { send: SendParams<LeaseMessage> }
  /** (Re)start the lease's expiry timer: it dies `ttl` µs from now unless kept alive. */
  | { arm: number; ttl: number }
  | { cancel: number };

export interface Applied {
  state: KvState;
  effects: StoreEffect[];
}

/** The watch events owed to every watcher of a prefix that covers one of `changed`. */
function notify(self: NodeId, st: KvState, changed: readonly string[]): StoreEffect[] {
  return watchersOf(st, changed).map((w) => ({
    send: {
      to: w.node,
      message: { type: 'WatchEvent', from: self, revision: st.revision, keys: range(st, w.prefix) },
    },
  }));
}

/** Applies one command to the store state; `self` is the node that answers. */
export function applyCommand(self: NodeId, st: KvState, c: StoreCommand): Applied {
  switch (c.type) {
    case 'LeaseGrant': {
      const { state, lease } = grantLease(st, c.from, c.ttl);
      return {
        state,
        effects: [
          { arm: lease, ttl: c.ttl },
          {
            send: { to: c.from, message: { type: 'LeaseGranted', from: self, lease, ttl: c.ttl } },
          },
        ],
      };
    }
    case 'KeepAlive': {
      const ok = ownsLease(st, c.lease, c.from);
      const reply: StoreEffect = {
        send: {
          to: c.from,
          message: {
            type: 'KeepAliveAck',
            from: self,
            lease: c.lease,
            ok,
            revision: st.revision,
          },
        },
      };
      return {
        state: st,
        effects: ok ? [{ arm: c.lease, ttl: st.leases[c.lease].ttl }, reply] : [reply],
      };
    }
    case 'Campaign': {
      const r = putIfAbsent(st, c.key, c.from, c.lease);
      const reply: StoreEffect = {
        send: {
          to: c.from,
          message: {
            type: 'CampaignResult',
            from: self,
            key: c.key,
            lease: c.lease,
            ok: r.ok,
            createRevision: r.createRevision,
          },
        },
      };
      return {
        state: r.state,
        effects: r.created ? [reply, ...notify(self, r.state, [c.key])] : [reply],
      };
    }
    case 'Watch': {
      const state = watch(st, c.from, c.prefix);
      return {
        state,
        effects: [
          {
            send: {
              to: c.from,
              message: {
                type: 'WatchEvent',
                from: self,
                revision: st.revision,
                keys: range(st, c.prefix),
              },
            },
          },
        ],
      };
    }
    case 'Revoke':
    case 'Expire': {
      if (c.type === 'Revoke' && !ownsLease(st, c.lease, c.from)) return { state: st, effects: [] };
      const { state, deleted } = endLease(st, c.lease);
      if (state === st) return { state: st, effects: [] };
      return { state, effects: [{ cancel: c.lease }, ...notify(self, state, deleted)] };
    }
  }
}
