/**
 * Multi-Paxos leader election as an XState v5 machine (one per node): phase 1 (Prepare /
 * Promise) elects a leader for a ballot, phase 2 (Accept / Accepted) lets it choose values
 * slot by slot. Every node is a proposer, an acceptor and a learner. Like the other
 * machines it does no I/O and has no clock: the engine feeds it messages and timer events
 * and interprets what it sends (`send`, `broadcast`) and which timers it wants (delayed
 * raises). All delays are in microseconds.
 *
 * The decisions (may I promise this ballot? which value does a slot recover?) live in
 * rules.ts as plain functions; this file only says which state each decision leads to.
 */
import { and, assign, cancel, enqueueActions, setup } from 'xstate';
import { eventOf, messageKit, startTimer } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import {
  NO_BALLOT,
  roundOf,
  type AcceptedValue,
  type Decide,
  type Delivered,
  type PaxosMessage,
} from './messages';
import * as rules from './rules';

export interface PaxosContext {
  id: NodeId;
  peers: NodeId[];
  /** Promises (and acceptances) needed: floor(n / 2) + 1. */
  majority: number;
  electionMin: number;
  electionMax: number;
  heartbeat: number;
  /** Leader lease, µs (0: no leases). */
  lease: number;
  // persistent state: survives a crash
  /** The highest round this node has proposed in or seen refuse it. */
  round: number;
  /** The acceptor's promise: it ignores every ballot below this one. */
  promised: number;
  /** The acceptor's accepted values: slot i + 1 at index i (null: nothing accepted there). */
  accepted: (AcceptedValue | null)[];
  // volatile state
  /** The ballot this node campaigns or leads in (NO_BALLOT as a follower). */
  ballot: number;
  /** Candidate: acceptors that promised its ballot, itself included. */
  promises: NodeId[];
  /** Candidate: per slot, the value accepted in the highest ballot among the promises. */
  recovered: (AcceptedValue | null)[];
  /** Leader: the value it proposes in each slot. */
  proposals: number[];
  /** Leader: per slot, the acceptors that accepted its proposal in its ballot. */
  acks: NodeId[][];
  /** Learner: the values known chosen (null: not known yet). */
  chosen: (number | null)[];
  /** Whom this node believes leads. */
  leader: NodeId | null;
  /** A leader's lease is running here: other proposers' Prepares are refused. */
  leased: boolean;
}

export interface PaxosInput {
  id: NodeId;
  peers: NodeId[];
  electionMin: number;
  electionMax: number;
  heartbeat: number;
  lease: number;
  persisted?: Pick<PaxosContext, 'round' | 'promised' | 'accepted'>;
  rand: number;
}

export type PaxosEvent =
  | Delivered<PaxosMessage>
  | { type: 'TIMEOUT'; rand: number }
  | { type: 'ELECTION_TIMEOUT'; rand: number }
  | { type: 'HEARTBEAT'; rand: number }
  | { type: 'LEASE_EXPIRED'; rand: number }
  | { type: 'ClientRequest'; rand: number; command: number };

type Args = { context: PaxosContext; event: PaxosEvent };

const kit = messageKit<PaxosMessage>();

// Sends, as inline action objects: the engine interprets `send` and `broadcast`.
const broadcastPrepare = kit.broadcastWith(({ context }: Args) => ({
  message: { type: 'Prepare', from: context.id, ballot: context.ballot },
}));
const broadcastHeartbeat = kit.broadcastWith(({ context }: Args) => ({
  message: { type: 'Heartbeat', from: context.id, ballot: context.ballot, chosen: context.chosen },
}));
/** Evaluated after the promise was recorded: the reply reports every accepted value. */
const replyPromise = kit.sendWith(({ context, event }: Args) => {
  const e = eventOf(event, 'Prepare');
  return {
    to: e.from,
    message: { type: 'Promise', from: context.id, ballot: e.ballot, accepted: context.accepted },
  };
});
const replyNack = kit.sendWith(({ context, event }: Args) => {
  const e = eventOf(event, ['Prepare', 'Accept', 'Heartbeat']);
  return {
    to: e.from,
    message: { type: 'Nack', from: context.id, ballot: e.ballot, promised: context.promised },
  };
});
const replyAccepted = kit.sendWith(({ context, event }: Args) => {
  const e = eventOf(event, 'Accept');
  return {
    to: e.from,
    message: {
      type: 'Accepted',
      from: context.id,
      ballot: e.ballot,
      slots: e.entries.map((x) => x.slot),
    },
  };
});

/** A campaign: on entering candidate, and again when its timer fires without a result. */
const restartCampaign = ['campaign', broadcastPrepare, 'resetElectionTimer'] as const;

/** A follower whose timer fires: alone it leads at once; otherwise it campaigns. */
const startCampaign = [
  { guard: 'alone', target: 'leader', actions: 'campaign' },
  { target: 'candidate' },
] as const;

/** Accepting an Accept from a leader: it doubles as a heartbeat. */
const acceptActions = ['applyAccept', replyAccepted, 'resetElectionTimer', 'renewLease'] as const;
const heartbeatActions = ['adoptLeader', 'resetElectionTimer', 'renewLease'] as const;
const promiseActions = ['promise', replyPromise] as const;

export const paxosMachine = setup({
  types: {
    context: {} as PaxosContext,
    events: {} as PaxosEvent,
    input: {} as PaxosInput,
  },
  actions: {
    ...kit.actions,
    campaign: assign(({ context }) => rules.campaign(context)),
    promise: assign(({ context, event }) => {
      const e = eventOf(event, 'Prepare');
      return {
        promised: e.ballot,
        round: Math.max(context.round, roundOf(e.ballot)),
        leader: e.from === context.leader ? context.leader : null,
      };
    }),
    applyAccept: assign(({ context, event }) =>
      rules.applyAccept(context, eventOf(event, 'Accept')),
    ),
    adoptLeader: assign(({ context, event }) => {
      const e = eventOf(event, 'Heartbeat');
      return {
        promised: e.ballot,
        round: Math.max(context.round, roundOf(e.ballot)),
        leader: e.from,
        chosen: rules.learn(context.chosen, e.chosen),
      };
    }),
    learnDecided: assign(({ context, event }) => {
      const e: Decide = eventOf(event, 'Decide');
      const sparse: (number | null)[] = Array.from({ length: e.slot }, () => null);
      sparse[e.slot - 1] = e.value;
      return { chosen: rules.learn(context.chosen, sparse) };
    }),
    /** A refusal: the node learns the higher round and gives up its campaign or leadership. */
    noteNack: assign(({ context, event }) => ({
      round: Math.max(context.round, roundOf(eventOf(event, 'Nack').promised)),
      leader: null,
      leased: false,
    })),
    countPromise: assign(({ context, event }) => {
      const e = eventOf(event, 'Promise');
      return {
        promises: [...context.promises, e.from],
        recovered: rules.mergeAccepted(context.recovered, e.accepted),
      };
    }),
    becomeLeader: assign(({ context }) => ({
      ...rules.leadWith(context),
      leased: context.lease > 0,
    })),
    /** Back to following: no campaign, no proposals. */
    clearProposer: assign({
      ballot: NO_BALLOT,
      promises: [],
      recovered: [],
      proposals: [],
      acks: [],
    }),
    broadcastUndecided: enqueueActions(({ context, enqueue }) => {
      const entries = rules.undecided(context);
      if (entries.length > 0)
        kit.enqueueBroadcast(enqueue, {
          type: 'Accept',
          from: context.id,
          ballot: context.ballot,
          entries,
        });
    }),
    /** A client's command in the next free slot; the leader's own acceptor accepts it. */
    propose: enqueueActions(({ context, event, enqueue }) => {
      const value = eventOf(event, 'ClientRequest').command;
      const slot = context.proposals.length + 1;
      const alone = context.majority <= 1;
      const accepted = context.accepted.slice();
      while (accepted.length < slot - 1) accepted.push(null);
      accepted[slot - 1] = { ballot: context.ballot, value };
      const chosen = alone
        ? rules.learn(context.chosen, [...context.proposals, value])
        : context.chosen;
      enqueue.assign({
        proposals: [...context.proposals, value],
        acks: [...context.acks, [context.id]],
        accepted,
        chosen,
      });
      if (!alone)
        kit.enqueueBroadcast(enqueue, {
          type: 'Accept',
          from: context.id,
          ballot: context.ballot,
          entries: [{ slot, value }],
        });
    }),
    /** Counts an acceptance; a slot accepted by a majority in this ballot is chosen and announced. */
    countAccepted: enqueueActions(({ context, event, enqueue }) => {
      const e = eventOf(event, 'Accepted');
      const acks = context.acks.slice();
      let chosen = context.chosen;
      const decided: Decide[] = [];
      for (const slot of e.slots) {
        const i = slot - 1;
        if (i >= acks.length || acks[i].includes(e.from)) continue;
        acks[i] = [...acks[i], e.from];
        if (acks[i].length >= context.majority && (chosen[i] ?? null) === null) {
          const sparse: (number | null)[] = Array.from({ length: slot }, () => null);
          sparse[i] = context.proposals[i];
          chosen = rules.learn(chosen, sparse);
          decided.push({
            type: 'Decide',
            from: context.id,
            ballot: context.ballot,
            slot,
            value: context.proposals[i],
          });
        }
      }
      enqueue.assign({ acks, chosen });
      for (const d of decided) kit.enqueueBroadcast(enqueue, d);
    }),
    renewLease: enqueueActions(({ context, enqueue }) => {
      if (context.lease <= 0) return;
      if (!context.leased) enqueue.assign({ leased: true });
      enqueue.raise({ type: 'LEASE_EXPIRED', rand: 0 }, { id: 'lease', delay: context.lease });
    }),
    endLease: assign({ leased: false }),
    /** (Re)starts the election timer: a fresh random timeout in [min, max]. */
    resetElectionTimer: startTimer({ type: 'ELECTION_TIMEOUT', rand: 0 }, 'election', 'election'),
    scheduleHeartbeat: startTimer({ type: 'HEARTBEAT', rand: 0 }, 'heartbeat', 'heartbeat'),
  },
  guards: {
    alone: ({ context }) => context.majority <= 1,
    leases: ({ context }) => context.lease > 0,
    promises: ({ context, event }) => rules.promises(context, eventOf(event, 'Prepare')),
    accepts: ({ context, event }) =>
      rules.accepts(context, eventOf(event, ['Accept', 'Heartbeat'])),
    countsPromise: ({ context, event }) => rules.countsPromise(context, eventOf(event, 'Promise')),
    /** This promise completes a majority (checked on the promise itself: no eventless transitions). */
    winsWithPromise: ({ context }) => context.promises.length + 1 >= context.majority,
    defeats: ({ context, event }) => rules.defeats(context, eventOf(event, 'Nack')),
    acceptedNews: ({ context, event }) => {
      const e = eventOf(event, 'Accepted');
      return (
        e.ballot === context.ballot &&
        e.slots.some((s) => s <= context.acks.length && !context.acks[s - 1].includes(e.from))
      );
    },
  },
  delays: {
    election: ({ context, event }) => rules.electionDelay(context, event),
    heartbeat: ({ context }) => context.heartbeat,
  },
}).createMachine({
  id: 'paxos',
  context: ({ input }) => ({
    id: input.id,
    peers: input.peers,
    majority: Math.floor((input.peers.length + 1) / 2) + 1,
    electionMin: input.electionMin,
    electionMax: input.electionMax,
    heartbeat: input.heartbeat,
    lease: input.lease,
    round: input.persisted?.round ?? 0,
    promised: input.persisted?.promised ?? NO_BALLOT,
    accepted: input.persisted?.accepted ?? [],
    ballot: NO_BALLOT,
    promises: [],
    recovered: [],
    proposals: [],
    acks: [],
    chosen: [],
    leader: null,
    leased: false,
  }),
  initial: 'follower',
  on: {
    // Shared by every state; a state's own handlers take precedence.
    Decide: { actions: 'learnDecided' },
    LEASE_EXPIRED: { actions: 'endLease' },
    // a candidate or leader that sees a higher ballot follows it
    Prepare: [
      { guard: 'promises', target: '.follower', actions: promiseActions },
      { actions: replyNack },
    ],
    Accept: [
      { guard: 'accepts', target: '.follower', actions: acceptActions },
      { actions: replyNack },
    ],
    Heartbeat: [
      { guard: 'accepts', target: '.follower', actions: heartbeatActions },
      { actions: replyNack },
    ],
    Nack: { guard: 'defeats', target: '.follower', actions: 'noteNack' },
  },
  states: {
    follower: {
      entry: ['clearProposer', 'resetElectionTimer'],
      exit: cancel('election'),
      on: {
        ELECTION_TIMEOUT: startCampaign,
        TIMEOUT: startCampaign,
        Prepare: [
          { guard: 'promises', actions: [...promiseActions, 'resetElectionTimer'] },
          { actions: replyNack },
        ],
        Accept: [{ guard: 'accepts', actions: acceptActions }, { actions: replyNack }],
        Heartbeat: [{ guard: 'accepts', actions: heartbeatActions }, { actions: replyNack }],
      },
    },
    candidate: {
      entry: restartCampaign,
      exit: cancel('election'),
      on: {
        ELECTION_TIMEOUT: { actions: restartCampaign },
        TIMEOUT: { actions: restartCampaign },
        Promise: [
          {
            guard: and(['countsPromise', 'winsWithPromise']),
            target: 'leader',
            actions: 'countPromise',
          },
          { guard: 'countsPromise', actions: 'countPromise' },
        ],
      },
    },
    leader: {
      entry: ['becomeLeader', 'broadcastUndecided', broadcastHeartbeat, 'scheduleHeartbeat'],
      exit: [cancel('heartbeat'), 'endLease'],
      on: {
        HEARTBEAT: { actions: [broadcastHeartbeat, 'broadcastUndecided', 'scheduleHeartbeat'] },
        ClientRequest: { actions: 'propose' },
        Accepted: { guard: 'acceptedNews', actions: 'countAccepted' },
        // With leases, a refused rival still holds its own promise and refuses the leader:
        // the leader runs phase 1 again in a higher round, which the acceptors that hold
        // its lease promise at once (Paxos Made Moderately Complex: a preempted leader
        // tries a higher ballot). Without leases it steps down (the root handler).
        Nack: [
          { guard: and(['defeats', 'leases']), target: 'candidate', actions: 'noteNack' },
          { guard: 'defeats', target: 'follower', actions: 'noteNack' },
        ],
      },
    },
  },
});
