/**
 * The lease election as the engine sees it: three roles, each with its own machine. The
 * store is the first node listed unless `store` says otherwise, the payment service the
 * last unless `payment` says otherwise; every other node is a worker that campaigns.
 *
 * What survives a restart is part of each role: the store keeps its whole key-value state
 * (etcd keeps revisions and leases on disk), the payment service its book (a real one
 * keeps its ledger in a database), a worker nothing.
 */
import { z } from 'zod';
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { ms } from '../sim/time';
import type { AlgorithmModel, MessageBody, NodeId, NodeInput, NodeSummary } from '../sim/types';
import { label as raftLabel, type RaftMessage } from '../raft/messages';
import { checkLease } from './checks';
import { emptyKv, range, type KvState } from './kv';
import { ELECTION_PREFIX, label, type LeaseMessage } from './messages';
import { paymentMachine, type PaymentContext, type PaymentInput } from './payment';
import { emptyBook, holder, type PaymentBook } from './rules';
import { storeMachine, type StoreContext, type StoreInput } from './store';
import { replicaMachine, type ReplicaContext, type ReplicaInput, type StoreEntry } from './replica';
import { workerMachine, type WorkerContext, type WorkerInput } from './worker';

const positiveMs = z.number().finite().min(1).max(600_000);
const nodeId = z.number().int().min(1).max(999);

export const leaseParamsSchema = z
  .object({
    /** Lease time to live (etcd's TTL), ms. */
    ttl: positiveMs.default(5000),
    /** Keep-alive interval, ms; default TTL / 3 as etcd clients do. */
    keepAlive: positiveMs.optional(),
    /** The leader charges every customer once per billing period, ms. */
    billingPeriod: positiveMs.default(1000),
    customers: z.number().int().min(1).max(20).default(3),
    /** The payment service rejects a fencing token lower than the highest it has seen. */
    fencing: z.boolean().default(true),
    /**
     * The payment service refuses to charge a customer twice for one period. Unset, it
     * follows `fencing` (both checks on or both off, as the service always did before the
     * two were separate), so older scenarios and links keep their story.
     */
    idempotent: z.boolean().optional(),
    store: nodeId.optional(),
    payment: nodeId.optional(),
    /**
     * How many nodes run the store: 1 (one node, the default) or a Raft group of 3 or 5
     * replicas, the first 3 or 5 nodes listed (then `store` must be left unset).
     */
    storeNodes: z.union([z.literal(1), z.literal(3), z.literal(5)]).optional(),
  })
  .strict();

export type LeaseParams = z.infer<typeof leaseParamsSchema>;
export const leaseDefaults: LeaseParams = leaseParamsSchema.parse({});

export type LeaseRole = 'store' | 'payment' | 'worker';
export type LeaseContext = StoreContext | ReplicaContext | PaymentContext | WorkerContext;

/** What a store replica keeps across a crash. */
export interface ReplicaPersisted {
  term: number;
  votedFor: NodeId | null;
  log: StoreEntry[];
  store$: KvState;
  applied: number;
}

/** The store replicas' Raft timing, etcd's defaults: heartbeat 100 ms, election 1-2 s. */
export const STORE_RAFT = { heartbeat: 100, electionMin: 1000, electionMax: 2000 } as const;

/** The nodes that run the store: the first `storeNodes` listed, or the one `store` names. */
export function storesOf(order: readonly number[], p: LeaseParams): number[] {
  const n = p.storeNodes ?? 1;
  return n > 1 ? order.slice(0, n) : [p.store ?? order[0]];
}

export function rolesOf(
  order: readonly number[],
  p: LeaseParams,
): { store: number; stores: number[]; payment: number } {
  const stores = storesOf(order, p);
  return { store: stores[0], stores, payment: p.payment ?? order[order.length - 1] };
}

export function roleOf(id: NodeId, order: readonly number[], p: LeaseParams): LeaseRole {
  const { stores, payment } = rolesOf(order, p);
  return stores.includes(id) ? 'store' : id === payment ? 'payment' : 'worker';
}

/** Whether the store is a Raft group of replicas rather than one node. */
export const replicated = (p: LeaseParams): boolean => (p.storeNodes ?? 1) > 1;

/** Whether the payment service is idempotent: unset, it follows `fencing`. */
export const idempotentOf = (p: LeaseParams): boolean => p.idempotent ?? p.fencing;

/** The store replicas' own messages (a replicated store runs Raft among them). */
const RAFT_TYPES = ['RequestVote', 'RequestVoteResponse', 'AppendEntries', 'AppendEntriesResponse'];

const machines: Record<LeaseRole, AnyStateMachine> = {
  store: storeMachine,
  payment: paymentMachine,
  worker: workerMachine,
};

export const leaseModel: AlgorithmModel<LeaseParams> = {
  name: 'lease',
  /** Most nodes are workers; `machineFor` gives the store and the service their own. */
  machine: workerMachine,
  machineFor: (id, order, params) =>
    replicated(params) && roleOf(id, order, params) === 'store'
      ? replicaMachine
      : machines[roleOf(id, order, params)],
  /** Store replicas broadcast (Raft's votes and heartbeats) only to each other. */
  peersFor: (id, order, params) =>
    replicated(params) && roleOf(id, order, params) === 'store'
      ? storesOf(order, params).filter((p) => p !== id)
      : order.filter((p) => p !== id),
  resolveParams: (params) => ({ ...params, idempotent: idempotentOf(params) }),
  termSafety: false,
  heartbeatTypes: ['KeepAlive', 'KeepAliveAck'],
  input({
    id,
    order,
    peers,
    params,
    persisted,
    rand,
  }: NodeInput<LeaseParams>): StoreInput | ReplicaInput | PaymentInput | WorkerInput {
    const { store, stores, payment } = rolesOf(order, params);
    switch (roleOf(id, order, params)) {
      case 'store': {
        if (replicated(params)) {
          const kept = persisted as ReplicaPersisted | undefined;
          return {
            id,
            peers,
            electionMin: ms(STORE_RAFT.electionMin),
            electionMax: ms(STORE_RAFT.electionMax),
            heartbeat: ms(STORE_RAFT.heartbeat),
            // etcd runs its Raft with both: a replica cut off from the majority neither
            // disrupts it on its return (pre-vote) nor keeps leading (check-quorum)
            preVote: true,
            checkQuorum: true,
            persisted: kept && { term: kept.term, votedFor: kept.votedFor, log: [] },
            rand,
            state: kept?.store$ ?? emptyKv(),
            applied: kept?.applied ?? 0,
            log: kept?.log ?? [],
          };
        }
        const kept = persisted as { store$: KvState } | undefined;
        return { id, kv: kept?.store$ ?? emptyKv() };
      }
      case 'payment': {
        const kept = persisted as { book: PaymentBook } | undefined;
        const checks = { fencing: params.fencing, idempotent: idempotentOf(params) };
        return {
          id,
          book: kept ? { ...kept.book, ...checks } : emptyBook(checks.fencing, checks.idempotent),
        };
      }
      case 'worker':
        return {
          id,
          store,
          stores,
          payment,
          ttl: ms(params.ttl),
          keepAlive: ms(params.keepAlive ?? params.ttl / 3),
          billingPeriod: ms(params.billingPeriod),
          customers: params.customers,
        };
    }
  },
  persist(snapshot: AnyMachineSnapshot) {
    const c = snapshot.context as LeaseContext;
    if (c.role === 'store' && 'log' in c) {
      const p: ReplicaPersisted = {
        term: c.term,
        votedFor: c.votedFor,
        log: c.log,
        store$: c.store$,
        applied: c.applied,
      };
      return p;
    }
    if (c.role === 'store') return { store$: c.store$ };
    if (c.role === 'payment') return { book: c.book };
    return undefined;
  },
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as LeaseContext;
    if (c.role === 'store' && 'log' in c)
      // a replica names the holder of the election key only while it leads its group: the
      // store's state is the committed state of the store leader
      return {
        role: 'service',
        term: c.store$.revision,
        leader:
          snapshot.value === 'leader'
            ? (holder(range(c.store$, ELECTION_PREFIX))?.owner ?? null)
            : undefined,
      };
    if (c.role === 'store')
      return {
        role: 'service',
        term: c.store$.revision,
        leader: holder(range(c.store$, ELECTION_PREFIX))?.owner ?? null,
      };
    if (c.role === 'payment') return { role: 'service', term: c.book.maxToken };
    const v = snapshot.value as { worker?: string };
    const role =
      v.worker === 'leading' ? 'leader' : v.worker === 'watching' ? 'follower' : 'candidate';
    return { role, term: c.token || undefined, leader: holder(c.keys)?.owner ?? null };
  },
  label: (body: MessageBody) =>
    RAFT_TYPES.includes(body.type)
      ? raftLabel(body as unknown as RaftMessage)
      : label(body as unknown as LeaseMessage),
  checkNode: checkLease,
};
