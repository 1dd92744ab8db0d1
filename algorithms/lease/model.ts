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
import { checkLease } from './checks';
import { emptyKv, range, type KvState } from './kv';
import { ELECTION_PREFIX, label, type LeaseMessage } from './messages';
import { paymentMachine, type PaymentContext, type PaymentInput } from './payment';
import { emptyBook, holder, type PaymentBook } from './rules';
import { storeMachine, type StoreContext, type StoreInput } from './store';
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
  })
  .strict();

export type LeaseParams = z.infer<typeof leaseParamsSchema>;
export const leaseDefaults: LeaseParams = leaseParamsSchema.parse({});

export type LeaseRole = 'store' | 'payment' | 'worker';
export type LeaseContext = StoreContext | PaymentContext | WorkerContext;

export function rolesOf(
  order: readonly number[],
  p: LeaseParams,
): { store: number; payment: number } {
  return { store: p.store ?? order[0], payment: p.payment ?? order[order.length - 1] };
}

export function roleOf(id: NodeId, order: readonly number[], p: LeaseParams): LeaseRole {
  const { store, payment } = rolesOf(order, p);
  return id === store ? 'store' : id === payment ? 'payment' : 'worker';
}

/** Whether the payment service is idempotent: unset, it follows `fencing`. */
export const idempotentOf = (p: LeaseParams): boolean => p.idempotent ?? p.fencing;

const machines: Record<LeaseRole, AnyStateMachine> = {
  store: storeMachine,
  payment: paymentMachine,
  worker: workerMachine,
};

export const leaseModel: AlgorithmModel<LeaseParams> = {
  name: 'lease',
  /** Most nodes are workers; `machineFor` gives the store and the service their own. */
  machine: workerMachine,
  machineFor: (id, order, params) => machines[roleOf(id, order, params)],
  resolveParams: (params) => ({ ...params, idempotent: idempotentOf(params) }),
  termSafety: false,
  heartbeatTypes: ['KeepAlive', 'KeepAliveAck'],
  input({
    id,
    order,
    params,
    persisted,
  }: NodeInput<LeaseParams>): StoreInput | PaymentInput | WorkerInput {
    const { store, payment } = rolesOf(order, params);
    switch (roleOf(id, order, params)) {
      case 'store': {
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
    if (c.role === 'store') return { store$: c.store$ };
    if (c.role === 'payment') return { book: c.book };
    return undefined;
  },
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as LeaseContext;
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
  label: (body: MessageBody) => label(body as unknown as LeaseMessage),
  checkNode: checkLease,
};
