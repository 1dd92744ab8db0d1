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
import { assign, cancel, enqueueActions, setup } from 'xstate';
import { eventOf, messageKit, senderOf, startTimer } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import type { BullyMessage, Delivered } from './messages';
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

const kit = messageKit<BullyMessage>();

const broadcastHeartbeat = kit.broadcastWith(({ context }: { context: BullyContext }) => ({
  message: { type: 'HEARTBEAT', from: context.id },
}));

export const bullyMachine = setup({
  types: {
    context: {} as BullyContext,
    events: {} as BullyEvent,
    input: {} as BullyInput,
  },
  actions: {
    ...kit.actions,
    /** ANSWER to an ELECTION; the sender's round is noted as handled. */
    answer: enqueueActions(({ context, event, enqueue }) => {
      const e = eventOf(event, 'ELECTION');
      kit.enqueueSend(enqueue, e.from, { type: 'ANSWER', from: context.id });
      enqueue.assign({ heard: rules.noteHeard(context.heard, e.from, e.round) });
    }),
    /** The coordinator's reply to a lower node that holds an election: "I am here, and I lead." */
    tellCoordinator: enqueueActions(({ context, event, enqueue }) => {
      const round = context.round + 1;
      enqueue.assign({ round });
      kit.enqueueSend(enqueue, senderOf(event), { type: 'COORDINATOR', from: context.id, round });
    }),
    /** Follows the sender of a COORDINATOR and notes its round as handled. */
    adoptCoordinator: assign(({ context, event }) => {
      const e = eventOf(event, 'COORDINATOR');
      return { leader: e.from, heard: rules.noteHeard(context.heard, e.from, e.round) };
    }),
    /** Notes a COORDINATOR's round as handled without following it. */
    noteCoordinator: assign(({ context, event }) => {
      const e = eventOf(event, 'COORDINATOR');
      return { heard: rules.noteHeard(context.heard, e.from, e.round) };
    }),
    adoptSender: assign(({ event }) => ({ leader: senderOf(event) })),
    forgetLeader: assign({ leader: null }),
    becomeLeader: assign(({ context }) => ({ leader: context.id })),
    /** ELECTION to every higher id, then wait for an answer; nobody above: win now. */
    holdElection: enqueueActions(({ context, enqueue }) => {
      if (context.higher.length === 0) {
        enqueue.raise({ type: 'WIN', rand: 0 });
        return;
      }
      const round = context.round + 1;
      enqueue.assign({ round });
      for (const to of context.higher)
        kit.enqueueSend(enqueue, to, { type: 'ELECTION', from: context.id, round });
      enqueue.raise(
        { type: 'ANSWER_TIMEOUT', rand: 0 },
        { id: 'answer', delay: context.answerTimeout },
      );
    }),
    announce: enqueueActions(({ context, enqueue }) => {
      const round = context.round + 1;
      enqueue.assign({ round });
      for (const to of context.lower)
        kit.enqueueSend(enqueue, to, { type: 'COORDINATOR', from: context.id, round });
    }),
    resetFailureTimer: startTimer({ type: 'FAILURE', rand: 0 }, 'failure', 'failure'),
    scheduleTick: startTimer({ type: 'TICK', rand: 0 }, 'tick', 'heartbeat'),
    scheduleCoordinatorTimer: startTimer(
      { type: 'COORDINATOR_TIMEOUT', rand: 0 },
      'coordinator',
      'coordinator',
    ),
  },
  guards: {
    fromHigher: ({ context, event }) => rules.fromHigher(context, senderOf(event)),
    fromLower: ({ context, event }) => rules.fromLower(context, senderOf(event)),
    fromLeader: ({ context, event }) => senderOf(event) === context.leader,
    /** A copy of an ELECTION or COORDINATOR already handled, or an older one: ignore it. */
    stale: ({ context, event }) => {
      const e = eventOf(event, ['ELECTION', 'COORDINATOR']);
      return rules.stale(context.heard, e.from, e.round);
    },
    adoptsHeartbeat: ({ context, event }) => rules.adoptsHeartbeat(context, senderOf(event)),
    challengesHeartbeat: ({ context, event }) =>
      rules.challengesHeartbeat(context, senderOf(event)),
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
