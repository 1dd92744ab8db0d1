/**
 * Raft as one plug-in: the engine's model (model.ts) plus what people see: words,
 * message kinds, narration, inspector facts, presets and lessons.
 */
import type { AlgorithmDefinition, RoleClass } from '../core/definition';
import type { NodeSummary } from '../sim/types';
import {
  heartbeatMs,
  raftDefaults,
  raftModel,
  raftParamsSchema,
  type RaftParams,
  type RaftParamsInput,
} from './model';
import type { RaftContext } from './machine';
import { narrateRaft } from './narration';
import { raftPresets } from './presets';
import { raftLessons } from './lessons';
import { raftExperiments } from './experiments';
import { replicaKindOf } from './replicatedWords';

/** Raft's own messages are the replicas' messages: one mapping serves both. */
const kindOf = replicaKindOf;

const ROLE_OF: Record<string, RoleClass> = {
  follower: 'follower',
  precandidate: 'candidate',
  candidate: 'candidate',
  leader: 'leader',
};

/** Params as validated (timing may be unset) or as resolved for a network. */
type Params = RaftParamsInput | RaftParams;

export const raft: AlgorithmDefinition<Params> = {
  ...raftModel,
  title: 'Raft',
  description:
    'Raft (Ongaro and Ousterhout, 2014): every node starts as a follower with a randomised election ' +
    'timeout. When it hears nothing from a leader before the timeout fires, it becomes a candidate ' +
    'for the next term, votes for itself and asks the others for votes; a node grants at most one ' +
    'vote per term, and only to a candidate whose log is at least as up to date as its own. A ' +
    'candidate with votes from a majority becomes leader and sends heartbeats (empty AppendEntries) ' +
    'to keep the others from starting elections. Any node that sees a higher term steps down. ' +
    'Options: pre-vote (ask first whether you could win, so a rejoining node cannot disrupt a ' +
    'healthy cluster) and check-quorum (a leader that cannot reach a majority steps down).',
  params: raftParamsSchema,
  defaults: raftDefaults,
  vocabulary: { leader: 'leader', epoch: 'term' },
  leaderRule: 'term',
  roles: ['leader', 'candidate', 'follower'],
  look(summary: NodeSummary, state: string) {
    if (state === 'precandidate') return { text: 'PRE-CANDIDATE', glyph: '⚑' };
    return undefined;
  },
  roleOf: (state) => ROLE_OF[state] ?? 'other',
  initialRole: 'follower',
  stateWords: {
    follower: 'a follower',
    precandidate: 'a pre-candidate',
    candidate: 'a candidate',
    leader: 'the leader',
  },
  messages: {
    RequestVote: { kind: 'request', text: 'A candidate asks for a vote (or a pre-vote) in a term' },
    RequestVoteResponse: {
      kind: 'granted',
      kinds: ['granted', 'refused'],
      text: 'A vote granted or refused',
    },
    AppendEntries: {
      kind: 'heartbeat',
      text: "The leader's heartbeat, carrying log entries when it has new ones",
    },
    AppendEntriesResponse: {
      kind: 'ack',
      kinds: ['ack', 'refused'],
      text: 'A follower says whether its log now matches the leader’s',
    },
  },
  kindOf,
  explain(before, after, event) {
    // a candidate counting a (pre-)vote: how many it holds now, of how many it needs
    if (event.type !== 'RequestVoteResponse') return undefined;
    const b = before.context as RaftContext;
    const a = after.context as RaftContext;
    if (a.votes === b.votes) return undefined;
    return `votes ${a.votes.length}/${a.majority}`;
  },
  timers: {
    ELECTION_TIMEOUT:
      'The election timer: no word from a leader for a random time within the election timeout',
    HEARTBEAT: 'The leader’s heartbeat interval',
    QUORUM_CHECK: 'Check-quorum: has a majority answered since the last check?',
    TIMEOUT: 'A timeout forced by the user',
    ClientRequest: 'A client’s command handed to the leader',
  },
  epochText: (s) => (s.term === undefined ? '' : `term ${s.term}`),
  contextFields: {
    config: ['majority', 'electionMin', 'electionMax', 'heartbeat', 'preVote', 'checkQuorum'],
    micros: ['electionMin', 'electionMax', 'heartbeat'],
  },
  narrate: narrateRaft,
  facts({ context, summary }) {
    const c = context as RaftContext | undefined;
    if (!c) return [];
    return [
      { label: 'term', value: String(summary.term ?? c.term), hint: 'Raft’s logical clock' },
      {
        label: 'voted for',
        value: c.votedFor === null ? 'nobody' : `node ${c.votedFor}`,
        hint: 'At most one vote per term; kept across a crash',
      },
      {
        label: 'log',
        value: `${c.log.length} entr${c.log.length === 1 ? 'y' : 'ies'}, commit index ${c.commitIndex}`,
        hint: 'Entries stored on a majority are committed',
      },
    ];
  },
  log(context) {
    const c = context as RaftContext | undefined;
    return c ? { entries: c.log, commit: c.commitIndex } : null;
  },
  clientRequest: { event: 'ClientRequest', text: 'Send the leader a client command (W)' },
  invariants: {
    'log-matching': {
      title: 'Log matching',
      promise: 'same index and term ⇒ same entries before',
    },
    'leader-completeness': {
      title: 'Leader completeness',
      promise: 'a leader has every committed entry',
    },
    'state-machine-safety': {
      title: 'State machine safety',
      promise: 'no two nodes apply different commands at one index',
    },
    'commit-durability': {
      title: 'Commit durability',
      promise: 'a committed entry stays on a majority of the logs',
    },
    'vote-counting': {
      title: 'Vote counting',
      promise: 'a candidate counts only votes granted to it in its own term',
    },
    'commit-rule': {
      title: 'Commit rule',
      promise: 'a leader commits only by counting replicas of its own term’s entries',
    },
  },
  presets: raftPresets,
  lessons: raftLessons,
  // experiments pass resolved params, where the election timeout is always set
  heartbeatMs: (p) => heartbeatMs(p as RaftParams),
  experiments: raftExperiments,
};
