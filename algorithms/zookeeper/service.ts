/**
 * The ZooKeeper-like service node: it runs `serve` (zk.ts) on every request, sends the
 * replies and watch events it returns, and keeps one expiry timer per session
 * (`session-<id>`, the session's timeout, restarted by every ping). When a timer runs
 * out, the silent session is closed as an `Expire` request.
 *
 * Its whole state is durable (sessions, znodes, watches, the zxid and sequence counters):
 * a restarted service comes back with it and gives every session a full timeout from its
 * recovery, so a live worker's pings keep its session and a dead worker's still ends.
 *
 * Delays are in microseconds.
 */
import { enqueueActions, setup } from 'xstate';
import type { NodeId } from '../sim/types';
import { kit, type ZkMessage } from './messages';
import { serve, sessionIds, type Served, type ZkInput, type ZkState } from './zk';

export interface ServiceInput {
  id: NodeId;
  /** The state the previous incarnation persisted, or an empty tree. */
  zk: ZkState;
}

export interface ServiceContext {
  id: NodeId;
  role: 'zk';
  zk: ZkState;
}

export type ServiceEvent =
  (ZkMessage & { rand: number }) | { type: 'EXPIRE'; rand: number; session: number };

/** A session's expiry timer: it fires `timeout` µs after it is (re)armed unless pinged. */
const expiry = (session: number, timeout: number) =>
  [
    { type: 'EXPIRE' as const, rand: 0, session },
    { id: `session-${session}`, delay: timeout },
  ] as const;

export const serviceMachine = setup({
  types: {
    context: {} as ServiceContext,
    events: {} as ServiceEvent,
    input: {} as ServiceInput,
  },
  actions: {
    ...kit.actions,
    /** At boot: every session recovered from disk gets a full timeout from now. */
    armSessions: enqueueActions(({ context, enqueue }) => {
      for (const s of sessionIds(context.zk))
        enqueue.raise(...expiry(s, context.zk.sessions[s].timeout));
    }),
    serve: enqueueActions(({ context, event, enqueue }) => {
      const input: ZkInput =
        event.type === 'EXPIRE'
          ? { type: 'Expire', session: event.session }
          : (event as unknown as ZkInput);
      const out: Served = serve(context.zk, input, context.id);
      if (out.state !== context.zk) enqueue.assign({ zk: out.state });
      for (const a of out.arm) enqueue.raise(...expiry(a.session, a.timeout));
      for (const s of out.disarm) enqueue.cancel(`session-${s}`);
      for (const r of out.replies) kit.enqueueSend(enqueue, r.to, r.message);
    }),
  },
}).createMachine({
  id: 'zk-service',
  context: ({ input }) => ({ id: input.id, role: 'zk', zk: input.zk }),
  initial: 'service',
  states: {
    service: {
      entry: 'armSessions',
      on: {
        Connect: { actions: 'serve' },
        Ping: { actions: 'serve' },
        Create: { actions: 'serve' },
        GetChildren: { actions: 'serve' },
        Exists: { actions: 'serve' },
        EXPIRE: { actions: 'serve' },
      },
    },
  },
});
