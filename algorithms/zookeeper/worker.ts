/**
 * A worker node: ZooKeeper's leader-election recipe. It opens a session, creates its
 * ephemeral sequential znode under /election, reads the children and leads if its znode
 * has the lowest sequence number; the zxid that created that znode is its fencing token.
 * Otherwise it sets a watch and waits, in one of two ways (`recipe`):
 *
 * - `herd`: it reads the children with a watch on them. Every change of /election wakes
 *   every worker, which all read the children again (and set the watch again): the herd
 *   effect.
 * - `predecessor` (the documented recipe): it sets an `exists` watch on the znode just
 *   below its own only. When that znode goes, only this worker wakes; it reads the
 *   children and either leads (it is now the lowest) or watches its new predecessor.
 *
 * It pings every `pingInterval` to keep its session alive; a `Pong` saying the session is
 * gone (expired while the worker was paused or cut off) makes it start over with a new
 * session. Watches fire once: a worker that was woken sets its watch again.
 *
 * Our network can lose, duplicate and reorder what ZooKeeper's TCP connection cannot, so:
 * every request is retried after `retry` until its answer comes; answers carry the
 * request's number and an older one is ignored; a second `Create` in one session returns
 * the znode already made; and a `Pong` says whether the session still has a watch set, so
 * a worker whose watch fired while the event was lost reads the children again.
 *
 * While it leads, a worker charges every customer once per billing period (read from the
 * wall clock when its timer fires: `now` on timer events). Nothing survives a restart.
 *
 * Delays are in microseconds.
 */
import { and, assign, cancel, enqueueActions, setup } from 'xstate';
import { eventOf, startTimer } from '../sim/machineKit';
import { workerMachine as leaseWorker } from '../lease/worker';
import { afterNotLeader, nextReplica } from '../raft/replicated';
import type { NodeId } from '../sim/types';
import { ELECTION, kit, pathOf, type ZkMessage, type Znode } from './messages';

export type Recipe = 'herd' | 'predecessor';

export interface WorkerInput {
  id: NodeId;
  /** The service node it asks: with an ensemble, the replica it believes leads. */
  service: NodeId;
  /** Every service node (one, or the replicas of an ensemble, in order). */
  services: NodeId[];
  payment: NodeId;
  recipe: Recipe;
  sessionTimeout: number;
  pingInterval: number;
  retry: number;
  billingPeriod: number;
  customers: number;
}

export interface WorkerContext extends WorkerInput {
  role: 'worker';
  session: number | null;
  /** Its own znode, once created. */
  znode: Znode | null;
  /** Its znode's czxid: the fencing token (0 while it has none). */
  token: number;
  /** The number of the last read: an answer to an older one is ignored. */
  req: number;
  /** What its watch is on: /election (herd) or its predecessor's path; null: none. */
  watched: string | null;
  /** Whom it believes leads (the owner of the lowest znode it heard of). */
  leader: NodeId | null;
  /** Watch events that woke it (and made it read the children again). */
  wakeups: number;
  /** A ping is out and not yet answered (an ensemble: ask another replica). */
  unanswered: boolean;
  /**
   * A replica named the leader and the request went there: a retry asks that leader again
   * rather than the next replica (its answer takes a commit, so it may just be slow).
   */
  redirected: boolean;
}

export type WorkerEvent =
  | (ZkMessage & { rand: number })
  | { type: 'TICK'; rand: number; now: number }
  | { type: 'PING'; rand: number }
  | { type: 'RETRY'; rand: number }
  | { type: 'SESSION_TIMEOUT'; rand: number };

/** The znode just below `mine` in `children` (sorted by sequence), or null if it is the lowest. */
export function predecessorOf(children: readonly Znode[], mine: Znode): Znode | null {
  let best: Znode | null = null;
  for (const z of children) if (z.seq < mine.seq && (best === null || z.seq > best.seq)) best = z;
  return best;
}

/** The lowest znode among `children`, or null. */
export function lowestOf(children: readonly Znode[]): Znode | null {
  let best: Znode | null = null;
  for (const z of children) if (best === null || z.seq < best.seq) best = z;
  return best;
}

const retryTimer = { type: 'RETRY' as const, rand: 0 };
const leaseBilling = leaseWorker.implementations.actions;

export const workerMachine = setup({
  types: {
    context: {} as WorkerContext,
    events: {} as WorkerEvent,
    input: {} as WorkerInput,
  },
  actions: {
    ...kit.actions,
    connect: enqueueActions(({ context: c, enqueue }) =>
      kit.enqueueSend(enqueue, c.service, {
        type: 'Connect',
        from: c.id,
        timeout: c.sessionTimeout,
      }),
    ),
    create: enqueueActions(({ context: c, enqueue }) =>
      kit.enqueueSend(enqueue, c.service, {
        type: 'Create',
        from: c.id,
        session: c.session as number,
      }),
    ),
    /** A new read: answers to older ones will be ignored. */
    nextReq: assign({ req: ({ context }) => context.req + 1 }),
    /** Reads the children (herd: and leaves a watch on them). */
    readChildren: enqueueActions(({ context: c, enqueue }) =>
      kit.enqueueSend(enqueue, c.service, {
        type: 'GetChildren',
        from: c.id,
        session: c.session as number,
        req: c.req,
        watch: c.recipe === 'herd',
      }),
    ),
    /** Asks whether the predecessor exists, leaving a watch on it if it does. */
    watchPredecessor: enqueueActions(({ context: c, enqueue }) =>
      kit.enqueueSend(enqueue, c.service, {
        type: 'Exists',
        from: c.id,
        session: c.session as number,
        req: c.req,
        path: c.watched as string,
      }),
    ),
    armRetry: startTimer(retryTimer, 'retry', 'retry'),
    cancelRetry: cancel('retry'),
    ping: enqueueActions(({ context, enqueue }) => {
      if (context.session !== null)
        kit.enqueueSend(enqueue, context.service, {
          type: 'Ping',
          from: context.id,
          session: context.session,
        });
      // an ensemble: a ping still unanswered is sent to the next replica after a retry,
      // not a whole interval later, so a worker finds a new leader well within its timeout
      const again = context.services.length > 1 && context.unanswered;
      enqueue.raise(
        { type: 'PING', rand: 0 },
        { id: 'ping', delay: again ? context.retry : context.pingInterval },
      );
    }),
    // the billing loop is the lease election's worker's: same timer, same charges
    scheduleTick: leaseBilling.scheduleTick as never,
    chargeDue: leaseBilling.chargeDue as never,
    takeSession: assign({ session: ({ event }) => eventOf(event, 'Connected').session }),
    takeZnode: assign(({ event }) => {
      const z = eventOf(event, 'Created').znode as Znode;
      return { znode: z, token: z.czxid };
    }),
    /** The session is gone, and its znode and watches with it. */
    forgetSession: assign({ session: null, znode: null, token: 0, watched: null }),
    lead: assign(({ context }) => ({ leader: context.id, watched: null })),
    /** Follows: watches /election (herd) or its predecessor, and names the lowest znode's owner. */
    follow: assign(({ context, event }) => {
      const kids = eventOf(event, 'Children').children;
      const mine = context.znode as Znode;
      return {
        leader: lowestOf(kids)?.owner ?? null,
        watched:
          context.recipe === 'herd' ? ELECTION : pathOf((predecessorOf(kids, mine) as Znode).name),
      };
    }),
    wake: assign({ wakeups: ({ context }) => context.wakeups + 1 }),
    /** No answer from the replica it asked: try the next one (it names the leader if it knows). */
    tryNextService: assign({
      service: ({ context }) => nextReplica(context.services, context.service),
      redirected: false,
    }),
    clearRedirect: assign({ redirected: false }),
    /**
     * A replica that does not lead refused a request: ask the leader it names at once, or,
     * while it knows none, the next replica when the request is due again.
     */
    followHint: enqueueActions(({ context, event, enqueue }) => {
      const m = eventOf(event, 'NotLeader');
      const { target, resend } = afterNotLeader(context.services, context.service, m);
      if (target !== context.service) enqueue.assign({ service: target });
      if (resend) {
        enqueue.assign({ redirected: true });
        kit.enqueueSend(enqueue, target, { ...m.request, from: context.id });
      }
    }),
    markUnanswered: assign({ unanswered: ({ context }) => context.session !== null }),
    markAnswered: assign({ unanswered: false }),
    /**
     * An ensemble answered for the session (opened it, or applied a ping): as far as this
     * worker can tell it lives one session timeout from now. ZooKeeper's client keeps the
     * same clock and gives the session up when it runs out without an answer.
     */
    /** What the whole worker does with a live Pong, for the states that handle one themselves. */
    renew: enqueueActions(({ context, event, enqueue }) => {
      const m = eventOf(event, 'Pong');
      if (context.services.length === 1 || !m.ok || m.session !== context.session) return;
      enqueue.assign({ unanswered: false, leader: m.leader });
      enqueue.raise(
        { type: 'SESSION_TIMEOUT', rand: 0 },
        { id: 'session', delay: context.sessionTimeout },
      );
    }),
    armLocalSession: startTimer({ type: 'SESSION_TIMEOUT', rand: 0 }, 'session', 'sessionTimeout'),
    hearLeader: assign({ leader: ({ event }) => eventOf(event, 'Pong').leader }),
  },
  guards: {
    mySession: ({ context, event }) => {
      const e = event as { session?: number };
      return e.session !== undefined && e.session === context.session;
    },
    created: ({ context, event }) => {
      const m = eventOf(event, 'Created');
      return m.session === context.session && m.ok && m.znode !== null;
    },
    refused: ({ context, event }) => {
      const m = eventOf(event, 'Created');
      return m.session === context.session && !m.ok;
    },
    /** The answer to the latest read. */
    current: ({ context, event }) => (event as { req?: number }).req === context.req,
    /** The children no longer list our znode: the session expired. */
    znodeGone: ({ context, event }) => {
      const m = eventOf(event, 'Children');
      return m.req === context.req && !m.children.some((z) => z.seq === context.znode?.seq);
    },
    lowest: ({ context, event }) => {
      const m = eventOf(event, 'Children');
      return m.req === context.req && lowestOf(m.children)?.seq === context.znode?.seq;
    },
    exists: ({ context, event }) => {
      const m = eventOf(event, 'Stat');
      return m.req === context.req && m.exists;
    },
    /** Our watch fired: the event is for this session and what we watch. */
    fired: ({ context, event }) => {
      const m = eventOf(event, 'WatchEvent');
      return m.session === context.session && m.path === context.watched;
    },
    sessionLost: ({ context, event }) => {
      const m = eventOf(event, 'Pong');
      return !m.ok && m.session === context.session;
    },
    /** The session is alive but has no watch left: the event that consumed it was lost. */
    watchLost: ({ context, event }) => {
      const m = eventOf(event, 'Pong');
      return m.ok && m.session === context.session && !m.watching;
    },
    herd: ({ context }) => context.recipe === 'herd',
    replicated: ({ context }) => context.services.length > 1,
    /** The previous ping went unanswered: the replica asked may be gone or not lead. */
    pingUnanswered: ({ context }) =>
      context.services.length > 1 && context.unanswered && !context.redirected,
    /** An ensemble: the request went to the leader a replica named; ask it again. */
    redirected: ({ context }) => context.services.length > 1 && context.redirected,
    hasSession: ({ context }) => context.session !== null,
    /** An ensemble says this session is alive. */
    renewed: ({ context, event }) => {
      const m = eventOf(event, 'Pong');
      return context.services.length > 1 && m.ok && m.session === context.session;
    },
    herdWatchFired: ({ context, event }) => {
      const m = eventOf(event, 'WatchEvent');
      return context.recipe === 'herd' && m.session === context.session && m.event === 'children';
    },
    herdWatchLost: ({ context, event }) => {
      const m = eventOf(event, 'Pong');
      return context.recipe === 'herd' && m.ok && m.session === context.session && !m.watching;
    },
  },
  delays: {
    billingPeriod: ({ context }) => context.billingPeriod,
    retry: ({ context }) => context.retry,
    sessionTimeout: ({ context }) => context.sessionTimeout,
  },
}).createMachine({
  id: 'zk-worker',
  // every field is read from the input by name: XState's own initialTransition() first
  // builds a throwaway actor without input, which must fail at once rather than run a
  // worker without timings
  context: ({ input }) => ({
    id: input.id,
    service: input.service,
    services: input.services,
    payment: input.payment,
    recipe: input.recipe,
    sessionTimeout: input.sessionTimeout,
    pingInterval: input.pingInterval,
    retry: input.retry,
    billingPeriod: input.billingPeriod,
    customers: input.customers,
    role: 'worker',
    session: null,
    znode: null,
    token: 0,
    req: 0,
    watched: null,
    leader: null,
    wakeups: 0,
    unanswered: false,
    redirected: false,
  }),
  initial: 'worker',
  states: {
    worker: {
      entry: ['scheduleTick', 'ping'],
      initial: 'connecting',
      on: {
        TICK: { actions: 'scheduleTick' },
        PING: [
          { guard: 'pingUnanswered', actions: ['tryNextService', 'ping', 'markUnanswered'] },
          { guard: 'replicated', actions: ['clearRedirect', 'ping', 'markUnanswered'] },
          { actions: 'ping' },
        ],
        Pong: [
          {
            guard: and(['sessionLost', 'replicated']),
            target: '.connecting',
            actions: ['forgetSession', 'markAnswered'],
          },
          { guard: 'sessionLost', target: '.connecting', actions: 'forgetSession' },
          { guard: 'renewed', actions: ['hearLeader', 'markAnswered', 'armLocalSession'] },
          { guard: 'mySession', actions: 'hearLeader' },
        ],
        NotLeader: { actions: 'followHint' },
        // an ensemble has not answered for the session for a whole timeout: it may be
        // gone, so the worker stops whatever it did (leading too) and starts over
        SESSION_TIMEOUT: { guard: 'hasSession', target: '.connecting', actions: 'forgetSession' },
      },
      states: {
        connecting: {
          entry: ['connect', 'armRetry'],
          exit: 'cancelRetry',
          on: {
            RETRY: [
              {
                guard: 'redirected',
                target: 'connecting',
                reenter: true,
                actions: 'clearRedirect',
              },
              {
                guard: 'replicated',
                target: 'connecting',
                reenter: true,
                actions: 'tryNextService',
              },
              { target: 'connecting', reenter: true },
            ],
            Connected: [
              {
                guard: 'replicated',
                target: 'creating',
                actions: ['takeSession', 'armLocalSession'],
              },
              { target: 'creating', actions: 'takeSession' },
            ],
          },
        },
        creating: {
          entry: ['create', 'armRetry'],
          exit: 'cancelRetry',
          on: {
            RETRY: [
              { guard: 'redirected', target: 'creating', reenter: true, actions: 'clearRedirect' },
              { guard: 'replicated', target: 'creating', reenter: true, actions: 'tryNextService' },
              { target: 'creating', reenter: true },
            ],
            Created: [
              { guard: 'created', target: 'checking', actions: 'takeZnode' },
              { guard: 'refused', target: 'connecting', actions: 'forgetSession' },
            ],
          },
        },
        checking: {
          entry: ['nextReq', 'readChildren', 'armRetry'],
          exit: 'cancelRetry',
          on: {
            RETRY: [
              { guard: 'redirected', target: 'checking', reenter: true, actions: 'clearRedirect' },
              { guard: 'replicated', target: 'checking', reenter: true, actions: 'tryNextService' },
              { target: 'checking', reenter: true },
            ],
            Children: [
              { guard: 'znodeGone', target: 'connecting', actions: 'forgetSession' },
              { guard: 'lowest', target: 'leading', actions: 'lead' },
              // herd: the read left the watch on the children already
              { guard: and(['current', 'herd']), target: 'watching', actions: 'follow' },
              { guard: 'current', target: 'arming', actions: 'follow' },
            ],
          },
        },
        // predecessor: set the exists watch on the znode just below ours
        arming: {
          entry: ['nextReq', 'watchPredecessor', 'armRetry'],
          exit: 'cancelRetry',
          on: {
            RETRY: [
              { guard: 'redirected', target: 'checking', actions: 'clearRedirect' },
              { guard: 'replicated', target: 'checking', actions: 'tryNextService' },
              { target: 'checking' },
            ],
            Stat: [
              { guard: 'exists', target: 'watching' },
              // it went before the watch was set: read again
              { guard: 'current', target: 'checking' },
            ],
          },
        },
        watching: {
          on: {
            WatchEvent: { guard: 'fired', target: 'checking', actions: 'wake' },
            Pong: { guard: 'watchLost', target: 'checking', actions: 'renew' },
          },
        },
        leading: {
          on: {
            TICK: { actions: ['chargeDue', 'scheduleTick'] },
            // herd: the leader is woken by every change too, and reads again where it stands
            WatchEvent: { guard: 'herdWatchFired', actions: ['wake', 'nextReq', 'readChildren'] },
            Children: [
              { guard: 'znodeGone', target: 'connecting', actions: 'forgetSession' },
              { guard: 'lowest' },
              { guard: 'current', target: 'checking' },
            ],
            Pong: { guard: 'herdWatchLost', actions: ['renew', 'nextReq', 'readChildren'] },
          },
        },
      },
    },
  },
});
