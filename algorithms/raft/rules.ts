/**
 * Raft's decisions as plain functions of a node's context and a message, so that they
 * read like the paper (Figure 2, §5.2, §5.4.1) and can be tested on their own.
 */
import type { RaftContext } from './machine';
import type {
  AppendEntries,
  AppendEntriesResponse,
  Delivered,
  RequestVote,
  RequestVoteResponse,
} from './messages';
import type { NodeId } from '../sim/types';

export type Role = 'follower' | 'leader' | 'other';

type Ctx = Pick<
  RaftContext,
  'id' | 'term' | 'votedFor' | 'log' | 'leader' | 'checkQuorum' | 'electionMin' | 'electionMax'
>;

export function lastLogTerm(log: RaftContext['log']): number {
  return log.length === 0 ? 0 : log[log.length - 1].term;
}

/** §5.4.1: the candidate's log is at least as up to date as ours. */
export function logUpToDate(
  ctx: Ctx,
  e: Pick<RequestVote, 'lastLogTerm' | 'lastLogIndex'>,
): boolean {
  const myTerm = lastLogTerm(ctx.log);
  return e.lastLogTerm > myTerm || (e.lastLogTerm === myTerm && e.lastLogIndex >= ctx.log.length);
}

/**
 * Check-quorum's leader lease: a follower that has heard from a leader since its
 * election timer last started, or a leader itself, believes the leader is alive and
 * ignores a higher-term RequestVote instead of being disrupted by it.
 */
export function inLease(ctx: Ctx, state: Role): boolean {
  if (!ctx.checkQuorum) return false;
  return state === 'leader' || (state === 'follower' && ctx.leader !== null);
}

/** At most one vote per term, only for an up-to-date log. */
export function grantsVote(ctx: Ctx, e: RequestVote, state: Role): boolean {
  if (e.pre || e.term < ctx.term) return false;
  if (e.term > ctx.term && inLease(ctx, state)) return false;
  const free =
    e.term > ctx.term ||
    ctx.votedFor === e.candidate ||
    (ctx.votedFor === null && ctx.leader === null);
  return free && logUpToDate(ctx, e);
}

/**
 * Pre-vote (Raft thesis §9.6): yes if the candidate could win (a higher term and an
 * up-to-date log) and we have not heard from a leader since our timer last started.
 */
export function grantsPreVote(ctx: Ctx, e: RequestVote): boolean {
  return e.pre && e.term > ctx.term && ctx.leader === null && logUpToDate(ctx, e);
}

/** A uniform election timeout in [min, max] µs, from the event's random integer. */
export function electionDelay(ctx: Ctx, event: unknown): number {
  const e = event as { rand?: number; input?: { rand?: number } };
  const rand = e.rand ?? e.input?.rand ?? 0;
  return ctx.electionMin + (rand % (ctx.electionMax - ctx.electionMin + 1));
}

export function requestVote(ctx: Ctx, pre: boolean): RequestVote {
  return {
    type: 'RequestVote',
    from: ctx.id,
    term: pre ? ctx.term + 1 : ctx.term,
    candidate: ctx.id,
    lastLogIndex: ctx.log.length,
    lastLogTerm: lastLogTerm(ctx.log),
    pre,
  };
}

export function heartbeat(ctx: Ctx): AppendEntries {
  return {
    type: 'AppendEntries',
    from: ctx.id,
    term: ctx.term,
    leader: ctx.id,
    prevLogIndex: ctx.log.length,
    prevLogTerm: lastLogTerm(ctx.log),
    entries: [],
    leaderCommit: 0,
  };
}

type Reply<M> = { to: NodeId; message: M };

/** Evaluated after the vote (if any) was recorded in the context. */
export function voteReply(ctx: Ctx, e: Delivered<RequestVote>): Reply<RequestVoteResponse> {
  const granted = ctx.term === e.term && ctx.votedFor === e.candidate;
  return {
    to: e.from,
    message: { type: 'RequestVoteResponse', from: ctx.id, term: ctx.term, granted, pre: false },
  };
}

export function preVoteReply(ctx: Ctx, e: Delivered<RequestVote>): Reply<RequestVoteResponse> {
  const granted = grantsPreVote(ctx, e);
  return {
    to: e.from,
    message: {
      type: 'RequestVoteResponse',
      from: ctx.id,
      term: granted ? e.term : ctx.term,
      granted,
      pre: true,
    },
  };
}

/** Evaluated after a valid leader was accepted, so success means "same term". */
export function appendReply(ctx: Ctx, e: Delivered<AppendEntries>): Reply<AppendEntriesResponse> {
  return {
    to: e.from,
    message: {
      type: 'AppendEntriesResponse',
      from: ctx.id,
      term: ctx.term,
      success: e.term === ctx.term,
      matchIndex: ctx.log.length,
    },
  };
}
