/**
 * The payment service node: it records every `Charge(customer, period, token)` in its
 * book and answers with the outcome. With `fencing` it refuses a token below the highest
 * it has seen; with `idempotent` it refuses to charge a customer twice for one period
 * (rules.ts decides).
 *
 * Its book is durable, as a real service's ledger lives in a database: a restarted
 * service still knows the highest token and who was charged for which period.
 */
import { enqueueActions, setup } from 'xstate';
import { eventOf } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import { kit, type LeaseMessage } from './messages';
import { decideCharge, type ChargeOutcome, type PaymentBook } from './rules';

export interface PaymentInput {
  id: NodeId;
  /** The book the previous incarnation persisted, or an empty one. */
  book: PaymentBook;
}

/** The service's answer to one charge request, as it reported it. */
export interface ChargeDecision {
  from: NodeId;
  customer: number;
  period: number;
  token: number;
  outcome: ChargeOutcome;
}

export interface PaymentContext {
  id: NodeId;
  role: 'payment';
  book: PaymentBook;
  /** The decision on the last charge request (null since boot): what it told the worker. */
  last: ChargeDecision | null;
}

export const paymentMachine = setup({
  types: {
    context: {} as PaymentContext,
    events: {} as LeaseMessage & { rand: number },
    input: {} as PaymentInput,
  },
  actions: {
    ...kit.actions,
    recordCharge: enqueueActions(({ context, event, enqueue }) => {
      const m = eventOf(event, 'Charge');
      const { book, outcome } = decideCharge(context.book, m);
      enqueue.assign({
        book,
        last: { from: m.from, customer: m.customer, period: m.period, token: m.token, outcome },
      });
      kit.enqueueSend(enqueue, m.from, {
        type: 'ChargeResult',
        from: context.id,
        customer: m.customer,
        period: m.period,
        outcome,
      });
    }),
  },
}).createMachine({
  id: 'lease-payment',
  context: ({ input }) => ({ id: input.id, role: 'payment', book: input.book, last: null }),
  initial: 'payment',
  states: {
    payment: {
      on: { Charge: { actions: 'recordCharge' } },
    },
  },
});
