/**
 * The ZooKeeper election as the engine sees it: three roles, each with its own machine.
 * The service is the first node listed unless `service` says otherwise, the payment
 * service (the lease election's, reused as it is) the last unless `payment` says
 * otherwise; every other node is a worker.
 *
 * What survives a restart: the service keeps its whole state (sessions, znodes, watches,
 * zxid), the payment service its book, a worker nothing.
 */
import { z } from 'zod';
import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { ms } from '../sim/time';
import type {
  AlgorithmModel,
  MessageBody,
  NetworkTiming,
  NodeId,
  NodeInput,
  NodeSummary,
} from '../sim/types';
import { paymentMachine, type PaymentContext, type PaymentInput } from '../lease/payment';
import { emptyBook, type PaymentBook } from '../lease/rules';
import { checkZookeeper } from './checks';
import { label, type ZkMessage } from './messages';
import { serviceMachine, type ServiceContext, type ServiceInput } from './service';
import { workerMachine, type WorkerContext, type WorkerInput } from './worker';
import { emptyZk, lowest, type ZkState } from './zk';
import {
  zkReplicaMachine,
  type ZkEntry,
  type ZkReplicaContext,
  type ZkReplicaInput,
} from './replica';
import { RAFT_TYPES } from '../raft/replicated';
import { label as raftLabel, type RaftMessage } from '../raft/messages';
import { STORE_RAFT } from '../lease/model';

const positiveMs = z.number().finite().min(1).max(600_000);
const nodeId = z.number().int().min(1).max(999);

/**
 * The params as a scenario gives them. The session timeout, the ping interval and the
 * retry interval are optional: left unset, they follow the network (`zkTiming`).
 */
export const zkParamsSchema = z
  .object({
    /** `predecessor`: watch the znode just below one's own (the documented recipe); `herd`: watch all children. */
    recipe: z.enum(['herd', 'predecessor']).default('predecessor'),
    /** The service closes a session that has been silent this long, ms. */
    sessionTimeout: positiveMs.optional(),
    /** A worker pings its session this often, ms; default a third of the session timeout. */
    pingInterval: positiveMs.optional(),
    /** A request without an answer is sent again after this long, ms. */
    retry: positiveMs.optional(),
    /** The leader charges every customer once per billing period, ms. */
    billingPeriod: positiveMs.default(1000),
    customers: z.number().int().min(1).max(20).default(3),
    /** The payment service rejects a fencing token lower than the highest it has seen. */
    fencing: z.boolean().default(true),
    /** The payment service refuses a second charge of one customer for one period; unset, it follows `fencing`. */
    idempotent: z.boolean().optional(),
    service: nodeId.optional(),
    payment: nodeId.optional(),
    /**
     * How many nodes run the service: 1 (one node, the default) or an ensemble of 3 or 5
     * replicas on Raft, the first 3 or 5 nodes listed (then `service` must be left unset).
     */
    ensemble: z.union([z.literal(1), z.literal(3), z.literal(5)]).optional(),
  })
  .strict();

export type ZkParamsInput = z.infer<typeof zkParamsSchema>;

/** Params with every timing filled in, as the machines get them. */
export type ZkParams = Required<Omit<ZkParamsInput, 'service' | 'payment' | 'ensemble'>> &
  Pick<ZkParamsInput, 'service' | 'payment' | 'ensemble'>;

/** The fast network the lessons use: 10-15 ms one way, no loss. */
export const FAST_NETWORK: NetworkTiming = { latency: { min: 10, max: 15 }, loss: 0, duplicate: 0 };

/** Timing defaults never go below these (ms). */
export const ZK_FLOOR = { sessionTimeout: 4000, retry: 100 };

/**
 * An ensemble's session timeout never goes below this (ms): replacing a lost leader takes
 * a check-quorum or an election timeout (1-2 s) and an election, and a live worker must
 * hear back from the new leader before its session's own clock runs out.
 */
export const ENSEMBLE_SESSION_FLOOR = 6000;

/**
 * The timings derived from the network, ms, with L the worst one-way latency: a session
 * timeout of at least 20 L (ten round trips, so a few lost pings in a row do not end a
 * live session), pings at a third of it (as ZooKeeper's clients do), and a retry after a
 * round trip plus 50 ms. An ensemble's session timeout is at least 6 s (a leader change
 * must fit in it), and it answers after a second round trip (the leader's to
 * a majority of replicas), so its clients retry after two round trips plus 50 ms.
 */
export function zkTiming(network: NetworkTiming, chosen: Partial<ZkParamsInput> = {}): ZkParams {
  const l = network.latency.max;
  const floor = (chosen.ensemble ?? 1) > 1 ? ENSEMBLE_SESSION_FLOOR : ZK_FLOOR.sessionTimeout;
  const sessionTimeout = chosen.sessionTimeout ?? Math.max(floor, Math.ceil(20 * l));
  const base = zkParamsSchema.parse({});
  return {
    ...base,
    ...chosen,
    recipe: chosen.recipe ?? base.recipe,
    sessionTimeout,
    pingInterval: chosen.pingInterval ?? Math.ceil(sessionTimeout / 3),
    retry: chosen.retry ?? Math.max(ZK_FLOOR.retry, Math.ceil(roundTrips(chosen) * 2 * l + 50)),
    idempotent: chosen.idempotent ?? chosen.fencing ?? base.fencing,
  };
}

/** Round trips to an answer: one from a single service, two from an ensemble (via a majority). */
const roundTrips = (p: Partial<ZkParamsInput>) => ((p.ensemble ?? 1) > 1 ? 2 : 1);

/** The params resolved for the fast network: session 4000 ms, pings 1334 ms, retry 100 ms. */
export const zkDefaults: ZkParams = zkTiming(FAST_NETWORK);

/**
 * One sentence per timing that breaks the recipe's assumptions on `network`: a session
 * must hear a ping within its timeout, and a retry should not fire while the answer is on
 * its way.
 */
export function zkTimingWarnings(p: ZkParams, network: NetworkTiming): string[] {
  const rt = 2 * network.latency.max;
  const answer = roundTrips(p) * rt;
  const out: string[] = [];
  if (p.sessionTimeout <= p.pingInterval + rt)
    out.push(
      `session timeout ${p.sessionTimeout} ms ≤ ping interval + round trip (${p.pingInterval + rt} ms): expect live workers' sessions to expire, and their znodes with them`,
    );
  if (replicated(p) && p.sessionTimeout < p.pingInterval + 2 * STORE_RAFT.electionMax)
    out.push(
      `session timeout ${p.sessionTimeout} ms < ping interval + two election timeouts (${p.pingInterval + 2 * STORE_RAFT.electionMax} ms): a change of ensemble leader can end live workers' sessions`,
    );
  if (p.retry <= answer)
    out.push(
      `retry ${p.retry} ms ≤ ${answer === rt ? 'round trip' : 'two round trips (through the ensemble leader to a majority)'} up to ${answer} ms: expect requests sent again while their answers are on the way`,
    );
  return out;
}

export type ZkRole = 'zk' | 'payment' | 'worker';
export type ZkContext = ServiceContext | ZkReplicaContext | PaymentContext | WorkerContext;

/** Whether the service is an ensemble of replicas on Raft rather than one node. */
export const replicated = (p: Pick<ZkParams, 'ensemble'>): boolean => (p.ensemble ?? 1) > 1;

/** The nodes that run the service: the first `ensemble` listed, or the one `service` names. */
export function servicesOf(order: readonly NodeId[], p: ZkParams): NodeId[] {
  return replicated(p) ? order.slice(0, p.ensemble) : [p.service ?? order[0]];
}

export function rolesOf(
  order: readonly NodeId[],
  p: ZkParams,
): { service: NodeId; services: NodeId[]; payment: NodeId } {
  const services = servicesOf(order, p);
  return { service: services[0], services, payment: p.payment ?? order[order.length - 1] };
}

export function roleOf(id: NodeId, order: readonly NodeId[], p: ZkParams): ZkRole {
  const { services, payment } = rolesOf(order, p);
  return services.includes(id) ? 'zk' : id === payment ? 'payment' : 'worker';
}

/** What an ensemble replica keeps across a crash. */
export interface ZkReplicaPersisted {
  term: number;
  votedFor: NodeId | null;
  log: ZkEntry[];
  zk: ZkState;
  applied: number;
}

const machines: Record<ZkRole, AnyStateMachine> = {
  zk: serviceMachine,
  payment: paymentMachine,
  worker: workerMachine,
};

/** The worker states a worker's summary role comes from. */
const workerRoles: Record<string, NodeSummary['role']> = {
  leading: 'leader',
  watching: 'follower',
  arming: 'follower',
};

export const zkModel: AlgorithmModel<ZkParams> = {
  name: 'zookeeper',
  machine: workerMachine,
  machineFor: (id, order, params) =>
    replicated(params) && roleOf(id, order, params) === 'zk'
      ? zkReplicaMachine
      : machines[roleOf(id, order, params)],
  /** Ensemble replicas broadcast (Raft's votes and heartbeats) only to each other. */
  peersFor: (id, order, params) =>
    replicated(params) && roleOf(id, order, params) === 'zk'
      ? servicesOf(order, params).filter((p) => p !== id)
      : order.filter((p) => p !== id),
  resolveParams: (params, network) => zkTiming(network, params),
  timingWarnings: zkTimingWarnings,
  termSafety: false,
  heartbeatTypes: ['Ping', 'Pong'],
  input({
    id,
    order,
    peers,
    params,
    persisted,
    rand,
  }: NodeInput<ZkParams>): ServiceInput | ZkReplicaInput | PaymentInput | WorkerInput {
    const { service, services, payment } = rolesOf(order, params);
    const idempotent = params.idempotent ?? params.fencing;
    switch (roleOf(id, order, params)) {
      case 'zk': {
        if (replicated(params)) {
          const kept = persisted as ZkReplicaPersisted | undefined;
          return {
            id,
            peers,
            // the lease store's Raft timing (etcd's): heartbeat 100 ms, election 1-2 s
            electionMin: ms(STORE_RAFT.electionMin),
            electionMax: ms(STORE_RAFT.electionMax),
            heartbeat: ms(STORE_RAFT.heartbeat),
            // a replica cut off from the majority neither disrupts it on its return
            // (pre-vote) nor keeps leading (check-quorum)
            preVote: true,
            checkQuorum: true,
            persisted: kept && { term: kept.term, votedFor: kept.votedFor, log: [] },
            rand,
            state: kept?.zk ?? emptyZk(),
            applied: kept?.applied ?? 0,
            log: kept?.log ?? [],
          };
        }
        const kept = persisted as { zk: ZkState } | undefined;
        return { id, zk: kept?.zk ?? emptyZk() };
      }
      case 'payment': {
        const kept = persisted as { book: PaymentBook } | undefined;
        return {
          id,
          book: kept
            ? { ...kept.book, fencing: params.fencing, idempotent }
            : emptyBook(params.fencing, idempotent),
        };
      }
      case 'worker':
        return {
          id,
          service,
          services,
          payment,
          recipe: params.recipe,
          sessionTimeout: ms(params.sessionTimeout),
          pingInterval: ms(params.pingInterval),
          retry: ms(params.retry),
          billingPeriod: ms(params.billingPeriod),
          customers: params.customers,
        };
    }
  },
  persist(snapshot: AnyMachineSnapshot) {
    const c = snapshot.context as ZkContext;
    if (c.role === 'zk' && 'log' in c) {
      const p: ZkReplicaPersisted = {
        term: c.term,
        votedFor: c.votedFor,
        log: c.log,
        zk: c.zk,
        applied: c.applied,
      };
      return p;
    }
    if (c.role === 'zk') return { zk: c.zk };
    if (c.role === 'payment') return { book: c.book };
    return undefined;
  },
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as ZkContext;
    if (c.role === 'zk' && 'log' in c)
      // a replica names the owner of the lowest znode only while it leads the ensemble: the
      // service's state is the committed state of its leader
      return {
        role: 'service',
        term: c.zk.zxid,
        leader: snapshot.value === 'leader' ? (lowest(c.zk)?.owner ?? null) : undefined,
      };
    if (c.role === 'zk')
      return { role: 'service', term: c.zk.zxid, leader: lowest(c.zk)?.owner ?? null };
    if (c.role === 'payment') return { role: 'service', term: c.book.maxToken };
    const v = snapshot.value as { worker?: string };
    return {
      role: workerRoles[v.worker ?? ''] ?? 'candidate',
      term: c.token || undefined,
      leader: c.leader,
    };
  },
  label: (body: MessageBody) =>
    RAFT_TYPES.includes(body.type)
      ? raftLabel(body as unknown as RaftMessage)
      : label(body as unknown as ZkMessage),
  checkNode: checkZookeeper,
};
