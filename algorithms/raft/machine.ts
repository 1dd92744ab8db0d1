/**
 * Raft leader election as an XState v5 machine (one per node). Like etcd-io/raft's core
 * it does no I/O and has no clock: the engine feeds it messages and timer events and
 * interprets what it wants to send (`send`, `broadcast`) and which timers it wants
 * (delayed raises, which the engine turns into timers). All delays are in microseconds.
 *
 * The election timer is an explicit delayed raise with id "election" rather than an
 * `after` transition: resetting it on every heartbeat is then a targetless transition
 * (cancel + raise), not an exit and re-entry of the follower state, which halves the
 * cost of the most common event in a run.
 *
 * The decisions (may I grant this vote? is this log up to date?) live in rules.ts as
 * plain functions; this file only says which state each decision leads to.
 */
import { and, assign, cancel, enqueueActions, setup } from 'xstate';
import { eventOf, messageKit, startTimer } from '../sim/machineKit';
import type { NodeId } from '../sim/types';
import type { Delivered, LogEntry, RaftMessage } from './messages';
import * as rules from './rules';

export interface RaftContext {
  id: NodeId;
  peers: NodeId[];
  /** Votes needed to win: floor(n / 2) + 1. */
  majority: number;
  electionMin: number;
  electionMax: number;
  heartbeat: number;
  preVote: boolean;
  checkQuorum: boolean;
  // persistent state: survives a crash
  term: number;
  votedFor: NodeId | null;
  log: LogEntry[];
  // volatile state
  /** Highest log index known to be committed (stored on a majority). */
  commitIndex: number;
  /** Leader: the next log index to send to each peer, and the highest known to match. */
  nextIndex: Record<NodeId, number>;
  matchIndex: Record<NodeId, number>;
  /** Votes (or pre-votes) received in the current campaign, including our own. */
  votes: NodeId[];
  leader: NodeId | null;
  /** Leader with check-quorum: peers heard from since the last quorum check. */
  acks: NodeId[];
}

export interface RaftInput {
  id: NodeId;
  peers: NodeId[];
  electionMin: number;
  electionMax: number;
  heartbeat: number;
  preVote: boolean;
  checkQuorum: boolean;
  persisted?: { term: number; votedFor: NodeId | null; log: LogEntry[] };
  rand: number;
}

export type RaftEvent =
  | Delivered<RaftMessage>
  | { type: 'TIMEOUT'; rand: number }
  | { type: 'ELECTION_TIMEOUT'; rand: number }
  | { type: 'ClientRequest'; rand: number; command: number }
  | { type: 'HEARTBEAT'; rand: number }
  | { type: 'QUORUM_CHECK'; rand: number };

type Args = { context: RaftContext; event: RaftEvent };

const kit = messageKit<RaftMessage>();

/** Every message carries its sender's term. */
const MESSAGES: RaftMessage['type'][] = [
  'RequestVote',
  'RequestVoteResponse',
  'AppendEntries',
  'AppendEntriesResponse',
];
const termOf = (e: RaftEvent) => eventOf(e, MESSAGES).term;

// Sends, as inline action objects: the engine interprets `send` and `broadcast`.
const broadcastRequestVote = kit.broadcastWith(({ context }: Args) => ({
  message: rules.requestVote(context, false),
}));
const broadcastPreVote = kit.broadcastWith(({ context }: Args) => ({
  message: rules.requestVote(context, true),
}));
const broadcastAppend = kit.broadcastWith(({ context }: Args) => ({
  message: rules.heartbeat(context),
}));
/** One AppendEntries to the peer that just answered, from its nextIndex on. */
const replicateTo = kit.sendWith(({ context, event }: Args) => {
  const to = eventOf(event, 'AppendEntriesResponse').from;
  return { to, message: rules.appendFor(context, to) };
});
const replyVote = kit.sendWith(({ context, event }: Args) =>
  rules.voteReply(context, eventOf(event, 'RequestVote')),
);
const replyPreVote = kit.sendWith(({ context, event }: Args) =>
  rules.preVoteReply(context, eventOf(event, 'RequestVote')),
);
const replyAppend = kit.sendWith(({ context, event }: Args) =>
  rules.appendReply(context, eventOf(event, 'AppendEntries')),
);

/**
 * A (pre-)campaign: on entering the state, and again when its timer fires without a
 * result. Running the entry actions as a targetless transition, rather than re-entering
 * the state, has the same effect (the new election timer replaces the one that fired)
 * for less work: this is the commonest event while candidates split the vote.
 */
const restartPreVote = ['startPreVote', broadcastPreVote, 'resetElectionTimer'] as const;
const restartElection = ['startElection', broadcastRequestVote, 'resetElectionTimer'] as const;

/** A follower whose timer fires: alone it wins at once; with pre-vote it asks first. */
const campaign = [
  { guard: 'alone', target: 'leader', actions: 'startElection' },
  { guard: 'preVoteOn', target: 'precandidate' },
  { target: 'candidate' },
] as const;

export const raftMachine = setup({
  types: {
    context: {} as RaftContext,
    events: {} as RaftEvent,
    input: {} as RaftInput,
  },
  actions: {
    ...kit.actions,
    adoptTerm: assign(({ event }) => ({
      term: termOf(event),
      votedFor: null,
      leader: null,
    })),
    grantVote: assign(({ event }) => {
      const e = eventOf(event, 'RequestVote');
      return { term: e.term, votedFor: e.candidate, leader: null };
    }),
    /** Accept a current leader and apply what it sent (one assign: each one clones the snapshot). */
    acceptAppend: assign(({ context, event }) => {
      const e = eventOf(event, 'AppendEntries');
      const ctx = e.term > context.term ? { ...context, term: e.term, votedFor: null } : context;
      const applied = rules.logMatches(ctx, e) ? rules.applyAppend(ctx, e) : {};
      return { term: ctx.term, votedFor: ctx.votedFor, leader: e.leader, ...applied };
    }),
    /** Appends the command; a leader that is its own majority (one node) commits it at once. */
    appendCommand: assign(({ context, event }) => {
      const log = [
        ...context.log,
        { term: context.term, command: eventOf(event, 'ClientRequest').command },
      ];
      return { log, commitIndex: rules.advanceCommit({ ...context, log }, context.matchIndex) };
    }),
    /** Sends each lagging peer what it misses; peers already caught up get a heartbeat. */
    replicate: enqueueActions(({ context, enqueue }) => {
      for (const p of context.peers) kit.enqueueSend(enqueue, p, rules.appendFor(context, p));
    }),
    recordMatch: assign(({ context, event }) => {
      const e = eventOf(event, 'AppendEntriesResponse');
      const matchIndex = { ...context.matchIndex, [e.from]: e.matchIndex };
      return {
        matchIndex,
        nextIndex: { ...context.nextIndex, [e.from]: e.matchIndex + 1 },
        commitIndex: rules.advanceCommit(context, matchIndex),
        acks:
          context.checkQuorum && !context.acks.includes(e.from)
            ? [...context.acks, e.from]
            : context.acks,
      };
    }),
    /** A refusal is still an answer from this term: check-quorum counts it as contact. */
    backOff: assign(({ context, event }) => {
      const e = eventOf(event, 'AppendEntriesResponse');
      const next = Math.max(1, Math.min((context.nextIndex[e.from] ?? 1) - 1, e.matchIndex + 1));
      return {
        nextIndex: { ...context.nextIndex, [e.from]: next },
        acks:
          context.checkQuorum && !context.acks.includes(e.from)
            ? [...context.acks, e.from]
            : context.acks,
      };
    }),
    forgetLeader: assign({ leader: null }),
    startPreVote: assign(({ context }) => ({ votes: [context.id], leader: null })),
    startElection: assign(({ context }) => ({
      term: context.term + 1,
      votedFor: context.id,
      votes: [context.id],
      leader: null,
    })),
    countVote: assign(({ context, event }) => ({
      votes: [...context.votes, eventOf(event, 'RequestVoteResponse').from],
    })),
    becomeLeader: assign(({ context }) => {
      const nextIndex: Record<NodeId, number> = {};
      const matchIndex: Record<NodeId, number> = {};
      for (const p of context.peers) {
        nextIndex[p] = context.log.length + 1;
        matchIndex[p] = 0;
      }
      return { leader: context.id, acks: [], nextIndex, matchIndex };
    }),
    clearAcks: assign({ acks: [] }),
    recordAck: assign(({ context, event }) => ({
      acks: [...context.acks, eventOf(event, 'AppendEntriesResponse').from],
    })),
    /** (Re)starts the election timer: a fresh random timeout in [min, max]. The engine
     * keeps only the last schedule per id, so no cancel is needed first. */
    resetElectionTimer: startTimer({ type: 'ELECTION_TIMEOUT', rand: 0 }, 'election', 'election'),
    scheduleHeartbeat: startTimer({ type: 'HEARTBEAT', rand: 0 }, 'heartbeat', 'heartbeat'),
    scheduleQuorumCheck: enqueueActions(({ context, enqueue }) => {
      if (context.checkQuorum)
        enqueue.raise(
          { type: 'QUORUM_CHECK', rand: 0 },
          { id: 'quorum', delay: context.electionMin },
        );
    }),
  },
  guards: {
    preVoteOn: ({ context }) => context.preVote,
    grantsPreVote: ({ context, event }) =>
      rules.grantsPreVote(context, eventOf(event, 'RequestVote')),
    isPreVote: ({ event }) => eventOf(event, 'RequestVote').pre,
    grantsVote: ({ context, event }, _: { state: rules.Role }) =>
      rules.grantsVote(context, eventOf(event, 'RequestVote'), _.state),
    ignoresInLease: ({ context, event }, p: { state: rules.Role }) =>
      rules.inLease(context, p.state) && termOf(event) > context.term,
    higherTerm: ({ context, event }) => termOf(event) > context.term,
    /** A granted pre-vote carries the proposed (higher) term: that is not news of a newer term. */
    higherTermReply: ({ context, event }) => {
      const e = eventOf(event, 'RequestVoteResponse');
      return e.term > context.term && !(e.pre && e.granted);
    },
    currentOrNewerLeader: ({ context, event }) =>
      eventOf(event, 'AppendEntries').term >= context.term,
    /** The common case: a heartbeat from the leader we know that changes nothing. */
    plainHeartbeat: ({ context, event }) => {
      const e = eventOf(event, 'AppendEntries');
      return (
        e.term === context.term && e.leader === context.leader && !rules.appendChanges(context, e)
      );
    },
    allCaughtUp: ({ context }) => rules.allCaughtUp(context),
    ackAdvances: ({ context, event }) => {
      const e = eventOf(event, 'AppendEntriesResponse');
      return (
        e.success && e.term === context.term && e.matchIndex > (context.matchIndex[e.from] ?? 0)
      );
    },
    ackFailed: ({ context, event }) => {
      const e = eventOf(event, 'AppendEntriesResponse');
      return !e.success && e.term === context.term;
    },
    countsVote: ({ context, event }) => {
      const e = eventOf(event, 'RequestVoteResponse');
      return !e.pre && e.granted && e.term === context.term && !context.votes.includes(e.from);
    },
    countsPreVote: ({ context, event }) => {
      const e = eventOf(event, 'RequestVoteResponse');
      return e.pre && e.granted && e.term === context.term + 1 && !context.votes.includes(e.from);
    },
    /** This vote completes a majority (checked on the vote itself: no eventless transitions, they cost on every event). */
    winsWithVote: ({ context }) => context.votes.length + 1 >= context.majority,
    /** A one-node cluster is its own majority. */
    alone: ({ context }) => context.majority <= 1,
    countsAck: ({ context, event }) => {
      const e = eventOf(event, 'AppendEntriesResponse');
      return context.checkQuorum && e.term === context.term && !context.acks.includes(e.from);
    },
    quorumHeard: ({ context }) => context.acks.length + 1 >= context.majority,
  },
  delays: {
    election: ({ context, event }) => rules.electionDelay(context, event),
    heartbeat: ({ context }) => context.heartbeat,
    quorum: ({ context }) => context.electionMin,
  },
}).createMachine({
  id: 'raft',
  context: ({ input }) => ({
    id: input.id,
    peers: input.peers,
    majority: Math.floor((input.peers.length + 1) / 2) + 1,
    electionMin: input.electionMin,
    electionMax: input.electionMax,
    heartbeat: input.heartbeat,
    preVote: input.preVote,
    checkQuorum: input.checkQuorum,
    term: input.persisted?.term ?? 0,
    votedFor: input.persisted?.votedFor ?? null,
    log: input.persisted?.log ?? [],
    commitIndex: 0,
    nextIndex: {},
    matchIndex: {},
    votes: [],
    leader: null,
    acks: [],
  }),
  initial: 'follower',
  on: {
    // Fallbacks shared by the candidate states; a state's own handlers take precedence.
    RequestVote: [
      { guard: 'isPreVote', actions: replyPreVote },
      {
        guard: { type: 'grantsVote', params: { state: 'other' } },
        target: '.follower',
        actions: ['grantVote', replyVote],
      },
      { guard: 'higherTerm', target: '.follower', actions: ['adoptTerm', replyVote] },
      { actions: replyVote },
    ],
    RequestVoteResponse: { guard: 'higherTermReply', target: '.follower', actions: 'adoptTerm' },
    AppendEntries: [
      {
        guard: 'currentOrNewerLeader',
        target: '.follower',
        actions: ['acceptAppend', replyAppend],
      },
      { actions: replyAppend },
    ],
    AppendEntriesResponse: { guard: 'higherTerm', target: '.follower', actions: 'adoptTerm' },
  },
  states: {
    follower: {
      entry: 'resetElectionTimer',
      exit: cancel('election'),
      on: {
        ELECTION_TIMEOUT: campaign,
        TIMEOUT: campaign,
        AppendEntries: [
          // the common case: a heartbeat from the leader we know resets the timer
          { guard: 'plainHeartbeat', actions: [replyAppend, 'resetElectionTimer'] },
          {
            guard: 'currentOrNewerLeader',
            actions: ['acceptAppend', replyAppend, 'resetElectionTimer'],
          },
          { actions: replyAppend },
        ],
        RequestVote: [
          { guard: 'isPreVote', actions: replyPreVote },
          // check-quorum: a follower that hears from a live leader ignores disruptive candidates
          { guard: { type: 'ignoresInLease', params: { state: 'follower' } } },
          {
            guard: { type: 'grantsVote', params: { state: 'follower' } },
            actions: ['grantVote', replyVote, 'resetElectionTimer'],
          },
          // a higher term is adopted, but a refused vote does not reset the election timer
          { guard: 'higherTerm', actions: ['adoptTerm', replyVote] },
          { actions: replyVote },
        ],
        RequestVoteResponse: { guard: 'higherTermReply', actions: 'adoptTerm' },
        AppendEntriesResponse: { guard: 'higherTerm', actions: 'adoptTerm' },
      },
    },
    precandidate: {
      entry: restartPreVote,
      exit: cancel('election'),
      on: {
        ELECTION_TIMEOUT: { actions: restartPreVote },
        TIMEOUT: { actions: restartPreVote },
        RequestVoteResponse: [
          { guard: 'higherTermReply', target: 'follower', actions: 'adoptTerm' },
          { guard: and(['countsPreVote', 'winsWithVote']), target: 'candidate' },
          { guard: 'countsPreVote', actions: 'countVote' },
        ],
      },
    },
    candidate: {
      entry: restartElection,
      exit: cancel('election'),
      on: {
        ELECTION_TIMEOUT: { actions: restartElection },
        TIMEOUT: { actions: restartElection },
        RequestVoteResponse: [
          { guard: 'higherTermReply', target: 'follower', actions: 'adoptTerm' },
          { guard: and(['countsVote', 'winsWithVote']), target: 'leader', actions: 'countVote' },
          { guard: 'countsVote', actions: 'countVote' },
        ],
      },
    },
    leader: {
      entry: ['becomeLeader', broadcastAppend, 'scheduleHeartbeat', 'scheduleQuorumCheck'],
      exit: [cancel('heartbeat'), cancel('quorum')],
      on: {
        HEARTBEAT: [
          { guard: 'allCaughtUp', actions: [broadcastAppend, 'scheduleHeartbeat'] },
          { actions: ['replicate', 'scheduleHeartbeat'] },
        ],
        ClientRequest: { actions: ['appendCommand', 'replicate'] },
        QUORUM_CHECK: [
          { guard: 'quorumHeard', actions: ['clearAcks', 'scheduleQuorumCheck'] },
          // check-quorum: a leader cut off from a majority steps down by itself
          { target: 'follower', actions: 'forgetLeader' },
        ],
        AppendEntriesResponse: [
          { guard: 'higherTerm', target: 'follower', actions: 'adoptTerm' },
          { guard: 'ackAdvances', actions: 'recordMatch' },
          { guard: 'ackFailed', actions: ['backOff', replicateTo] },
          { guard: 'countsAck', actions: 'recordAck' },
        ],
        RequestVote: [
          { guard: 'isPreVote', actions: replyPreVote },
          { guard: { type: 'ignoresInLease', params: { state: 'leader' } } },
          {
            guard: { type: 'grantsVote', params: { state: 'leader' } },
            target: 'follower',
            actions: ['grantVote', replyVote],
          },
          { guard: 'higherTerm', target: 'follower', actions: ['adoptTerm', replyVote] },
          { actions: replyVote },
        ],
      },
    },
  },
});
