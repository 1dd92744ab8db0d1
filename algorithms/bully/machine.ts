/**
 * Garcia-Molina's Bully algorithm as an XState v5 machine (one per node). Like the Raft
 * machine it does no I/O and has no clock: the engine feeds it messages and timer events
 * and interprets what it sends (`send`, `broadcast`) and which timers it wants (delayed
 * raises with an id; the last schedule per id wins). All delays are in microseconds.
 *
 * States:
 * - `candidate`: holding an election. Entry sends ELECTION to every higher id and starts
 *   the `answer` timer; with no higher id it wins at once. A node boots here, so a node
 *   that restarts with the highest id takes the leadership back ("bullies").
 * - `waiting`: a higher node answered; wait for its COORDINATOR (`coordinator` timer),
 *   then hold a new election if none came.
 * - `leader`: the coordinator. Entry sends COORDINATOR to every lower id; then a
 *   HEARTBEAT to everyone every `heartbeat`.
 * - `follower`: knows its coordinator; the `failure` timer is reset by its heartbeats,
 *   and holding an election is what a follower does when it fires.
 *
 * The decisions (adopt this sender? challenge it?) are in rules.ts.
 */
import { assign, cancel, enqueueActions, raise, setup } from 'xstate';
import type { NodeId } from '../sim/types';
import type { BullyMessage, Coordinator, Delivered, Election } from './messages';
import * as rules from './rules';

export interface BullyContext {
  id: NodeId;
  /** Ids above ours, ascending: ELECTION goes to them. */
  higher: NodeId[];
  /** Ids below ours, ascending: COORDINATOR goes to them. */
  lower: NodeId[];
  /** The coordinator this node believes in (itself when leading), or null. */
  leader: NodeId | null;
  /**
   * This node's round: raised for every election it holds and every COORDINATOR it sends,
   * so that each of them is told apart from copies. Survives a crash.
   */
  round: number;
  /** The highest ELECTION or COORDINATOR round handled per sender: copies and stragglers below it change nothing. */
  heard: Record<NodeId, number>;
  heartbeat: number;
  failureTimeout: number;
  answerTimeout: number;
  coordinatorTimeout: number;
}

export interface BullyInput {
  id: NodeId;
  peers: NodeId[];
  heartbeat: number;
  failureTimeout: number;
  answerTimeout: number;
  coordinatorTimeout: number;
  /** The round the previous incarnation reached (0 at first boot). */
  round: number;
}

export type BullyEvent =
  | Delivered<BullyMessage>
  /** The user's "this node detects a failure now". */
  | { type: 'TIMEOUT'; rand: number }
  | { type: 'FAILURE'; rand: number }
  | { type: 'ANSWER_TIMEOUT'; rand: number }
  | { type: 'COORDINATOR_TIMEOUT'; rand: number }
  | { type: 'TICK'; rand: number }
  /** Immediate: an election with nobody above is won on the spot. */
  | { type: 'WIN'; rand: number };

type Send = { to: NodeId; message: BullyMessage };
type Broadcast = { message: BullyMessage };

const sender = (e: BullyEvent) => (e as { from: NodeId }).from;

/** A `send` action object, as the engine interprets it. */
const sendTo = (to: NodeId, message: BullyMessage) => ({
  type: 'send' as const,
  params: { to, message },
});

/**
 * `enqueue` as used here: enqueueActions declared inside setup() cannot see the named
 * `send` action in its types, though XState resolves it by name at run time.
 */
type EnqueueSend = (action: ReturnType<typeof sendTo>) => void;

const broadcastHeartbeat = {
  type: 'broadcast',
  params: ({ context }: { context: BullyContext }): Broadcast => ({
    message: { type: 'HEARTBEAT', from: context.id },
  }),
} as const;

export const bullyMachine = setup({
  types: {
    context: {} as BullyContext,
    events: {} as BullyEvent,
    input: {} as BullyInput,
  },
  actions: {
    // Interpreted by the engine; never executed by XState.
    send: (_, _params: Send) => {},
    broadcast: (_, _params: Broadcast) => {},
    /** ANSWER to an ELECTION; the sender's round is noted as handled. */
    answer: enqueueActions(({ context, event, enqueue }) => {
      const e = event as Delivered<Election>;
      (enqueue as unknown as EnqueueSend)(sendTo(e.from, { type: 'ANSWER', from: context.id }));
      enqueue.assign({ heard: rules.noteHeard(context.heard, e.from, e.round) });
    }),
    /** The coordinator's reply to a lower node that holds an election: "I am here, and I lead." */
    tellCoordinator: enqueueActions(({ context, event, enqueue }) => {
      const round = context.round + 1;
      enqueue.assign({ round });
      (enqueue as unknown as EnqueueSend)(
        sendTo(sender(event), { type: 'COORDINATOR', from: context.id, round }),
      );
    }),
    /** Follows the sender of a COORDINATOR and notes its round as handled. */
    adoptCoordinator: assign(({ context, event }) => {
      const e = event as Delivered<Coordinator>;
      return { leader: e.from, heard: rules.noteHeard(context.heard, e.from, e.round) };
    }),
    /** Notes a COORDINATOR's round as handled without following it. */
    noteCoordinator: assign(({ context, event }) => {
      const e = event as Delivered<Coordinator>;
      return { heard: rules.noteHeard(context.heard, e.from, e.round) };
    }),
    adoptSender: assign(({ event }) => ({ leader: sender(event) })),
    forgetLeader: assign({ leader: null }),
    becomeLeader: assign(({ context }) => ({ leader: context.id })),
    /** ELECTION to every higher id, then wait for an answer; nobody above: win now. */
    holdElection: enqueueActions(({ context, enqueue }) => {
      if (context.higher.length === 0) {
        enqueue.raise({ type: 'WIN', rand: 0 });
        return;
      }
      const send = enqueue as unknown as EnqueueSend;
      const round = context.round + 1;
      enqueue.assign({ round });
      for (const to of context.higher)
        send(sendTo(to, { type: 'ELECTION', from: context.id, round }));
      enqueue.raise(
        { type: 'ANSWER_TIMEOUT', rand: 0 },
        { id: 'answer', delay: context.answerTimeout },
      );
    }),
    announce: enqueueActions(({ context, enqueue }) => {
      const send = enqueue as unknown as EnqueueSend;
      const round = context.round + 1;
      enqueue.assign({ round });
      for (const to of context.lower)
        send(sendTo(to, { type: 'COORDINATOR', from: context.id, round }));
    }),
    resetFailureTimer: raise({ type: 'FAILURE', rand: 0 }, { id: 'failure', delay: 'failure' }),
    scheduleTick: raise({ type: 'TICK', rand: 0 }, { id: 'tick', delay: 'heartbeat' }),
    scheduleCoordinatorTimer: raise(
      { type: 'COORDINATOR_TIMEOUT', rand: 0 },
      { id: 'coordinator', delay: 'coordinator' },
    ),
  },
  guards: {
    fromHigher: ({ context, event }) => rules.fromHigher(context, sender(event)),
    fromLower: ({ context, event }) => rules.fromLower(context, sender(event)),
    fromLeader: ({ context, event }) => sender(event) === context.leader,
    /** A copy of an ELECTION or COORDINATOR already handled, or an older one: ignore it. */
    stale: ({ context, event }) =>
      rules.stale(context.heard, sender(event), (event as Delivered<Election>).round),
    /** An ANSWER to this node's current election (not to an earlier one). */
    answersThisRound: ({ context, event }) => (event as { round: number }).round === context.round,
    adoptsHeartbeat: ({ context, event }) => rules.adoptsHeartbeat(context, sender(event)),
    challengesHeartbeat: ({ context, event }) => rules.challengesHeartbeat(context, sender(event)),
  },
  delays: {
    failure: ({ context }) => context.failureTimeout,
    heartbeat: ({ context }) => context.heartbeat,
    coordinator: ({ context }) => context.coordinatorTimeout,
  },
}).createMachine({
  id: 'bully',
  context: ({ input }) => ({
    id: input.id,
    ...rules.split(input.id, input.peers),
    leader: null,
    round: input.round,
    heard: {},
    heartbeat: input.heartbeat,
    failureTimeout: input.failureTimeout,
    answerTimeout: input.answerTimeout,
    coordinatorTimeout: input.coordinatorTimeout,
  }),
  // a node that boots holds an election: a restarted higher id bullies its way back
  initial: 'candidate',
  states: {
    follower: {
      entry: 'resetFailureTimer',
      exit: cancel('failure'),
      on: {
        FAILURE: 'candidate',
        TIMEOUT: 'candidate',
        // "answer, then hold an election unless already holding one"
        ELECTION: [
          { guard: 'stale' },
          { guard: 'fromLower', target: 'candidate', actions: 'answer' },
        ],
        COORDINATOR: [
          { guard: 'stale' },
          { guard: 'fromHigher', actions: ['adoptCoordinator', 'resetFailureTimer'] },
          // a lower node claims to lead: this node outranks it
          { target: 'candidate', actions: 'noteCoordinator' },
        ],
        HEARTBEAT: [
          { guard: 'fromLeader', actions: 'resetFailureTimer' },
          { guard: 'adoptsHeartbeat', actions: ['adoptSender', 'resetFailureTimer'] },
          { guard: 'challengesHeartbeat', target: 'candidate' },
        ],
      },
    },
    candidate: {
      entry: ['forgetLeader', 'holdElection'],
      exit: cancel('answer'),
      on: {
        WIN: 'leader',
        ANSWER_TIMEOUT: 'leader',
        ANSWER: 'waiting',
        TIMEOUT: { target: 'candidate', reenter: true },
        ELECTION: [{ guard: 'stale' }, { guard: 'fromLower', actions: 'answer' }],
        // a higher node leads: the election is over (from a lower one: ours answers it).
        // Heartbeats are ignored while electing: one sent by the crashed coordinator just
        // before it died must not end the election.
        COORDINATOR: [
          { guard: 'stale' },
          { guard: 'fromHigher', target: 'follower', actions: 'adoptCoordinator' },
        ],
      },
    },
    waiting: {
      entry: 'scheduleCoordinatorTimer',
      exit: cancel('coordinator'),
      on: {
        COORDINATOR_TIMEOUT: 'candidate',
        TIMEOUT: 'candidate',
        ELECTION: [{ guard: 'stale' }, { guard: 'fromLower', actions: 'answer' }],
        COORDINATOR: [
          { guard: 'stale' },
          { guard: 'fromHigher', target: 'follower', actions: 'adoptCoordinator' },
        ],
      },
    },
    leader: {
      entry: ['becomeLeader', 'announce', 'scheduleTick'],
      exit: cancel('tick'),
      on: {
        TICK: { actions: [broadcastHeartbeat, 'scheduleTick'] },
        TIMEOUT: 'candidate',
        // a lower node holds an election: answer and tell it who leads
        ELECTION: [
          { guard: 'stale' },
          { guard: 'fromLower', actions: ['answer', 'tellCoordinator'] },
        ],
        COORDINATOR: [
          { guard: 'stale' },
          { guard: 'fromHigher', target: 'follower', actions: 'adoptCoordinator' },
          // a lower node claims to lead: re-assert by holding an election
          { target: 'candidate', actions: 'noteCoordinator' },
        ],
        // a higher coordinator exists (a healed partition): step down
        HEARTBEAT: { guard: 'fromHigher', target: 'follower', actions: 'adoptSender' },
      },
    },
  },
});
