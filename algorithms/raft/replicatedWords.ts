/**
 * What people see of a service replicated on Raft (replicated.ts), shared by every
 * definition that offers one (the lease election's store, the ZooKeeper ensemble): each
 * replica's look (the service's, with its Raft role), the words for its Raft states and
 * messages, the kinds of the Raft messages, its inspector facts and its log lines. Each
 * definition names the service in its own words (`ReplicaWords`).
 */
import type { Fact, MessageInfo, RoleLook } from '../core/definition';
import type { MessageBody, MessageKind } from '../sim/types';
import type { TraceRecord } from '../sim/trace';
import type { RaftMessage } from './messages';
import { narrateRaft } from './narration';
import { REPLICA_STATES, type ReplicatedContext } from './replicated';

export interface ReplicaWords {
  /** Upper-case name on a replica's look: `STORE` gives `STORE LEADER`, `STORE FOLLOWER`... */
  look: string;
  /** What a replica is: `store replica`. */
  replica: string;
  /** What the replicas run together: `the store`. */
  service: string;
  /** The replica that leads: `store leader`. */
  leader: string;
  /** How a log line names a replica: `Store node`. */
  node: string;
  /** The clients a leader answers: `workers`. */
  clients: string;
}

const RAFT_LOOK: Record<string, string> = {
  leader: 'LEADER',
  candidate: 'CANDIDATE',
  precandidate: 'PRE-CANDIDATE',
  follower: 'FOLLOWER',
};

/** A replica's look: the service's glyph and tone, and its role in the Raft group. */
export function replicaLook(w: ReplicaWords, state: string): RoleLook | undefined {
  const role = RAFT_LOOK[state];
  return role === undefined ? undefined : { text: `${w.look} ${role}`, glyph: '▤', tone: 'system' };
}

export const isReplicaState = (state: string) => REPLICA_STATES.includes(state);

/** The words for a replica's Raft states. */
export function replicaStateWords(w: ReplicaWords): Record<string, string> {
  return {
    leader: `the ${w.replica} that leads its Raft group`,
    follower: `a ${w.replica} following its Raft group’s leader`,
    candidate: `a ${w.replica} campaigning to lead its Raft group`,
    precandidate: `a ${w.replica} asking whether it could win an election (pre-vote)`,
  };
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The replicas' messages: Raft's among themselves, and the refusal a client gets. */
export function replicaMessages(w: ReplicaWords): Record<string, MessageInfo> {
  return {
    NotLeader: {
      kind: 'refused',
      text: `A ${w.replica} that does not lead refuses a request and names the leader it follows`,
    },
    RequestVote: {
      kind: 'request',
      text: `A ${w.replica} asks the others for a vote (or a pre-vote) to lead ${w.service}`,
    },
    RequestVoteResponse: {
      kind: 'granted',
      kinds: ['granted', 'refused'],
      text: `A ${w.replica} grants or refuses its vote`,
    },
    AppendEntries: {
      kind: 'heartbeat',
      text: `The ${w.leader} replicates its log (${w.clients}’ requests) or sends a heartbeat`,
    },
    AppendEntriesResponse: {
      kind: 'ack',
      kinds: ['ack', 'refused'],
      text: `A ${w.replica} says whether its log now matches the leader’s`,
    },
  };
}

/** The kind of one of the replicas' Raft messages (`other` for anything else). */
export function replicaKindOf(body: MessageBody): MessageKind {
  const m = body as unknown as RaftMessage;
  switch (m.type) {
    case 'RequestVote':
      return 'request';
    case 'RequestVoteResponse':
      return m.granted ? 'granted' : 'refused';
    case 'AppendEntries':
      return 'heartbeat';
    case 'AppendEntriesResponse':
      return m.success ? 'ack' : 'refused';
    default:
      return 'other';
  }
}

/** A replica's place in its group and its log, for the inspector. */
export function replicaFacts(w: ReplicaWords, c: ReplicatedContext<unknown>): Fact[] {
  return [
    {
      label: `${w.service.replace(/^the /, '')} group`,
      value: `${c.leader === c.id ? 'leader' : c.leader === null ? 'no leader known' : `follows node ${c.leader}`}, term ${c.term}`,
      hint: `The replicas run Raft: only the leader answers ${w.clients}, after a majority has the request`,
    },
    {
      label: 'log',
      value: `${c.log.length} entries, committed ${c.commitIndex}, applied ${c.applied}`,
      hint: `${cap(w.service)}’s state is the committed log applied in order`,
    },
  ];
}

/**
 * What a replica did with a message or timer, or null if the record is not a replica's.
 * `requests` names the client requests (`KeepAlive: 'keep-alive'`); `timer` tells the
 * service's own timers (a lease or a session that ran out).
 */
export function replicaLine(
  w: ReplicaWords,
  r: TraceRecord,
  requests: Record<string, string>,
  timer: (r: TraceRecord) => string | null,
): string | null {
  if ((r.kind !== 'timer' && r.kind !== 'deliver') || r.after === undefined) return null;
  if (!isReplicaState(r.after)) return null;
  const who = `${w.node} ${r.node}`;
  const req = requests[r.type];
  if (req !== undefined && r.kind === 'deliver')
    return r.before === 'leader'
      ? `${who}, the ${w.leader}, appends node ${r.from}'s ${req} to its log: it answers once a majority of replicas has it`
      : `${who} does not lead ${w.service}: it refuses node ${r.from}'s ${req} and names the leader it follows, if any`;
  const own = r.kind === 'timer' ? timer(r) : null;
  if (own !== null) return own;
  const raft = narrateRaft(r);
  if (raft === null) return null;
  const line = raft.replace(/^Node (\d+)/, `${w.node} $1`);
  const applied = r.note?.startsWith('applied ') ? r.note.slice(8) : undefined;
  return applied === undefined
    ? line
    : `${line}; entries up to ${applied} are committed and applied to ${w.service}${r.after === 'leader' ? `, and the ${w.clients} answered` : ''}`;
}
