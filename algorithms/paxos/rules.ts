/**
 * Paxos's decisions as plain functions of a node's context and a message, so that they
 * read like the papers (an acceptor's promise, a proposer's recovery of accepted values in
 * phase 1, a value chosen by a majority in one ballot) and can be tested on their own.
 */
import type { NodeId } from '../sim/types';
import type { PaxosContext } from './machine';
import {
  ballotOf,
  NOOP,
  roundOf,
  type Accept,
  type AcceptedValue,
  type Heartbeat,
  type Nack,
  type Prepare,
  type PromiseMsg,
} from './messages';

type Ctx = Pick<
  PaxosContext,
  'id' | 'round' | 'promised' | 'accepted' | 'leader' | 'leased' | 'ballot' | 'chosen'
>;

/** A uniform election timeout in [min, max] µs, from the event's random integer. */
export function electionDelay(
  ctx: Pick<PaxosContext, 'electionMin' | 'electionMax'>,
  event: unknown,
): number {
  const e = event as { rand?: number; input?: { rand?: number } };
  const rand = e.rand ?? e.input?.rand ?? 0;
  return ctx.electionMin + (rand % (ctx.electionMax - ctx.electionMin + 1));
}

/** A new campaign's round: above every round this node has promised, proposed or been refused with. */
export function nextRound(ctx: Ctx): number {
  return Math.max(ctx.round, roundOf(ctx.promised)) + 1;
}

/**
 * Leader leases (off unless `lease` > 0): an acceptor that heard from a live leader within
 * the lease refuses to promise any other proposer, so a node that merely lost touch with
 * the leader cannot depose it.
 */
export function refusesInLease(ctx: Ctx, e: Prepare): boolean {
  return ctx.leased && ctx.leader !== null && e.from !== ctx.leader;
}

/**
 * The acceptor's phase-1 rule: promise a ballot at least as high as any promised before
 * (equal: the same proposer asking again, a duplicate) unless a leader's lease runs.
 */
export function promises(ctx: Ctx, e: Prepare): boolean {
  return e.ballot >= ctx.promised && !refusesInLease(ctx, e);
}

/** The acceptor's phase-2 rule: accept in a ballot at least as high as its promise. */
export function accepts(ctx: Ctx, e: Pick<Accept | Heartbeat, 'ballot'>): boolean {
  return e.ballot >= ctx.promised;
}

/** The acceptor's state after accepting an Accept: the promise moves up, the slots take the values. */
export function applyAccept(
  ctx: Ctx,
  e: Accept,
): Pick<PaxosContext, 'promised' | 'accepted' | 'leader' | 'round'> {
  const accepted = ctx.accepted.slice();
  for (const { slot, value } of e.entries) {
    while (accepted.length < slot) accepted.push(null);
    accepted[slot - 1] = { ballot: e.ballot, value };
  }
  return {
    promised: e.ballot,
    accepted,
    leader: e.from,
    round: Math.max(ctx.round, roundOf(e.ballot)),
  };
}

/** Chosen values learned from a leader: a slot, once known chosen, keeps its value. */
export function learn(
  chosen: (number | null)[],
  from: readonly (number | null)[],
): (number | null)[] {
  let out: (number | null)[] | null = null;
  for (let i = 0; i < from.length; i++) {
    if (from[i] === null || (i < chosen.length && chosen[i] !== null)) continue;
    out ??= chosen.slice();
    while (out.length <= i) out.push(null);
    out[i] = from[i];
  }
  return out ?? chosen;
}

/**
 * Phase-1 recovery: per slot, the value accepted in the highest ballot among the
 * promises counted so far (ours included). Paxos's safety rests on this: a value chosen
 * in an earlier ballot was accepted by a majority, which meets this one's majority, and
 * no higher ballot below ours can have accepted anything else.
 */
export function mergeAccepted(
  recovered: readonly (AcceptedValue | null)[],
  reported: readonly (AcceptedValue | null)[],
): (AcceptedValue | null)[] {
  const out = recovered.slice();
  for (let i = 0; i < reported.length; i++) {
    const r = reported[i];
    if (r === null) continue;
    while (out.length <= i) out.push(null);
    const have = out[i];
    if (have === null || r.ballot > have.ballot) out[i] = r;
  }
  return out;
}

/** A Promise for our current campaign from an acceptor not counted yet. */
export function countsPromise(
  ctx: Pick<PaxosContext, 'ballot' | 'promises'>,
  e: PromiseMsg,
): boolean {
  return e.ballot === ctx.ballot && !ctx.promises.includes(e.from);
}

/**
 * What a new leader proposes: the recovered value of every slot up to the highest one any
 * promise reported, a no-op in a hole; its own acceptor accepts them all in its ballot.
 */
export function leadWith(
  ctx: Pick<PaxosContext, 'id' | 'ballot' | 'recovered' | 'chosen' | 'majority'>,
): Pick<PaxosContext, 'proposals' | 'acks' | 'accepted' | 'chosen' | 'leader'> {
  const proposals = ctx.recovered.map((r) => (r === null ? NOOP : r.value));
  const alone = ctx.majority <= 1;
  let chosen = ctx.chosen;
  if (alone) chosen = learn(chosen, proposals);
  return {
    proposals,
    acks: proposals.map(() => [ctx.id]),
    accepted: proposals.map((value) => ({ ballot: ctx.ballot, value })),
    chosen,
    leader: ctx.id,
  };
}

/** The proposals a leader still needs a majority for, as an Accept's entries. */
export function undecided(ctx: Pick<PaxosContext, 'proposals' | 'chosen'>) {
  const out: { slot: number; value: number }[] = [];
  ctx.proposals.forEach((value, i) => {
    if ((ctx.chosen[i] ?? null) === null) out.push({ slot: i + 1, value });
  });
  return out;
}

/** The Nack's refusal is news of a higher ballot: a candidate or leader of `ballot` steps down. */
export function defeats(ctx: Pick<PaxosContext, 'ballot'>, e: Nack): boolean {
  return e.ballot === ctx.ballot && e.promised > ctx.ballot;
}

/** A new campaign's ballot, with the acceptor's promise to itself. */
export function campaign(
  ctx: Ctx,
): Pick<
  PaxosContext,
  'round' | 'ballot' | 'promised' | 'promises' | 'recovered' | 'leader' | 'leased'
> {
  const round = nextRound(ctx);
  const ballot = ballotOf(round, ctx.id);
  return {
    round,
    ballot,
    promised: ballot,
    promises: [ctx.id],
    recovered: ctx.accepted,
    leader: null,
    leased: false,
  };
}

export type { NodeId };
