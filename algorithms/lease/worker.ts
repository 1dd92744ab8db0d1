/**
 * A worker node: etcd's election recipe. It grants a lease, creates its key
 * /election/<id>-L<lease> bound to it (put-if-absent), watches the prefix, and leads while its key
 * has the lowest create revision; that revision is its fencing token. It keeps the lease
 * alive every TTL/3 and, while it leads, charges every customer once per billing period.
 *
 * Its states sit under one `worker` state, whose handlers (the billing tick, keep-alives
 * and their answers) apply whatever the worker is doing.
 *
 * Nothing survives a restart: a restarted worker campaigns afresh. What it remembers of
 * the store (the keys and the revision of the newest watch event) it trusts only as far
 * as it is sure of it:
 * - store revisions never go backwards (the store keeps its revision across restarts),
 *   so a watch event older than the newest one seen is a late one and is ignored;
 * - when its lease is lost, its key is gone, so it forgets its token and the keys it saw
 *   (they listed that key) and learns them again from the store;
 * - a campaign result makes it lead only if the keys it saw name exactly the key just
 *   created (same create revision) as the holder;
 * - a keep-alive answer carries the store's revision: one newer than the last watch
 *   event means an event went missing (our network can lose it; etcd's stream does not),
 *   so it asks for the keys again.
 *
 * Delays are in microseconds. Timer events carry `now` (the wall clock when handled).
 */
import { and, assign, cancel, enqueueActions, not, setup } from 'xstate';
import { eventOf, senderOf, startTimer } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import { afterNotLeader, nextReplica } from '../raft/replicated';
import { ELECTION_PREFIX, kit, type ElectionKey, type LeaseMessage } from './messages';
import { hasKey, leadsWith } from './rules';

export interface WorkerInput {
  id: NodeId;
  /** The store node it asks: with a replicated store, the replica it believes leads. */
  store: NodeId;
  /** Every store node (one, or the replicas of a Raft group, in order). */
  stores: NodeId[];
  payment: NodeId;
  ttl: number;
  keepAlive: number;
  billingPeriod: number;
  customers: number;
}

export interface WorkerContext extends WorkerInput {
  role: 'worker';
  lease: number | null;
  /** This worker's key's create revision: its fencing token (0 while it has no key). */
  token: number;
  /** The election keys as the newest watch event listed them. */
  keys: ElectionKey[];
  /** The store revision of the newest watch event: older ones that arrive late are ignored. */
  revision: number;
  /** A keep-alive is out and not yet answered (a replicated store: ask another replica). */
  unanswered: boolean;
}

export type WorkerEvent =
  | (LeaseMessage & { rand: number })
  | { type: 'TICK'; rand: number; now: number }
  | { type: 'KEEPALIVE'; rand: number }
  | { type: 'RETRY'; rand: number }
  | { type: 'LEASE_TIMEOUT'; rand: number };

/**
 * A campaign's key: one per lease, as in etcd's recipe (which names it after the lease).
 * A restarted worker's new key therefore never collides with the key of its previous
 * incarnation, which stays in line until that lease expires.
 */
const keyOf = (id: NodeId, lease: number) => `${ELECTION_PREFIX}${id}-L${lease}`;

export const workerMachine = setup({
  types: {
    context: {} as WorkerContext,
    events: {} as WorkerEvent,
    input: {} as WorkerInput,
  },
  actions: {
    ...kit.actions,
    requestLease: enqueueActions(({ context, enqueue }) => {
      kit.enqueueSend(enqueue, context.store, {
        type: 'LeaseGrant',
        from: context.id,
        ttl: context.ttl,
      });
      enqueue.raise({ type: 'RETRY', rand: 0 }, { id: 'retry', delay: context.keepAlive });
    }),
    campaign: enqueueActions(({ context, enqueue }) => {
      const lease = context.lease as number;
      kit.enqueueSend(enqueue, context.store, {
        type: 'Campaign',
        from: context.id,
        key: keyOf(context.id, lease),
        lease,
      });
      kit.enqueueSend(enqueue, context.store, {
        type: 'Watch',
        from: context.id,
        prefix: ELECTION_PREFIX,
      });
      enqueue.raise({ type: 'RETRY', rand: 0 }, { id: 'retry', delay: context.keepAlive });
    }),
    watch: enqueueActions(({ context, enqueue }) => {
      kit.enqueueSend(enqueue, context.store, {
        type: 'Watch',
        from: context.id,
        prefix: ELECTION_PREFIX,
      });
    }),
    sendKeepAlive: enqueueActions(({ context, enqueue }) => {
      if (context.lease !== null)
        kit.enqueueSend(enqueue, context.store, {
          type: 'KeepAlive',
          from: context.id,
          lease: context.lease,
        });
      enqueue.raise({ type: 'KEEPALIVE', rand: 0 }, { id: 'keepalive', delay: context.keepAlive });
    }),
    /** No answer from the replica it asked: try the next one (it names the leader if it knows). */
    tryNextStore: assign({ store: ({ context }) => nextReplica(context.stores, context.store) }),
    /**
     * A replica that does not lead refused a request: ask the leader it names at once, or,
     * while it knows none, the next replica when the request is due again.
     */
    followHint: enqueueActions(({ context, event, enqueue }) => {
      const m = eventOf(event, 'NotLeader');
      const { target, resend } = afterNotLeader(context.stores, context.store, m);
      if (target !== context.store) enqueue.assign({ store: target });
      if (resend) kit.enqueueSend(enqueue, target, { ...m.request, from: context.id });
    }),
    markUnanswered: assign({ unanswered: ({ context }) => context.lease !== null }),
    markAnswered: assign({ unanswered: false }),
    /**
     * A replicated store's answer renewed the lease: it lives, as far as this worker can
     * tell, one TTL from now (etcd's client keeps the same deadline and ends the session when
     * it passes without an answer).
     */
    armLocalLease: startTimer({ type: 'LEASE_TIMEOUT', rand: 0 }, 'lease', 'ttl'),
    scheduleTick: startTimer({ type: 'TICK', rand: 0, now: 0 }, 'tick', 'billingPeriod'),
    chargeDue: enqueueActions(({ context, event, enqueue }) => {
      const period = Math.floor(eventOf(event, 'TICK').now / context.billingPeriod);
      for (let c = 1; c <= context.customers; c++)
        kit.enqueueSend(enqueue, context.payment, {
          type: 'Charge',
          from: context.id,
          customer: c,
          period,
          token: context.token,
        });
    }),
    takeLease: assign({ lease: ({ event }) => eventOf(event, 'LeaseGranted').lease }),
    takeToken: assign({ token: ({ event }) => eventOf(event, 'CampaignResult').createRevision }),
    rememberKeys: assign(({ event }) => {
      const m = eventOf(event, 'WatchEvent');
      return { keys: m.keys, revision: m.revision };
    }),
    /** The watch event just remembered says our key is gone: so is our lease. */
    leaveLease: assign({ lease: null, token: 0 }),
    /**
     * The lease is lost: our key is gone, and the keys we saw listed it, so they are
     * forgotten with the token. The revision is kept: the store's revisions only grow.
     */
    forgetLease: assign({ lease: null, token: 0, keys: [] }),
  },
  guards: {
    fromStore: ({ context, event }) => context.stores.includes(senderOf(event)),
    replicated: ({ context }) => context.stores.length > 1,
    /** The previous keep-alive went unanswered: the replica asked may be gone or not lead. */
    keepAliveUnanswered: ({ context }) => context.stores.length > 1 && context.unanswered,
    leaseHeld: ({ context }) => context.lease !== null,
    /** A replicated store renewed the lease this worker holds. */
    renewed: ({ context, event }) => {
      const m = eventOf(event, 'KeepAliveAck');
      return context.stores.length > 1 && m.ok && m.lease === context.lease;
    },
    /** An answer to the campaign made with the lease we hold now. */
    forThisLease: ({ context, event }) => eventOf(event, 'CampaignResult').lease === context.lease,
    campaignWon: ({ event }) => eventOf(event, 'CampaignResult').ok,
    /** The keys already seen name the key just created as the holder. */
    holdsByKnownKeys: ({ context, event }) =>
      leadsWith(context.keys, context.id, eventOf(event, 'CampaignResult').createRevision),
    /** etcd delivers watch events in order; our network may not, so a late one is dropped. */
    staleWatch: ({ context, event }) => eventOf(event, 'WatchEvent').revision < context.revision,
    leadsNow: ({ context, event }) =>
      leadsWith(eventOf(event, 'WatchEvent').keys, context.id, context.token),
    keyGone: ({ context, event }) =>
      !hasKey(eventOf(event, 'WatchEvent').keys, context.id, context.token),
    leaseLost: ({ context, event }) => {
      const m = eventOf(event, 'KeepAliveAck');
      return !m.ok && m.lease === context.lease;
    },
    /** The store has changed since the newest watch event we saw: we missed one. */
    missedChange: ({ context, event }) =>
      eventOf(event, 'KeepAliveAck').revision > context.revision,
  },
  delays: {
    billingPeriod: ({ context }) => context.billingPeriod,
    ttl: ({ context }) => context.ttl,
  },
}).createMachine({
  id: 'lease-worker',
  // every field is read from the input by name: XState's own initialTransition() first
  // builds a throwaway actor without input, which must fail at once rather than run a
  // worker without timings (its retry would then loop without delay)
  context: ({ input }) => ({
    id: input.id,
    store: input.store,
    stores: input.stores,
    payment: input.payment,
    ttl: input.ttl,
    keepAlive: input.keepAlive,
    billingPeriod: input.billingPeriod,
    customers: input.customers,
    role: 'worker',
    lease: null,
    token: 0,
    keys: [],
    revision: 0,
    unanswered: false,
  }),
  initial: 'worker',
  states: {
    worker: {
      entry: ['scheduleTick', 'sendKeepAlive'],
      initial: 'granting',
      on: {
        TICK: { actions: 'scheduleTick' },
        KEEPALIVE: [
          {
            guard: 'keepAliveUnanswered',
            actions: ['tryNextStore', 'sendKeepAlive', 'markUnanswered'],
          },
          { guard: 'replicated', actions: ['sendKeepAlive', 'markUnanswered'] },
          { actions: 'sendKeepAlive' },
        ],
        KeepAliveAck: [
          { guard: 'leaseLost', target: '.granting', actions: ['forgetLease', 'markAnswered'] },
          {
            guard: and(['renewed', 'missedChange']),
            actions: ['armLocalLease', 'markAnswered', 'watch'],
          },
          { guard: 'renewed', actions: ['armLocalLease', 'markAnswered'] },
          { guard: 'missedChange', actions: 'watch' },
        ],
        NotLeader: { actions: 'followHint' },
        // a replicated store's lease outlived its last renewal here: step down and start over
        LEASE_TIMEOUT: { guard: 'leaseHeld', target: '.granting', actions: 'forgetLease' },
      },
      states: {
        granting: {
          entry: 'requestLease',
          exit: cancel('retry'),
          on: {
            RETRY: [
              { guard: 'replicated', target: 'granting', reenter: true, actions: 'tryNextStore' },
              { target: 'granting', reenter: true },
            ],
            LeaseGranted: [
              {
                guard: and(['fromStore', 'replicated']),
                target: 'campaigning',
                actions: ['takeLease', 'armLocalLease'],
              },
              { guard: 'fromStore', target: 'campaigning', actions: 'takeLease' },
            ],
          },
        },
        campaigning: {
          entry: 'campaign',
          exit: cancel('retry'),
          on: {
            RETRY: [
              {
                guard: 'replicated',
                target: 'campaigning',
                reenter: true,
                actions: 'tryNextStore',
              },
              { target: 'campaigning', reenter: true },
            ],
            WatchEvent: [{ guard: 'staleWatch' }, { actions: 'rememberKeys' }],
            CampaignResult: [
              // a late answer to a campaign made with an older lease says nothing about this one
              { guard: not('forThisLease') },
              // a watch event that already listed the new key as the holder may have come first
              {
                guard: and(['campaignWon', 'holdsByKnownKeys']),
                target: 'leading',
                actions: 'takeToken',
              },
              { guard: 'campaignWon', target: 'watching', actions: 'takeToken' },
              // the lease expired before the key was made
              { target: 'granting', actions: 'forgetLease' },
            ],
          },
        },
        watching: {
          on: {
            WatchEvent: [
              { guard: 'staleWatch' },
              { guard: 'leadsNow', target: 'leading', actions: 'rememberKeys' },
              { guard: 'keyGone', target: 'granting', actions: ['rememberKeys', 'leaveLease'] },
              { actions: 'rememberKeys' },
            ],
          },
        },
        leading: {
          on: {
            TICK: { actions: ['chargeDue', 'scheduleTick'] },
            WatchEvent: [
              { guard: 'staleWatch' },
              { guard: 'keyGone', target: 'granting', actions: ['rememberKeys', 'leaveLease'] },
              { guard: 'leadsNow', actions: 'rememberKeys' },
              { target: 'watching', actions: 'rememberKeys' },
            ],
          },
        },
      },
    },
  },
});
