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
  | 'id'
  | 'term'
  | 'votedFor'
  | 'log'
  | 'leader'
  | 'checkQuorum'
  | 'electionMin'
  | 'electionMax'
  | 'commitIndex'
>;
type LeaderCtx = Ctx & Pick<RaftContext, 'peers' | 'majority' | 'nextIndex' | 'matchIndex'>;

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
    leaderCommit: ctx.commitIndex,
  };
}

/** AppendEntries for one follower: the entries from its nextIndex on (§5.3). */
export function appendFor(ctx: LeaderCtx, peer: NodeId): AppendEntries {
  const next = ctx.nextIndex[peer] ?? ctx.log.length + 1;
  const prev = next - 1;
  return {
    type: 'AppendEntries',
    from: ctx.id,
    term: ctx.term,
    leader: ctx.id,
    prevLogIndex: prev,
    prevLogTerm: prev === 0 ? 0 : ctx.log[prev - 1].term,
    entries: ctx.log.slice(prev),
    leaderCommit: ctx.commitIndex,
  };
}

/** Every follower already has the whole log: one identical heartbeat serves them all. */
export function allCaughtUp(ctx: LeaderCtx): boolean {
  const end = ctx.log.length + 1;
  for (const p of ctx.peers) if ((ctx.nextIndex[p] ?? end) !== end) return false;
  return true;
}

/** The log-matching check: our log has an entry at prevLogIndex with prevLogTerm. */
export function logMatches(
  ctx: Ctx,
  e: Pick<AppendEntries, 'prevLogIndex' | 'prevLogTerm'>,
): boolean {
  if (e.prevLogIndex === 0) return true;
  return e.prevLogIndex <= ctx.log.length && ctx.log[e.prevLogIndex - 1].term === e.prevLogTerm;
}

/** Would this AppendEntries change our log or commit index? (If not, no assign is needed.) */
export function appendChanges(ctx: Ctx, e: AppendEntries): boolean {
  if (!logMatches(ctx, e)) return false;
  if (
    e.leaderCommit > ctx.commitIndex &&
    Math.min(e.leaderCommit, e.prevLogIndex + e.entries.length) > ctx.commitIndex
  )
    return true;
  for (let j = 0; j < e.entries.length; j++) {
    const at = e.prevLogIndex + j;
    if (at >= ctx.log.length || ctx.log[at].term !== e.entries[j].term) return true;
  }
  return false;
}

/**
 * Appends a matching AppendEntries (§5.3): an existing entry that conflicts with a new
 * one (same index, different term) is deleted with all that follow; entries already
 * present are kept, so a late, shorter AppendEntries never truncates the log.
 */
export function applyAppend(
  ctx: Ctx,
  e: AppendEntries,
): { log: RaftContext['log']; commitIndex: number } {
  let log = ctx.log;
  for (let j = 0; j < e.entries.length; j++) {
    const at = e.prevLogIndex + j;
    if (at < log.length && log[at].term === e.entries[j].term) continue;
    log = log.slice(0, at).concat(e.entries.slice(j));
    break;
  }
  const lastNew = e.prevLogIndex + e.entries.length;
  const commitIndex =
    e.leaderCommit > ctx.commitIndex
      ? Math.max(ctx.commitIndex, Math.min(e.leaderCommit, lastNew))
      : ctx.commitIndex;
  return { log, commitIndex };
}

/** §5.3/§5.4.2: the highest index stored on a majority whose entry is from the current term. */
export function advanceCommit(ctx: LeaderCtx, matchIndex: Record<NodeId, number>): number {
  for (let n = ctx.log.length; n > ctx.commitIndex; n--) {
    if (ctx.log[n - 1].term !== ctx.term) break;
    let count = 1;
    for (const p of ctx.peers) if ((matchIndex[p] ?? 0) >= n) count++;
    if (count >= ctx.majority) return n;
  }
  return ctx.commitIndex;
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

/**
 * Evaluated after a valid AppendEntries was applied: success means same term and a
 * matching log; matchIndex is then the last index it covers, and on failure our log
 * length, a hint for the leader's nextIndex.
 */
export function appendReply(ctx: Ctx, e: Delivered<AppendEntries>): Reply<AppendEntriesResponse> {
  const success = e.term === ctx.term && logMatches(ctx, e);
  return {
    to: e.from,
    message: {
      type: 'AppendEntriesResponse',
      from: ctx.id,
      term: ctx.term,
      success,
      matchIndex: success ? e.prevLogIndex + e.entries.length : ctx.log.length,
    },
  };
}
