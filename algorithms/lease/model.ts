/**
 * The lease election as the engine sees it. Roles come from params: the store is the
 * first node listed unless `store` says otherwise, the payment service the last unless
 * `payment` says otherwise; every other node is a worker that campaigns.
 */
import { z } from 'zod';
import type { AnyMachineSnapshot } from 'xstate';
import { ms } from '../sim/time';
import type { AlgorithmModel, MessageBody, NodeInput, NodeSummary } from '../sim/types';
import { leaseMachine, type LeaseContext, type LeaseInput } from './machine';
import { label, type LeaseMessage } from './messages';
import { holder } from './rules';

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
    store: nodeId.optional(),
    payment: nodeId.optional(),
  })
  .strict();

export type LeaseParams = z.infer<typeof leaseParamsSchema>;
export const leaseDefaults: LeaseParams = leaseParamsSchema.parse({});

export function rolesOf(
  order: readonly number[],
  p: LeaseParams,
): { store: number; payment: number } {
  return { store: p.store ?? order[0], payment: p.payment ?? order[order.length - 1] };
}

export const leaseModel: AlgorithmModel<LeaseParams> = {
  name: 'lease',
  machine: leaseMachine,
  termSafety: false,
  heartbeatTypes: ['KeepAlive', 'KeepAliveAck'],
  input({ id, order, params, rand }: NodeInput<LeaseParams>): LeaseInput {
    const { store, payment } = rolesOf(order, params);
    return {
      id,
      role: id === store ? 'store' : id === payment ? 'payment' : 'worker',
      store,
      payment,
      ttl: ms(params.ttl),
      keepAlive: ms(params.keepAlive ?? params.ttl / 3),
      billingPeriod: ms(params.billingPeriod),
      customers: params.customers,
      fencing: params.fencing,
      rand,
    };
  },
  summary(snapshot: AnyMachineSnapshot): NodeSummary {
    const c = snapshot.context as LeaseContext;
    if (c.role === 'store')
      return {
        role: 'store',
        term: c.store$.revision,
        leader: holder(c.store$.keys)?.owner ?? null,
      };
    if (c.role === 'payment') return { role: 'service', term: c.book.maxToken };
    const v = snapshot.value as { worker?: string } | string;
    const state = typeof v === 'object' ? v.worker : v;
    const role = state === 'leading' ? 'leader' : state === 'watching' ? 'follower' : 'candidate';
    return { role, term: c.token || undefined, leader: holder(c.keys)?.owner ?? null };
  },
  label: (body: MessageBody) => label(body as unknown as LeaseMessage),
};
