/**
 * Lease-based leader election on an etcd-like store (one XState machine; the role comes
 * from the input): the store, the payment service, and the workers that campaign.
 *
 * - store: a linearizable key-value map with a revision counter, leases with a TTL
 *   (a timer per lease, restarted by each keep-alive), put-if-absent on a key bound to a
 *   lease, deletion of a lease's keys when it expires, and watches on a prefix.
 * - worker: grants a lease, creates its key /election/<id> with it, watches the prefix
 *   and leads while its key has the lowest create revision (etcd's election recipe);
 *   keeps the lease alive every TTL/3; that create revision is its fencing token. While
 *   it leads it charges every customer once per billing period.
 * - payment: records every charge; with fencing it rejects a token below the highest seen.
 *
 * Delays are in microseconds. Timer events carry `now` (the wall clock when handled).
 */
import { and, assign, cancel, enqueueActions, raise, setup } from 'xstate';
import type { NodeId } from '../sim/types';
import { ELECTION_PREFIX, type ElectionKey, type LeaseMessage } from './messages';
import { decideCharge, leads, type PaymentBook } from './rules';

export type LeaseRole = 'store' | 'payment' | 'worker';

export interface LeaseInput {
  id: NodeId;
  role: LeaseRole;
  store: NodeId;
  payment: NodeId;
  ttl: number;
  keepAlive: number;
  billingPeriod: number;
  customers: number;
  fencing: boolean;
  rand: number;
}

export interface StoreState {
  revision: number;
  nextLease: number;
  /** lease id -> owner */
  leases: Record<number, NodeId>;
  keys: ElectionKey[];
  watchers: NodeId[];
}

export interface LeaseContext extends LeaseInput {
  // worker
  lease: number | null;
  /** This worker's key's create revision: its fencing token (0 before it has a key). */
  token: number;
  keys: ElectionKey[];
  /** The newest store revision seen in a watch event: older ones that arrive late are ignored. */
  revision: number;
  store$: StoreState;
  book: PaymentBook;
}

type Msg<T extends LeaseMessage['type']> = Extract<LeaseMessage, { type: T }> & { rand: number };
export type LeaseEvent =
  | (LeaseMessage & { rand: number })
  | { type: 'TIMEOUT'; rand: number }
  | { type: 'TICK'; rand: number; now: number }
  | { type: 'KEEPALIVE'; rand: number }
  | { type: 'RETRY'; rand: number }
  | { type: 'EXPIRE'; rand: number; lease: number };

const as = <T extends LeaseMessage['type']>(e: LeaseEvent, _type: T) => e as unknown as Msg<T>;

type Send = { to: NodeId; message: LeaseMessage };

const keyOf = (id: NodeId) => `${ELECTION_PREFIX}${id}`;

/** Queues the engine-interpreted `send` action from inside enqueueActions. */
const sendTo = (enqueue: unknown, to: NodeId, message: LeaseMessage) =>
  (enqueue as (action: { type: 'send'; params: Send }) => void)({
    type: 'send',
    params: { to, message },
  });

export const leaseMachine = setup({
  types: { context: {} as LeaseContext, events: {} as LeaseEvent, input: {} as LeaseInput },
  actions: {
    send: (_, _p: Send) => {},
    broadcast: (_, _p: { message: LeaseMessage }) => {},
    // ---- worker ----
    requestLease: enqueueActions(({ context, enqueue }) => {
      sendTo(enqueue, context.store, { type: 'LeaseGrant', from: context.id, ttl: context.ttl });
      enqueue.raise({ type: 'RETRY', rand: 0 }, { id: 'retry', delay: context.keepAlive });
    }),
    campaign: enqueueActions(({ context, enqueue }) => {
      const lease = context.lease as number;
      sendTo(enqueue, context.store, {
        type: 'Campaign',
        from: context.id,
        key: keyOf(context.id),
        lease,
      });
      sendTo(enqueue, context.store, { type: 'Watch', from: context.id, prefix: ELECTION_PREFIX });
      enqueue.raise({ type: 'RETRY', rand: 0 }, { id: 'retry', delay: context.keepAlive });
    }),
    sendKeepAlive: enqueueActions(({ context, enqueue }) => {
      if (context.lease !== null)
        sendTo(enqueue, context.store, {
          type: 'KeepAlive',
          from: context.id,
          lease: context.lease,
        });
      enqueue.raise({ type: 'KEEPALIVE', rand: 0 }, { id: 'keepalive', delay: context.keepAlive });
    }),
    scheduleTick: raise(
      { type: 'TICK', rand: 0, now: 0 },
      { id: 'tick', delay: ({ context }) => context.billingPeriod },
    ),
    chargeDue: enqueueActions(({ context, event, enqueue }) => {
      const period = Math.floor((event as { now: number }).now / context.billingPeriod);
      for (let c = 1; c <= context.customers; c++)
        sendTo(enqueue, context.payment, {
          type: 'Charge',
          from: context.id,
          customer: c,
          period,
          token: context.token,
        });
    }),
    rememberKeys: assign(({ event }) => {
      const m = as(event, 'WatchEvent');
      return { keys: m.keys, revision: m.revision };
    }),
    forgetLease: assign({ lease: null, token: 0 }),
    // ---- store ----
    storeHandle: enqueueActions(({ context, event, enqueue }) => {
      const st = context.store$;
      const e = event as LeaseMessage;
      const reply = (to: NodeId, message: LeaseMessage) => sendTo(enqueue, to, message);
      const notify = (next: StoreState) => {
        for (const w of next.watchers)
          reply(w, {
            type: 'WatchEvent',
            from: context.id,
            revision: next.revision,
            keys: next.keys,
          });
      };
      const expireTimer = (lease: number) =>
        enqueue.raise(
          { type: 'EXPIRE', rand: 0, lease },
          { id: `lease-${lease}`, delay: context.ttl },
        );
      const dropLease = (lease: number) => {
        if (st.leases[lease] === undefined) return;
        const leases = { ...st.leases };
        delete leases[lease];
        const keys = st.keys.filter((k) => k.lease !== lease);
        const next = {
          ...st,
          leases,
          keys,
          revision: keys.length !== st.keys.length ? st.revision + 1 : st.revision,
        };
        enqueue.assign({ store$: next });
        enqueue.cancel(`lease-${lease}`);
        if (keys.length !== st.keys.length) notify(next);
      };
      switch (event.type) {
        case 'LeaseGrant': {
          const lease = st.nextLease;
          enqueue.assign({
            store$: { ...st, nextLease: lease + 1, leases: { ...st.leases, [lease]: e.from } },
          });
          expireTimer(lease);
          reply(e.from, { type: 'LeaseGranted', from: context.id, lease, ttl: context.ttl });
          return;
        }
        case 'KeepAlive': {
          const m = as(event, 'KeepAlive');
          const ok = st.leases[m.lease] === m.from;
          if (ok) expireTimer(m.lease);
          reply(m.from, { type: 'KeepAliveAck', from: context.id, lease: m.lease, ok });
          return;
        }
        case 'Campaign': {
          const m = as(event, 'Campaign');
          if (st.leases[m.lease] !== m.from) {
            reply(m.from, {
              type: 'CampaignResult',
              from: context.id,
              key: m.key,
              ok: false,
              createRevision: 0,
            });
            return;
          }
          const existing = st.keys.find((k) => k.key === m.key);
          if (existing) {
            reply(m.from, {
              type: 'CampaignResult',
              from: context.id,
              key: m.key,
              ok: existing.lease === m.lease,
              createRevision: existing.createRevision,
            });
            return;
          }
          const revision = st.revision + 1;
          const next = {
            ...st,
            revision,
            keys: [
              ...st.keys,
              { key: m.key, owner: m.from, lease: m.lease, createRevision: revision },
            ],
          };
          enqueue.assign({ store$: next });
          reply(m.from, {
            type: 'CampaignResult',
            from: context.id,
            key: m.key,
            ok: true,
            createRevision: revision,
          });
          notify(next);
          return;
        }
        case 'Watch': {
          const next = st.watchers.includes(e.from)
            ? st
            : { ...st, watchers: [...st.watchers, e.from] };
          if (next !== st) enqueue.assign({ store$: next });
          reply(e.from, {
            type: 'WatchEvent',
            from: context.id,
            revision: st.revision,
            keys: st.keys,
          });
          return;
        }
        case 'Revoke':
          if (st.leases[as(event, 'Revoke').lease] === e.from) dropLease(as(event, 'Revoke').lease);
          return;
        case 'EXPIRE':
          dropLease((event as { lease: number }).lease);
          return;
      }
    }),
    // ---- payment service ----
    recordCharge: enqueueActions(({ context, event, enqueue }) => {
      const m = as(event, 'Charge');
      const { book, outcome } = decideCharge(context.book, m);
      enqueue.assign({ book });
      sendTo(enqueue, m.from, {
        type: 'ChargeResult',
        from: context.id,
        customer: m.customer,
        period: m.period,
        outcome,
      });
    }),
  },
  guards: {
    isStore: ({ context }) => context.role === 'store',
    isPayment: ({ context }) => context.role === 'payment',
    fromStore: ({ context, event }) => (event as { from: NodeId }).from === context.store,
    campaignWon: ({ event }) => as(event, 'CampaignResult').ok,
    /** etcd delivers watch events in order; our network may not, so a late one is dropped. */
    staleWatch: ({ context, event }) => as(event, 'WatchEvent').revision < context.revision,
    leadsNow: ({ context, event }) => leads(as(event, 'WatchEvent').keys, context.id),
    leadsByKnownKeys: ({ context }) => leads(context.keys, context.id),
    keyGone: ({ context, event }) =>
      !as(event, 'WatchEvent').keys.some((k) => k.owner === context.id),
    leaseLost: ({ context, event }) => {
      const m = as(event, 'KeepAliveAck');
      return !m.ok && m.lease === context.lease;
    },
  },
}).createMachine({
  id: 'lease',
  context: ({ input }) => ({
    ...input,
    lease: null,
    token: 0,
    keys: [],
    revision: 0,
    store$: { revision: 0, nextLease: 1, leases: {}, keys: [], watchers: [] },
    book: {
      fencing: input.fencing,
      maxToken: 0,
      charged: {},
      charges: 0,
      duplicates: 0,
      rejected: 0,
      alreadyCharged: 0,
    },
  }),
  initial: 'boot',
  states: {
    boot: {
      always: [
        { guard: 'isStore', target: 'store' },
        { guard: 'isPayment', target: 'payment' },
        { target: 'worker' },
      ],
    },
    store: {
      on: {
        LeaseGrant: { actions: 'storeHandle' },
        KeepAlive: { actions: 'storeHandle' },
        Campaign: { actions: 'storeHandle' },
        Watch: { actions: 'storeHandle' },
        Revoke: { actions: 'storeHandle' },
        EXPIRE: { actions: 'storeHandle' },
      },
    },
    payment: {
      on: { Charge: { actions: 'recordCharge' } },
    },
    worker: {
      entry: ['scheduleTick', 'sendKeepAlive'],
      initial: 'granting',
      on: {
        TICK: { actions: 'scheduleTick' },
        KEEPALIVE: { actions: 'sendKeepAlive' },
        KeepAliveAck: {
          guard: 'leaseLost',
          target: '.granting',
          actions: assign({ lease: null, token: 0 }),
        },
      },
      states: {
        granting: {
          entry: 'requestLease',
          exit: cancel('retry'),
          on: {
            RETRY: { target: 'granting', reenter: true },
            LeaseGranted: {
              guard: 'fromStore',
              target: 'campaigning',
              actions: assign({ lease: ({ event }) => as(event, 'LeaseGranted').lease }),
            },
          },
        },
        campaigning: {
          entry: 'campaign',
          exit: cancel('retry'),
          on: {
            RETRY: { target: 'campaigning', reenter: true },
            WatchEvent: [{ guard: 'staleWatch' }, { actions: 'rememberKeys' }],
            CampaignResult: [
              {
                // a watch event that already listed our key may have come first
                guard: and(['campaignWon', 'leadsByKnownKeys']),
                target: 'leading',
                actions: assign({
                  token: ({ event }) => as(event, 'CampaignResult').createRevision,
                }),
              },
              {
                guard: 'campaignWon',
                target: 'watching',
                actions: assign({
                  token: ({ event }) => as(event, 'CampaignResult').createRevision,
                }),
              },
              { target: 'granting', actions: assign({ lease: null, token: 0 }) },
            ],
          },
        },
        watching: {
          on: {
            WatchEvent: [
              { guard: 'staleWatch' },
              { guard: 'leadsNow', target: 'leading', actions: 'rememberKeys' },
              { guard: 'keyGone', target: 'granting', actions: ['rememberKeys', 'forgetLease'] },
              { actions: 'rememberKeys' },
            ],
          },
        },
        leading: {
          on: {
            TICK: { actions: ['chargeDue', 'scheduleTick'] },
            WatchEvent: [
              { guard: 'staleWatch' },
              { guard: 'keyGone', target: 'granting', actions: ['rememberKeys', 'forgetLease'] },
              { guard: 'leadsNow', actions: 'rememberKeys' },
              { target: 'watching', actions: 'rememberKeys' },
            ],
          },
        },
      },
    },
  },
});
