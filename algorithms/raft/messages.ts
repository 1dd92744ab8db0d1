/**
 * Raft's messages (Ongaro & Ousterhout, Figure 2). Each carries its sender in `from`;
 * the engine stamps `rand` (a fresh random integer for timers) when it delivers one.
 */
import type { NodeId } from '../sim/types';

/**
 * A log entry. Raft's own client commands are numbers, which keep logs small and easy to
 * compare; a state machine built on this Raft (the lease election's replicated store) puts
 * its own requests in `command`.
 */
export interface LogEntry<C = number> {
  term: number;
  command: C;
}

export interface RequestVote {
  type: 'RequestVote';
  from: NodeId;
  /** The candidate's term; for a pre-vote, the term it would campaign in. */
  term: number;
  candidate: NodeId;
  lastLogIndex: number;
  lastLogTerm: number;
  /** Pre-vote (Raft thesis §9.6): asks "would you vote for me?" without bumping terms. */
  pre: boolean;
}

export interface RequestVoteResponse {
  type: 'RequestVoteResponse';
  from: NodeId;
  term: number;
  granted: boolean;
  pre: boolean;
}

export interface AppendEntries {
  type: 'AppendEntries';
  from: NodeId;
  term: number;
  leader: NodeId;
  prevLogIndex: number;
  prevLogTerm: number;
  entries: LogEntry[];
  leaderCommit: number;
}

export interface AppendEntriesResponse {
  type: 'AppendEntriesResponse';
  from: NodeId;
  term: number;
  success: boolean;
  matchIndex: number;
}

export type RaftMessage = RequestVote | RequestVoteResponse | AppendEntries | AppendEntriesResponse;

export type Delivered<M> = M & { rand: number };

export const RAFT_MESSAGE_TYPES = [
  'RequestVote',
  'RequestVoteResponse',
  'AppendEntries',
  'AppendEntriesResponse',
] as const;

export function label(m: RaftMessage): string {
  switch (m.type) {
    case 'RequestVote':
      return `${m.pre ? 'PreVote' : 'RequestVote'} t${m.term}`;
    case 'RequestVoteResponse':
      return `${m.pre ? 'PreVote' : 'Vote'} ${m.granted ? 'yes' : 'no'} t${m.term}`;
    case 'AppendEntries':
      return m.entries.length === 0
        ? `Heartbeat t${m.term}`
        : `AppendEntries t${m.term} +${m.entries.length}`;
    case 'AppendEntriesResponse':
      return `Ack ${m.success ? 'ok' : 'fail'} t${m.term}`;
  }
}
