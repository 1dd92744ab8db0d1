/**
 * Ring elections as an XState v5 machine (one per node), in two variants chosen by the
 * `variant` param: Chang-Roberts (1979) and the collect-ids ring of the seed articles.
 * Like the other machines it does no I/O and has no clock: the engine feeds it messages
 * and timer events and interprets `send` / `broadcast` and delayed raises (timers with an
 * id; the last schedule per id wins). All delays are in microseconds.
 *
 * The logical ring is the scenario's node order. Every election message (ELECTION,
 * ELECTED, COORDINATOR) goes to the successor and is acknowledged (ACK); when the oldest
 * unacknowledged hop is not acknowledged within `ackTimeout`, the node suspects that
 * successor and resends what was waiting on it to the next one. A suspect is cleared when
 * an ACK or election message from it, or naming it, arrives (heartbeats do not count: one
 * sent just before a crash is no proof of life), and a node that joins a new election
 * forgets all its suspicions except a leader it has just seen fail, so a node that came
 * back is tried again.
 *
 * States:
 * - `candidate`: running its own election. Entry sends this node's ELECTION (its id, or a
 *   list holding only its id) and starts the `coordinator` timer. A node boots here.
 * - `waiting`: passed on someone else's election; waits for the result (`coordinator`
 *   timer, then it starts one itself).
 * - `leader`: sends HEARTBEAT to everyone every `heartbeat`.
 * - `follower`: knows its leader; the `failure` timer is reset by the leader's heartbeats,
 *   and when it fires the node suspects the leader and runs an election.
 *
 * What each message means for each state is decided in rules.ts.
 */
import { and, assign, cancel, enqueueActions, not, setup } from 'xstate';
import {
  eventOf,
  messageKit,
  senderOf,
  startTimer,
  type Enqueue as KitEnqueue,
} from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import type { Delivered, RingHop, RingMessage } from './messages';
import * as rules from './rules';

export interface RingContext {
  id: NodeId;
  /** All node ids in ring order. */
  order: NodeId[];
  /** This node's position in `order`. */
  pos: number;
  variant: rules.Variant;
  /** The leader this node believes in (itself when leading), or null. */
  leader: NodeId | null;
  /** The newest election epoch this node has seen (see messages.ts). Survives a crash. */
  epoch: number;
  /** The epoch this node knew when it last began to take part in an election. */
  electingSince: number;
  /** Chang-Roberts: this node has sent its own id, or passed on a higher one, in this election. */
  participant: boolean;
  /** Ids skipped when choosing a successor: they did not acknowledge, or the leader failed. */
  suspected: NodeId[];
  /** Hops sent and not yet acknowledged, oldest first. */
  pending: { ref: number; to: NodeId; message: RingHop }[];
  nextRef: number;
  /**
   * This node's round: raised for every ELECTION and announcement it creates, so that each
   * is told apart from its copies. Survives a crash.
   */
  round: number;
  /** The newest round handled per originator: copies and older rounds go no further. */
  seen: Record<NodeId, number>;
  heartbeat: number;
  failureTimeout: number;
  /**
   * The ack timeout now: the configured one, doubled after each ACK that came too late,
   * back to the configured one when the node follows a leader again.
   */
  ackTimeout: number;
  /** The configured ack timeout. */
  baseAckTimeout: number;
  /**
   * The fixed part of the wait for a result: `candidate` and `waiting` wait this plus one
   * ack timeout (as it is now) per node in the ring.
   */
  coordinatorTimeout: number;
}

export interface RingInput {
  id: NodeId;
  order: NodeId[];
  variant: rules.Variant;
  heartbeat: number;
  failureTimeout: number;
  ackTimeout: number;
  coordinatorTimeout: number;
  /** The round the previous incarnation reached (0 at first boot). */
  round: number;
  /** The epoch the previous incarnation knew (0 at first boot). */
  epoch: number;
}

export type RingEvent =
  | Delivered<RingMessage>
  /** The user's "this node detects a failure now". */
  | { type: 'TIMEOUT'; rand: number }
  | { type: 'FAILURE'; rand: number }
  | { type: 'ACK_TIMEOUT'; rand: number }
  | { type: 'COORDINATOR_TIMEOUT'; rand: number }
  | { type: 'TICK'; rand: number }
  /** Immediate: every other node is suspected, so this one leads itself. */
  | { type: 'ALONE'; rand: number };

type Args = { context: RingContext; event: RingEvent };

const kit = messageKit<RingMessage>();

const election = (e: RingEvent) => eventOf(e, 'ELECTION');
const announced = (e: RingEvent) => eventOf(e, ['ELECTED', 'COORDINATOR']);
const hopOf = (e: RingEvent) => eventOf(e, ['ELECTION', 'ELECTED', 'COORDINATOR']);
const heartbeat = (e: RingEvent) => eventOf(e, 'HEARTBEAT');

/** `enqueue` of an enqueueActions block, as far as a hop needs it. */
interface Enqueue extends KitEnqueue {
  assign(patch: Partial<RingContext>): void;
  raise(event: RingEvent, options?: { id: string; delay: number }): void;
}

/** Sends `body` to the successor and waits for its ACK; nobody left to send to: ALONE. */
function enqueueHop(
  context: RingContext,
  body: rules.HopBody,
  enqueue: Enqueue,
  patch: Partial<RingContext> = {},
): void {
  const h = rules.hop(context, body);
  if (h === null) {
    enqueue.assign(patch);
    enqueue.raise({ type: 'ALONE', rand: 0 });
    return;
  }
  // one assign per hop: each assign copies the snapshot
  enqueue.assign({ ...patch, pending: h.pending, nextRef: h.nextRef });
  kit.enqueueSend(enqueue, h.to, h.message);
  if (h.startTimer)
    enqueue.raise({ type: 'ACK_TIMEOUT', rand: 0 }, { id: 'ack', delay: context.ackTimeout });
}

const outcome =
  (o: rules.ElectionOutcome) =>
  ({ context, event }: Args) =>
    rules.electionOutcome(context, election(event)) === o;
const announcementIs =
  (o: rules.AnnouncementOutcome) =>
  ({ context, event }: Args) =>
    rules.announcementOutcome(context, announced(event)) === o;

const heartbeatIs =
  (o: rules.HeartbeatOutcome, state: 'follower' | 'leader' | 'electing') =>
  ({ context, event }: Args) =>
    rules.heartbeatOutcome(context, senderOf(event), heartbeat(event).epoch, state) === o;

export const ringMachine = setup({
  types: {
    context: {} as RingContext,
    events: {} as RingEvent,
    input: {} as RingInput,
  },
  actions: {
    ...kit.actions,
    /**
     * Acknowledges a hop, notes its round as handled and its epoch, and stops suspecting
     * everyone it vouches for. A copy is acknowledged too, so that its sender stops
     * re-sending it, and goes no further.
     */
    receiveHop: enqueueActions(({ context, event, enqueue }) => {
      const e = hopOf(event);
      const epoch = Math.max(e.epoch, context.epoch);
      kit.enqueueSend(enqueue, e.from, { type: 'ACK', from: context.id, ref: e.ref });
      const suspected = rules.unsuspect(context.suspected, rules.vouchedFor(e));
      const seen = rules.noteSeen(context.seen, e);
      if (suspected !== context.suspected || epoch > context.epoch || seen !== context.seen)
        enqueue.assign({ suspected, seen, epoch });
    }),
    /**
     * A node that joins a new election forgets whom it suspected (they may be back) and
     * tries its true successor first; one that detected its leader's failure suspects only
     * that leader.
     */
    freshStart: assign({ suspected: [] }),
    suspectLeader: assign(({ context }) => ({
      suspected: context.leader === null || context.leader === context.id ? [] : [context.leader],
    })),
    /** Follows the sender of a heartbeat, in its epoch. */
    adoptSender: assign(({ event }) => ({
      leader: senderOf(event),
      epoch: heartbeat(event).epoch,
    })),
    /** Keeps up with the leader's epoch (it moves on when the leader re-asserts itself). */
    noteEpoch: enqueueActions(({ context, event, enqueue }) => {
      const epoch = heartbeat(event).epoch;
      if (epoch > context.epoch) enqueue.assign({ epoch });
    }),
    /** Leads alone: every other node is suspected. A new epoch all the same. */
    bumpEpoch: assign(({ context }) => ({ epoch: context.epoch + 1 })),
    forgetLeader: assign({ leader: null }),
    /** Notes the epoch this node knew when it began to take part in an election. */
    startElecting: assign(({ context }) => ({ electingSince: context.epoch })),
    becomeLeader: assign(({ context }) => ({ leader: context.id, participant: false })),
    /** A follower knows its leader: whatever election it took part in is over. */
    leaveElection: assign(({ context }) => ({
      participant: false,
      ackTimeout: context.baseAckTimeout,
    })),
    /** Sends this node's own ELECTION and takes part in the election. */
    initiate: enqueueActions(({ context, enqueue }) => {
      enqueueHop(context, rules.ownElection(context), enqueue, {
        participant: true,
        round: context.round + 1,
      });
    }),
    /**
     * Passes someone else's ELECTION on. In Chang-Roberts that makes this node a
     * participant (it swallows lower ids from now on); in collect-ids only a node's own
     * election does (a leader passing lists on keeps leading, and is not re-asserting).
     */
    passElectionOn: enqueueActions(({ context, event, enqueue }) => {
      enqueueHop(context, rules.passedOn(context, election(event)), enqueue, {
        participant: context.variant === 'chang-roberts' || context.participant,
      });
    }),
    /** The election finished here: send its result round the ring. */
    announce: enqueueActions(({ context, event, enqueue }) => {
      const body = rules.announcement(context, election(event));
      enqueueHop(context, body, enqueue, {
        participant: false,
        leader: body.leader,
        epoch: body.epoch,
        round: body.round,
      });
    }),
    /** Follow the announced leader and pass the announcement on (once round the ring). */
    passAnnouncementOn: enqueueActions(({ context, event, enqueue }) => {
      const e = announced(event);
      const patch = { participant: false, leader: e.leader };
      const body = rules.announcementPassedOn(context, e);
      if (body) enqueueHop(context, body, enqueue, patch);
      else enqueue.assign(patch);
    }),
    /**
     * An ACK: its sender is alive, and the hop it acknowledges is done. One from a node
     * this node had given up on came too late: the ack timeout is too short for this
     * network, so it doubles (see rules.backedOff).
     */
    noteAck: enqueueActions(({ context, event, enqueue }) => {
      const { ref, from } = eventOf(event, 'ACK');
      const suspected = rules.unsuspect(context.suspected, [from]);
      const pending = context.pending.filter((p) => p.ref !== ref);
      if (pending.length === context.pending.length) {
        if (suspected !== context.suspected)
          enqueue.assign({ suspected, ackTimeout: rules.backedOff(context.ackTimeout) });
        return;
      }
      enqueue.assign({ pending, suspected });
      if (pending.length === 0) enqueue.cancel('ack');
      else
        enqueue.raise({ type: 'ACK_TIMEOUT', rand: 0 }, { id: 'ack', delay: context.ackTimeout });
    }),
    /** The oldest hop was not acknowledged: skip that successor (see rules.retry). */
    retry: enqueueActions(({ context, enqueue }) => {
      if (context.pending.length === 0) return;
      const r = rules.retry(context);
      enqueue.assign({ suspected: r.suspected, pending: r.pending, nextRef: r.nextRef });
      if (r.resend === null) {
        enqueue.raise({ type: 'ALONE', rand: 0 });
        return;
      }
      for (const s of r.resend) kit.enqueueSend(enqueue, s.to, s.message);
      if (r.pending.length > 0)
        enqueue.raise({ type: 'ACK_TIMEOUT', rand: 0 }, { id: 'ack', delay: context.ackTimeout });
    }),
    broadcastHeartbeat: enqueueActions(({ context, enqueue }) => {
      kit.enqueueBroadcast(enqueue, { type: 'HEARTBEAT', from: context.id, epoch: context.epoch });
    }),
    resetFailureTimer: startTimer({ type: 'FAILURE', rand: 0 }, 'failure', 'failure'),
    /**
     * The failure timer of a node that has just learnt who leads from an announcement: in
     * collect-ids the leader may hear of its own election only when the announcement,
     * started elsewhere, has come round to it, so its first heartbeat may be up to a trip
     * round the ring later.
     */
    awaitLeader: startTimer({ type: 'FAILURE', rand: 0 }, 'failure', 'firstFailure'),
    scheduleTick: startTimer({ type: 'TICK', rand: 0 }, 'tick', 'heartbeat'),
    scheduleCoordinatorTimer: startTimer(
      { type: 'COORDINATOR_TIMEOUT', rand: 0 },
      'coordinator',
      'coordinator',
    ),
  },
  guards: {
    copy: ({ context, event }) => rules.isCopy(context, hopOf(event)),
    covered: ({ context, event }) => rules.covered(context, election(event)),
    won: outcome('won'),
    forward: outcome('forward'),
    append: outcome('append'),
    substitute: outcome('substitute'),
    complete: outcome('complete'),
    completeSelf: ({ context, event }) => rules.winner(election(event)) === context.id,
    namesHigher: ({ context, event }) => rules.winner(election(event)) > context.id,
    self: announcementIs('self'),
    adopt: announcementIs('adopt'),
    challenge: announcementIs('challenge'),
    followerHearsLeader: heartbeatIs('leader', 'follower'),
    followerAdopts: heartbeatIs('adopt', 'follower'),
    followerChallenges: heartbeatIs('challenge', 'follower'),
    leaderAdopts: heartbeatIs('adopt', 'leader'),
    electingAdopts: heartbeatIs('adopt', 'electing'),
    leaderChallenges: heartbeatIs('challenge', 'leader'),
    participating: ({ context }) => context.participant,
  },
  delays: {
    failure: ({ context }) => context.failureTimeout,
    heartbeat: ({ context }) => context.heartbeat,
    coordinator: ({ context }) =>
      context.coordinatorTimeout + context.order.length * context.ackTimeout,
    firstFailure: ({ context }) =>
      context.failureTimeout +
      (context.variant === 'collect-ids' ? context.order.length * context.baseAckTimeout : 0),
  },
}).createMachine({
  id: 'ring',
  context: ({ input }) => ({
    id: input.id,
    order: input.order,
    pos: input.order.indexOf(input.id),
    variant: input.variant,
    leader: null,
    epoch: input.epoch,
    electingSince: input.epoch,
    participant: false,
    suspected: [],
    pending: [],
    nextRef: 1,
    round: input.round,
    seen: {},
    heartbeat: input.heartbeat,
    failureTimeout: input.failureTimeout,
    ackTimeout: input.ackTimeout,
    baseAckTimeout: input.ackTimeout,
    coordinatorTimeout: input.coordinatorTimeout,
  }),
  // a node that boots runs an election, so a restarted higher id takes the lead back
  initial: 'candidate',
  on: {
    // shared by every state; a state's own handlers take precedence
    ACK: { actions: 'noteAck' },
    ACK_TIMEOUT: { actions: 'retry' },
    ALONE: { target: '.leader', actions: 'bumpEpoch' },
    // while electing (candidate, waiting): only a higher leader of a newer epoch counts
    HEARTBEAT: { guard: 'electingAdopts', target: '.follower', actions: 'adoptSender' },
    TIMEOUT: { target: '.candidate', actions: 'suspectLeader' },
    ELECTION: [
      // a copy, or overtaken by a newer round of its originator: acknowledge only
      { guard: 'copy', actions: 'receiveHop' },
      // begun before the election of the leader this node follows, for a lower node
      { guard: 'covered', actions: 'receiveHop' },
      { guard: 'won', target: '.leader', actions: ['receiveHop', 'announce'] },
      {
        guard: and(['complete', 'completeSelf']),
        target: '.leader',
        actions: ['receiveHop', 'announce'],
      },
      { guard: 'complete', target: '.follower', actions: ['receiveHop', 'announce'] },
      {
        guard: 'forward',
        target: '.waiting',
        actions: ['receiveHop', 'freshStart', 'passElectionOn'],
      },
      {
        guard: 'append',
        target: '.waiting',
        actions: ['receiveHop', 'freshStart', 'passElectionOn'],
      },
      { guard: 'substitute', target: '.candidate', actions: ['receiveHop', 'freshStart'] },
      // swallowed or dropped
      { actions: 'receiveHop' },
    ],
    ELECTED: [
      // a copy, or overtaken by a newer round of its originator: acknowledge only
      { guard: 'copy', actions: 'receiveHop' },
      { guard: 'self', target: '.leader', actions: ['receiveHop', 'passAnnouncementOn'] },
      { guard: 'adopt', target: '.follower', actions: ['receiveHop', 'passAnnouncementOn'] },
      { guard: 'challenge', target: '.candidate', actions: 'receiveHop' },
      // back home after a full circle, or stale: acknowledge and drop
      { actions: 'receiveHop' },
    ],
    COORDINATOR: [
      // a copy, or overtaken by a newer round of its originator: acknowledge only
      { guard: 'copy', actions: 'receiveHop' },
      { guard: 'self', target: '.leader', actions: ['receiveHop', 'passAnnouncementOn'] },
      { guard: 'adopt', target: '.follower', actions: ['receiveHop', 'passAnnouncementOn'] },
      { guard: 'challenge', target: '.candidate', actions: 'receiveHop' },
      // back home after a full circle, or stale: acknowledge and drop
      { actions: 'receiveHop' },
    ],
  },
  states: {
    follower: {
      entry: ['leaveElection', 'awaitLeader'],
      exit: cancel('failure'),
      on: {
        FAILURE: { target: 'candidate', actions: 'suspectLeader' },
        TIMEOUT: { target: 'candidate', actions: 'suspectLeader' },
        // Heartbeats do not vouch for their sender in the ring: one sent by a leader just
        // before it crashed must not undo a node's suspicion of it.
        HEARTBEAT: [
          { guard: 'followerHearsLeader', actions: ['noteEpoch', 'resetFailureTimer'] },
          {
            guard: 'followerAdopts',
            actions: ['adoptSender', 'resetFailureTimer'],
          },
          {
            guard: 'followerChallenges',
            target: 'candidate',
            actions: 'freshStart',
          },
        ],
        // a follower that adopts a (new) leader restarts its failure timer
        ELECTED: [
          // a copy, or overtaken by a newer round of its originator: acknowledge only
          { guard: 'copy', actions: 'receiveHop' },
          { guard: 'self', target: 'leader', actions: ['receiveHop', 'passAnnouncementOn'] },
          { guard: 'adopt', actions: ['receiveHop', 'passAnnouncementOn', 'awaitLeader'] },
          { guard: 'challenge', target: 'candidate', actions: ['receiveHop', 'freshStart'] },
          // back home after a full circle, or stale: acknowledge and drop
          { actions: 'receiveHop' },
        ],
        COORDINATOR: [
          // a copy, or overtaken by a newer round of its originator: acknowledge only
          { guard: 'copy', actions: 'receiveHop' },
          { guard: 'self', target: 'leader', actions: ['receiveHop', 'passAnnouncementOn'] },
          { guard: 'adopt', actions: ['receiveHop', 'passAnnouncementOn', 'awaitLeader'] },
          { guard: 'challenge', target: 'candidate', actions: ['receiveHop', 'freshStart'] },
          // back home after a full circle, or stale: acknowledge and drop
          { actions: 'receiveHop' },
        ],
      },
    },
    candidate: {
      entry: ['forgetLeader', 'startElecting', 'initiate', 'scheduleCoordinatorTimer'],
      exit: cancel('coordinator'),
      on: {
        // no result in time: start over, trying every node again (one it skipped may be
        // back, and may be the leader whose heartbeats an electing node ignores from suspects)
        COORDINATOR_TIMEOUT: { target: 'candidate', reenter: true, actions: 'freshStart' },
        TIMEOUT: { target: 'candidate', reenter: true },
        ELECTED: [
          // a copy, or overtaken by a newer round of its originator: acknowledge only
          { guard: 'copy', actions: 'receiveHop' },
          { guard: 'self', target: 'leader', actions: ['receiveHop', 'passAnnouncementOn'] },
          { guard: 'adopt', target: 'follower', actions: ['receiveHop', 'passAnnouncementOn'] },
          { guard: 'challenge', target: 'candidate', reenter: true, actions: 'receiveHop' },
          // back home after a full circle, or stale: acknowledge and drop
          { actions: 'receiveHop' },
        ],
        COORDINATOR: [
          // a copy, or overtaken by a newer round of its originator: acknowledge only
          { guard: 'copy', actions: 'receiveHop' },
          { guard: 'self', target: 'leader', actions: ['receiveHop', 'passAnnouncementOn'] },
          { guard: 'adopt', target: 'follower', actions: ['receiveHop', 'passAnnouncementOn'] },
          { guard: 'challenge', target: 'candidate', reenter: true, actions: 'receiveHop' },
          // back home after a full circle, or stale: acknowledge and drop
          { actions: 'receiveHop' },
        ],
        ELECTION: [
          // a copy, or overtaken by a newer round of its originator: acknowledge only
          { guard: 'copy', actions: 'receiveHop' },
          { guard: 'won', target: 'leader', actions: ['receiveHop', 'announce'] },
          {
            guard: and(['complete', 'completeSelf']),
            target: 'leader',
            actions: ['receiveHop', 'announce'],
          },
          { guard: 'complete', target: 'follower', actions: ['receiveHop', 'announce'] },
          { guard: 'forward', target: 'waiting', actions: ['receiveHop', 'passElectionOn'] },
          // collect-ids: a candidate stays one while passing other lists on
          { guard: 'append', actions: ['receiveHop', 'passElectionOn'] },
          { actions: 'receiveHop' },
        ],
      },
    },
    waiting: {
      entry: ['forgetLeader', 'startElecting', 'scheduleCoordinatorTimer'],
      exit: cancel('coordinator'),
      on: {
        COORDINATOR_TIMEOUT: { target: 'candidate', actions: 'freshStart' },
        ELECTION: [
          // a copy, or overtaken by a newer round of its originator: acknowledge only
          { guard: 'copy', actions: 'receiveHop' },
          { guard: 'won', target: 'leader', actions: ['receiveHop', 'announce'] },
          {
            guard: and(['complete', 'completeSelf']),
            target: 'leader',
            actions: ['receiveHop', 'announce'],
          },
          { guard: 'complete', target: 'follower', actions: ['receiveHop', 'announce'] },
          { guard: 'forward', actions: ['receiveHop', 'passElectionOn'] },
          { guard: 'append', actions: ['receiveHop', 'passElectionOn'] },
          { guard: 'substitute', target: 'candidate', actions: 'receiveHop' },
          { actions: 'receiveHop' },
        ],
      },
    },
    leader: {
      entry: ['becomeLeader', 'scheduleTick'],
      exit: [cancel('tick'), cancel('coordinator')],
      on: {
        TICK: { actions: ['broadcastHeartbeat', 'scheduleTick'] },
        // the leader's own ELECTION (sent to re-assert itself) did not come back: again,
        // trying every node again
        COORDINATOR_TIMEOUT: {
          guard: 'participating',
          actions: ['freshStart', 'initiate', 'scheduleCoordinatorTimer'],
        },
        ALONE: {},
        // another leader (a healed partition): the higher id, or a newer epoch, wins
        HEARTBEAT: [
          {
            guard: 'leaderAdopts',
            target: 'follower',
            actions: 'adoptSender',
          },
          // a lower leader of a newer epoch: re-assert, once (the coordinator timer retries;
          // its heartbeats keep coming while this node's ELECTION is on its way)
          {
            guard: and(['leaderChallenges', not('participating')]),
            actions: ['freshStart', 'initiate', 'scheduleCoordinatorTimer'],
          },
        ],
        ELECTION: [
          // a copy, or overtaken by a newer round of its originator: acknowledge only
          { guard: 'copy', actions: 'receiveHop' },
          // begun before this leader's own election, for a lower node
          { guard: 'covered', actions: 'receiveHop' },
          { guard: 'won', actions: ['receiveHop', 'announce', cancel('coordinator')] },
          {
            guard: and(['complete', 'completeSelf']),
            actions: ['receiveHop', 'announce', cancel('coordinator')],
          },
          { guard: 'complete', target: 'follower', actions: ['receiveHop', 'announce'] },
          // Chang-Roberts: a higher id is alive: step down and pass it on
          {
            guard: 'forward',
            target: 'waiting',
            actions: ['receiveHop', 'freshStart', 'passElectionOn'],
          },
          // collect-ids: a list that names a higher id shows a higher node is alive (one
          // that restarted, say): step down and pass it on, as Chang-Roberts does, so that
          // the two never lead at once
          {
            guard: and(['append', 'namesHigher']),
            target: 'waiting',
            actions: ['receiveHop', 'freshStart', 'passElectionOn'],
          },
          // otherwise the leader passes lists on and stays leader until told otherwise
          { guard: 'append', actions: ['receiveHop', 'passElectionOn'] },
          // a lower id runs: the leader puts its own id in (it stays leader meanwhile)
          {
            guard: 'substitute',
            actions: ['receiveHop', 'freshStart', 'initiate', 'scheduleCoordinatorTimer'],
          },
          { actions: 'receiveHop' },
        ],
        ELECTED: [
          // a copy, or overtaken by a newer round of its originator: acknowledge only
          { guard: 'copy', actions: 'receiveHop' },
          { guard: 'self', actions: ['receiveHop', 'passAnnouncementOn'] },
          { guard: 'adopt', target: 'follower', actions: ['receiveHop', 'passAnnouncementOn'] },
          {
            guard: and(['challenge', not('participating')]),
            actions: ['receiveHop', 'freshStart', 'initiate', 'scheduleCoordinatorTimer'],
          },
          // back home after a full circle, or stale: acknowledge and drop
          { actions: 'receiveHop' },
        ],
        COORDINATOR: [
          // a copy, or overtaken by a newer round of its originator: acknowledge only
          { guard: 'copy', actions: 'receiveHop' },
          { guard: 'self', actions: ['receiveHop', 'passAnnouncementOn'] },
          { guard: 'adopt', target: 'follower', actions: ['receiveHop', 'passAnnouncementOn'] },
          {
            guard: and(['challenge', not('participating')]),
            actions: ['receiveHop', 'freshStart', 'initiate', 'scheduleCoordinatorTimer'],
          },
          // back home after a full circle, or stale: acknowledge and drop
          { actions: 'receiveHop' },
        ],
      },
    },
  },
});
