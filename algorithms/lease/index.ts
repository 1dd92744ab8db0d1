/**
 * Lease election on an etcd-like store as one plug-in: the engine's model (model.ts)
 * plus what people see: words, message kinds, narration, inspector facts and lessons.
 */
import type { AlgorithmDefinition, RoleClass } from '../core/definition';
import type { MessageBody, MessageKind } from '../sim/types';
import {
  leaseDefaults,
  leaseModel,
  leaseParamsSchema,
  storesOf,
  type LeaseContext,
  type LeaseParams,
} from './model';
import { ELECTION_PREFIX } from './messages';
import type { PaymentContext } from './payment';
import { range } from './kv';
import type { LeaseMessage } from './messages';
import { narrateLease, STORE_WORDS } from './narration';
import { leaseLessons } from './lessons';
import { leasePresets } from './presets';
import {
  isReplicaState,
  replicaFacts,
  replicaKindOf,
  replicaLook,
  replicaMessages,
  replicaStateWords,
} from '../raft/replicatedWords';
import type { ReplicaContext } from './replica';

function kindOf(body: MessageBody): MessageKind {
  const m = body as unknown as LeaseMessage;
  switch (m.type) {
    case 'LeaseGrant':
    case 'Campaign':
    case 'Watch':
    case 'Charge':
      return 'request';
    case 'LeaseGranted':
      return 'granted';
    case 'CampaignResult':
      return m.ok ? 'granted' : 'refused';
    case 'KeepAlive':
      return 'heartbeat';
    case 'KeepAliveAck':
      return m.ok ? 'ack' : 'refused';
    case 'WatchEvent':
      return 'announcement';
    case 'ChargeResult':
      return m.outcome === 'charged' ? 'ack' : 'refused';
    case 'NotLeader':
      return 'refused';
    default:
      return replicaKindOf(body);
  }
}

function roleOf(state: string): RoleClass {
  const leaf = state.split('.').pop() ?? state;
  if (leaf === 'leading') return 'leader';
  if (leaf === 'watching') return 'follower';
  if (leaf === 'granting' || leaf === 'campaigning') return 'candidate';
  return 'other';
}

export const lease: AlgorithmDefinition<LeaseParams> = {
  ...leaseModel,
  title: 'Lease (etcd)',
  description:
    'Lease election on an etcd-like store, as most production systems do it: the first node is ' +
    'a strongly consistent store, the last a payment service, the others workers. Each worker ' +
    'takes a lease with a time to live (5 s), creates its own key under /election/ bound to it ' +
    'and watches the prefix; the key with the lowest create revision leads, and that revision is ' +
    'its fencing token. The leader keeps its lease alive and charges every customer once per ' +
    'billing period. A leader paused longer than its TTL loses its lease and wakes up still ' +
    'believing it leads: without fencing it charges customers twice; with fencing the payment ' +
    'service rejects its lower token.',
  params: leaseParamsSchema,
  defaults: leaseDefaults,
  minNodes: 3,
  quorum: (params, ids) => {
    const members = storesOf(ids, params);
    return { members, who: members.length > 1 ? 'store replicas' : 'store' };
  },
  validate(params, ids) {
    const out: { path: string; message: string }[] = [];
    const n = params.storeNodes ?? 1;
    if (n > 1 && ids.length < n + 2)
      out.push({
        path: 'params.storeNodes',
        message: `${n} store replicas need at least ${n + 2} nodes (a worker and the payment service besides)`,
      });
    if (n > 1 && params.store !== undefined)
      out.push({
        path: 'params.store',
        message: 'with storeNodes 3 or 5 the store is the first nodes listed: leave store unset',
      });
    if (n > 1 && params.payment !== undefined && ids.slice(0, n).includes(params.payment))
      out.push({
        path: 'params.payment',
        message: `node ${params.payment} is a store replica`,
      });
    for (const key of ['store', 'payment'] as const) {
      const id = params[key];
      if (typeof id === 'number' && !ids.includes(id))
        out.push({ path: `params.${key}`, message: `unknown node id ${id}` });
    }
    return out;
  },
  vocabulary: { leader: 'leader', epoch: 'revision' },
  leaderRule: 'lowest-revision',
  roles: [
    'leader',
    'candidate',
    'follower',
    { role: 'service', state: 'store' },
    { role: 'service', state: 'payment' },
  ],
  look(summary, state) {
    if (state === 'store') return { text: 'STORE', glyph: '▤', tone: 'system' };
    // a replica of a replicated store: the store's look, with its role in the store's Raft group
    const replica = replicaLook(STORE_WORDS, state);
    if (replica !== undefined) return replica;
    if (state === 'payment') return { text: 'SERVICE', glyph: '◆', tone: 'service' };
    return undefined;
  },
  roleOf,
  initialRole: 'candidate',
  stateWords: {
    leading: 'the leader',
    watching: 'a follower watching the election keys',
    granting: 'a worker asking for a lease',
    campaigning: 'a campaigning worker',
    store: 'the store',
    payment: 'the payment service',
    ...replicaStateWords(STORE_WORDS),
  },
  messages: {
    LeaseGrant: { kind: 'request', text: 'A worker asks the store for a lease with a TTL' },
    LeaseGranted: { kind: 'granted', text: 'The store grants a lease' },
    KeepAlive: { kind: 'heartbeat', text: 'A worker keeps its lease alive' },
    KeepAliveAck: {
      kind: 'ack',
      kinds: ['ack', 'refused'],
      text: 'The store says whether the lease is still alive',
    },
    Campaign: {
      kind: 'request',
      text: 'Create /election/<worker> bound to the lease, if it is absent',
    },
    CampaignResult: {
      kind: 'granted',
      kinds: ['granted', 'refused'],
      text: 'The key’s create revision: the fencing token',
    },
    Watch: { kind: 'request', text: 'Watch the keys under /election/' },
    WatchEvent: { kind: 'announcement', text: 'The election keys changed' },
    Revoke: { kind: 'other', text: 'End a lease at once and delete its keys' },
    Charge: { kind: 'request', text: 'The leader charges a customer for a billing period' },
    ChargeResult: {
      kind: 'ack',
      kinds: ['ack', 'refused'],
      text: 'The payment service charged, or refused',
    },
    ...replicaMessages(STORE_WORDS),
  },
  kindOf,
  explain(before, after, event) {
    const c = before.context as LeaseContext;
    // a store replica: how far its applied state moved (entries committed and applied)
    if (c.role === 'store' && 'log' in c) {
      const a = after.context as ReplicaContext;
      return a.applied > c.applied ? `applied ${a.applied}` : undefined;
    }
    // the store's answer to a keep-alive: the lease is alive (renewed) or gone (expired)
    if (c.role === 'store' && event.type === 'KeepAlive') {
      const e = event as unknown as { from: number; lease: number };
      return c.store$.leases[e.lease]?.owner === e.from ? 'renewed' : 'expired';
    }
    // the payment service's decision on a charge
    if (c.role === 'payment' && event.type === 'Charge')
      return (after.context as PaymentContext).last?.outcome;
    return undefined;
  },
  timers: {
    EXPIRE: 'A lease’s TTL ran out at the store (a replicated store’s leader proposes ending it)',
    LEASE_TIMEOUT:
      'A worker heard no renewal from a replicated store for a TTL: its lease may be gone',
    ELECTION_TIMEOUT: 'A store replica heard from no store leader in time',
    HEARTBEAT: 'The store leader’s heartbeat interval',
    QUORUM_CHECK: 'The store leader checks that a majority of replicas answered lately',
    KEEPALIVE: 'A worker’s keep-alive interval (TTL / 3)',
    RETRY: 'No answer from the store in time: ask again',
    TICK: 'The billing period',
    TIMEOUT: 'A timeout forced by the user',
  },
  epochName: (state) =>
    state === 'store' || isReplicaState(state)
      ? 'revision'
      : state === 'payment'
        ? 'highest token seen'
        : 'fencing token',
  epochText(s, state) {
    if (s.term === undefined) return '';
    if (state === 'store' || isReplicaState(state)) return `rev ${s.term}`;
    if (state === 'payment') return `max ${s.term}`;
    return `token ${s.term}`;
  },
  contextFields: {
    config: ['store', 'payment', 'ttl', 'keepAlive', 'billingPeriod', 'customers'],
    micros: ['ttl', 'keepAlive', 'billingPeriod'],
  },
  narrate: narrateLease,
  facts({ context }) {
    const c = context as LeaseContext | undefined;
    if (!c) return [];
    if (c.role === 'store' && 'log' in c)
      return [
        ...replicaFacts(STORE_WORDS, c),
        { label: 'revision', value: String(c.store$.revision), hint: 'Grows on every change' },
        {
          label: 'keys',
          value:
            range(c.store$, ELECTION_PREFIX)
              .map((k) => `${k.key} (rev ${k.createRevision})`)
              .join(', ') || 'none',
          hint: 'The lowest create revision leads',
        },
      ];
    if (c.role === 'store')
      return [
        { label: 'revision', value: String(c.store$.revision), hint: 'Grows on every change' },
        {
          label: 'keys',
          value:
            range(c.store$, ELECTION_PREFIX)
              .map((k) => `${k.key} (rev ${k.createRevision})`)
              .join(', ') || 'none',
          hint: 'The lowest create revision leads',
        },
      ];
    if (c.role === 'payment')
      return [
        { label: 'charges', value: String(c.book.charges) },
        { label: 'duplicates', value: String(c.book.duplicates) },
        { label: 'highest token', value: String(c.book.maxToken) },
        {
          label: 'checks',
          value: `fencing ${c.book.fencing ? 'on' : 'off'}, idempotency ${c.book.idempotent ? 'on' : 'off'}`,
          hint: 'Fencing rejects a lower token; idempotency refuses a second charge for one period',
        },
      ];
    return [
      {
        label: 'fencing token',
        value: c.token > 0 ? String(c.token) : 'none yet',
        hint: 'The create revision of its key',
      },
      { label: 'lease', value: c.lease === null ? 'none' : String(c.lease) },
    ];
  },
  invariants: {
    ledger: {
      title: 'Ledger',
      promise: 'a charge reported as new was never charged before, in any incarnation',
    },
    'duplicate-charge': {
      title: 'No double charge',
      promise: 'no customer pays twice for one billing period',
    },
    'store-revision': {
      title: 'Store revision',
      promise: 'the store’s revision never goes backwards, restarts included',
    },
    'store-log': {
      title: 'Store replicas agree',
      promise: 'no two store replicas apply different requests at the same log index',
    },
  },
  presets: leasePresets,
  lessons: leaseLessons,
};
