/**
 * The Ring algorithms' decisions as plain functions of a node's context and a message:
 * who the successor is, what to do with an ELECTION or an announcement, and the
 * acknowledged hop to the successor (with skipping of a successor that does not ACK).
 */
import type { NodeId } from '../sim/types';
import type { RingContext } from './machine';
import type { Coordinator, Elected, Election, RingHop } from './messages';

export type Variant = 'chang-roberts' | 'collect-ids';

type Ctx = Pick<
  RingContext,
  | 'id'
  | 'order'
  | 'pos'
  | 'variant'
  | 'leader'
  | 'epoch'
  | 'participant'
  | 'suspected'
  | 'pending'
  | 'nextRef'
  | 'round'
  | 'seen'
  | 'electingSince'
>;

/** The next node after this one in ring order that is not suspected, or null when none is left. */
export function successor(ctx: Pick<Ctx, 'order' | 'pos' | 'suspected'>): NodeId | null {
  const n = ctx.order.length;
  for (let k = 1; k < n; k++) {
    const id = ctx.order[(ctx.pos + k) % n];
    if (!ctx.suspected.includes(id)) return id;
  }
  return null;
}

export type ElectionOutcome =
  /** Chang-Roberts: our own id came back: we won. */
  | 'won'
  /** Collect-ids: our id is in the list: the message has been all the way round. */
  | 'complete'
  /** Chang-Roberts: a higher id: pass it on. */
  | 'forward'
  /** Collect-ids: add our id and pass it on. */
  | 'append'
  /** Chang-Roberts: a lower id and we are not yet taking part: send our own id instead. */
  | 'substitute'
  /** Chang-Roberts: a lower id and we already sent ours (or a higher one): drop it. */
  | 'swallow'
  /** The message has passed every node without meeting its owner (gone): drop it. */
  | 'drop';

export function electionOutcome(ctx: Ctx, e: Election): ElectionOutcome {
  if (ctx.variant === 'collect-ids') {
    const ids = e.ids ?? [e.candidate];
    return ids.includes(ctx.id) ? 'complete' : 'append';
  }
  if (e.candidate === ctx.id) return 'won';
  if (e.candidate > ctx.id) return e.hops >= ctx.order.length ? 'drop' : 'forward';
  return ctx.participant ? 'swallow' : 'substitute';
}

export type AnnouncementOutcome =
  /** The announcement is back where it started: it has been all the way round. */
  | 'home'
  /**
   * From an election older than one this node has seen announced, or naming a lower leader
   * than the one this node knows in the same epoch: drop it.
   */
  | 'stale'
  /** Collect-ids: someone else's round names us: lead, and pass it on. */
  | 'self'
  /** A higher node won: follow it and pass the news on. */
  | 'adopt'
  /** A lower node claims to have won, so this node was not in that election: hold one. */
  | 'challenge';

export function announcementOutcome(ctx: Ctx, e: Elected | Coordinator): AnnouncementOutcome {
  const origin = e.type === 'COORDINATOR' ? e.origin : e.leader;
  if (origin === ctx.id) return 'home';
  if (e.epoch < ctx.epoch) return 'stale';
  if (e.leader === ctx.id) return 'self';
  // a lower claim in the epoch of the leader this node knows (two elections of one epoch,
  // after a partition or a node skipped while slow): that leader's heartbeats correct the
  // claimant, so neither follow it nor start an election over it
  if (e.epoch === ctx.epoch && ctx.leader !== null && ctx.leader > e.leader) return 'stale';
  return e.leader > ctx.id ? 'adopt' : 'challenge';
}

/**
 * An ELECTION that a newer election already decided: it began in an older epoch than the
 * one of the leader this node follows (or is), and could elect no node above that leader.
 * It goes no further: a message overtaken by the announcement (or re-sent past a slow node
 * and arriving after it), or one from a node that has not heard of the leader yet, which
 * learns it from the leader's heartbeats. An election that may elect a higher node (one
 * that restarted, say) always goes on, and so does one begun in the leader's own epoch (a
 * follower that lost the leader; a restarted leader, which keeps its epoch).
 */
export function covered(ctx: Ctx, e: Election): boolean {
  return ctx.leader !== null && e.epoch < ctx.epoch && winner(e) <= ctx.leader;
}

/** Collect-ids: the winner of a completed round is the highest id it collected. */
export function winner(e: Election): NodeId {
  const ids = e.ids ?? [e.candidate];
  let best = ids[0];
  for (const id of ids) if (id > best) best = id;
  return best;
}

/**
 * The ELECTION this node starts: its own id (Chang-Roberts) or a list holding only it, in a
 * new round of this node (the machine moves `round` on to it).
 */
export function ownElection(ctx: Ctx): Omit<Election, 'from' | 'ref'> {
  const round = ctx.round + 1;
  return ctx.variant === 'collect-ids'
    ? { type: 'ELECTION', hops: 1, candidate: ctx.id, ids: [ctx.id], epoch: ctx.epoch, round }
    : { type: 'ELECTION', hops: 1, candidate: ctx.id, epoch: ctx.epoch, round };
}

/** The ELECTION passed on: one more hop, and (collect-ids) our id appended. */
export function passedOn(ctx: Ctx, e: Election): Omit<Election, 'from' | 'ref'> {
  const epoch = Math.max(e.epoch, ctx.epoch);
  const { hops, candidate, round } = e;
  return e.ids
    ? { type: 'ELECTION', hops: hops + 1, candidate, ids: [...e.ids, ctx.id], epoch, round }
    : { type: 'ELECTION', hops: hops + 1, candidate, epoch, round };
}

/** The announcement of a finished election, sent by the node that saw it finish. */
export function announcement(
  ctx: Ctx,
  e: Election,
): Omit<Elected, 'from' | 'ref'> | Omit<Coordinator, 'from' | 'ref'> {
  const epoch = Math.max(e.epoch, ctx.epoch) + 1;
  const round = ctx.round + 1;
  return ctx.variant === 'collect-ids'
    ? { type: 'COORDINATOR', hops: 1, leader: winner(e), origin: ctx.id, epoch, round }
    : { type: 'ELECTED', hops: 1, leader: ctx.id, epoch, round };
}

/** The announcement passed on, or null once it has visited as many nodes as the ring has. */
export function announcementPassedOn(
  ctx: Ctx,
  e: Elected | Coordinator,
): Omit<Elected, 'from' | 'ref'> | Omit<Coordinator, 'from' | 'ref'> | null {
  if (e.hops >= ctx.order.length) return null;
  const { from: _f, ref: _r, rand: _x, ...rest } = e as (Elected | Coordinator) & { rand?: number };
  return { ...rest, hops: e.hops + 1 };
}

export type HeartbeatOutcome =
  /** From an older epoch than this node knows: sent by a leader since replaced. Ignore. */
  | 'stale'
  /** From the leader this node follows. */
  | 'leader'
  /** From a higher node that leads a newer epoch (or the same one, and outranks ours): follow it. */
  | 'adopt'
  /** From a lower node that claims to lead while this node outranks it: hold an election. */
  | 'challenge'
  | 'ignore';

/**
 * What a heartbeat from `from` in `epoch` means to a node in state `state`. A node taking
 * part in an election follows only a higher leader elected after its election began (in a
 * newer epoch than the one it knew then), and not one it suspects: the crashed leader's
 * last heartbeats carry the epoch the election began in (followers keep up with their
 * leader's epoch), while a node the election skipped, or whose ELECTION a newer leader
 * covered, learns the result this way.
 */
export function heartbeatOutcome(
  ctx: Ctx,
  from: NodeId,
  epoch: number,
  state: 'follower' | 'leader' | 'electing',
): HeartbeatOutcome {
  // from the leader this node follows: proof of life, whatever its epoch (in collect-ids
  // the winner may hear of its own election, and of the new epoch, after its followers)
  if (state === 'follower' && from === ctx.leader) return 'leader';
  if (epoch < ctx.epoch) return 'stale';
  if (state === 'electing')
    return from > ctx.id && epoch > ctx.electingSince && !ctx.suspected.includes(from)
      ? 'adopt'
      : 'ignore';
  if (from > ctx.id) {
    const newer = epoch > ctx.epoch || ctx.leader === null || from > ctx.leader;
    return newer ? 'adopt' : 'ignore';
  }
  if (state === 'leader')
    // a lower leader of a newer epoch: re-assert; of the same epoch: our heartbeats win
    return epoch > ctx.epoch ? 'challenge' : 'ignore';
  // a follower whose own leader outranks it leaves the correction to that leader
  return ctx.leader !== null && ctx.leader > ctx.id ? 'ignore' : 'challenge';
}

/** The node that created a hop message: the initiator of an ELECTION, the sender of an announcement. */
export function originOf(e: RingHop): NodeId {
  switch (e.type) {
    case 'ELECTION':
      return e.candidate;
    case 'ELECTED':
      return e.leader;
    case 'COORDINATOR':
      return e.origin;
  }
}

/**
 * This node has already handled this hop message, or a newer one from the same originator:
 * it is a copy (re-sent past a slow node, duplicated by the network) or overtaken, and must
 * go no further.
 */
export function isCopy(ctx: Pick<Ctx, 'seen'>, e: RingHop): boolean {
  const last = ctx.seen[originOf(e)];
  return last !== undefined && e.round <= last;
}

/** `seen` with the hop's round noted as handled (the same object when nothing changes). */
export function noteSeen(seen: Record<NodeId, number>, e: RingHop): Record<NodeId, number> {
  const origin = originOf(e);
  const last = seen[origin];
  return last !== undefined && last >= e.round ? seen : { ...seen, [origin]: e.round };
}

/**
 * The ack timeout after a late ACK showed the current one is too short for this network:
 * doubled, up to `ACK_BACKOFF_CAP_US`. Only a late ACK moves it (a dead or unreachable
 * successor sends none), so it stops growing once it exceeds the round trip; the node
 * goes back to the configured one when it follows a leader again (the election is over).
 */
export function backedOff(current: number): number {
  return Math.min(current * 2, Math.max(current, ACK_BACKOFF_CAP_US));
}

/** The back-off never stretches the ack timeout beyond 60 s (the largest a scenario may set), µs. */
export const ACK_BACKOFF_CAP_US = 60_000_000;

/** Every id a ring message proves was alive recently: its sender and the ids it names. */
export function vouchedFor(e: RingHop): NodeId[] {
  switch (e.type) {
    case 'ELECTION':
      return e.ids ? [e.from, ...e.ids] : [e.from, e.candidate];
    case 'ELECTED':
      return [e.from, e.leader];
    case 'COORDINATOR':
      return [e.from, e.leader, e.origin];
  }
}

/** `suspected` without `ids`, or the same array when nothing changes (saves an assign). */
export function unsuspect(suspected: NodeId[], ids: readonly NodeId[]): NodeId[] {
  if (suspected.length === 0) return suspected;
  let changed = false;
  for (const id of ids) if (suspected.includes(id)) changed = true;
  return changed ? suspected.filter((s) => !ids.includes(s)) : suspected;
}

export interface Hop {
  to: NodeId;
  message: RingHop;
  /** The ack timer must start: nothing else was waiting for an ACK. */
  startTimer: boolean;
  pending: RingContext['pending'];
  nextRef: number;
}

/** An acknowledged hop of `body` to the successor, or null when no successor is left. */
export type HopBody =
  | Omit<Election, 'from' | 'ref'>
  | Omit<Elected, 'from' | 'ref'>
  | Omit<Coordinator, 'from' | 'ref'>;

export function hop(ctx: Ctx, body: HopBody): Hop | null {
  const to = successor(ctx);
  if (to === null) return null;
  const ref = ctx.nextRef;
  const message = { ...body, from: ctx.id, ref } as RingHop;
  return {
    to,
    message,
    startTimer: ctx.pending.length === 0,
    pending: [...ctx.pending, { ref, to, message }],
    nextRef: ref + 1,
  };
}

export interface Retry {
  suspected: NodeId[];
  /** null: every other node is suspected; the node is alone. */
  resend: { to: NodeId; message: RingHop }[] | null;
  pending: RingContext['pending'];
  nextRef: number;
}

/**
 * The oldest unacknowledged hop timed out: suspect its receiver, and send everything that
 * was waiting on that receiver to the next successor (with fresh refs, so a late ACK from
 * the suspect cannot be mistaken for the new receiver's).
 */
export function retry(ctx: Ctx): Retry {
  const victim = ctx.pending[0].to;
  const suspected = ctx.suspected.includes(victim) ? ctx.suspected : [...ctx.suspected, victim];
  const to = successor({ ...ctx, suspected });
  if (to === null) return { suspected, resend: null, pending: [], nextRef: ctx.nextRef };
  let ref = ctx.nextRef;
  const resend: { to: NodeId; message: RingHop }[] = [];
  const pending: RingContext['pending'] = [];
  for (const p of ctx.pending) {
    if (p.to !== victim) {
      pending.push(p);
      continue;
    }
    const message = { ...p.message, ref } as RingHop;
    resend.push({ to, message });
    pending.push({ ref, to, message });
    ref++;
  }
  return { suspected, resend, pending, nextRef: ref };
}

/**
 * Worst-case messages of one election among `alive` (m) nodes, counting only messages that
 * reach an alive node, when every node starts its own election at most once, links are
 * FIFO and no ack times out falsely:
 * - Chang-Roberts: each id travels at most until it meets a higher one, so the k-th
 *   highest id makes at most m - k + 1 hops: m(m+1)/2 ELECTION; ELECTED goes round once: m.
 * - Collect-ids: each initiator's list goes round once (m hops), and so does each
 *   initiator's COORDINATOR: m² of each when all m initiate.
 * - ACK: one per hop that reaches an alive node.
 * Hops sent to a dead successor before its predecessor suspects it come on top: at most
 * one per distinct message the predecessor passes on during one ack timeout, per dead
 * node (see `wastedBound`).
 */
export function worstCase(
  variant: Variant,
  alive: number,
): { ELECTION: number; announcement: number; ACK: number } {
  const m = alive;
  const election = variant === 'collect-ids' ? m * m : (m * (m + 1)) / 2;
  const announcement = variant === 'collect-ids' ? m * m : m;
  return { ELECTION: election, announcement, ACK: election + announcement };
}

/**
 * Hops lost to `dead` dead nodes in one election among `alive` (m) nodes: each dead node
 * costs its predecessor at most one copy of each distinct message it passes on (at most m
 * ELECTION ids, and one ELECTED or m COORDINATOR) before the ack timeout makes it skip it.
 */
export function wastedBound(
  variant: Variant,
  alive: number,
  dead: number,
): { ELECTION: number; announcement: number } {
  const m = alive;
  return { ELECTION: dead * m, announcement: dead * (variant === 'collect-ids' ? m : 1) };
}

/** Timing params as the bounds below read them (ms). */
interface Timing {
  heartbeat: number;
  failureTimeout: number;
  answerTimeout: number;
  coordinatorTimeout: number;
}

/** The wait for an election's result, ms, on a ring of n nodes (see model.coordinatorWait). */
export function resultWait(p: Timing, n: number): number {
  return p.coordinatorTimeout + n * p.answerTimeout;
}

/**
 * ms after the last fault (every link healed, every node resumed, no loss) within which
 * every alive node names the highest alive id, which leads, and keeps doing so, on a ring
 * of n nodes with timeouts that suit the network (the derived ones do). With L the worst
 * one-way latency and W the wait for a result: a node that follows a dead or demoted
 * leader detects it within L + failure and its election ends within W; a second round
 * (a higher leader re-asserting itself over a lower one of a newer epoch, or an election
 * started by a node restarted just before) takes as long again; a node skipped by the
 * last round hears the leader's heartbeat within heartbeat + L.
 */
export function settleBound(p: Timing, n: number, maxLatency: number): number {
  return 2 * (p.failureTimeout + resultWait(p, n)) + p.heartbeat + 2 * maxLatency;
}

/**
 * ms from the leader's crash until the election after it is over (every alive node
 * follows the new leader, nobody is electing or waiting for an ACK, no election message
 * in flight), with no loss: the followers detect the crash within L + failure, the
 * election ends within W (its three trips round the ring, plus one answer timeout per
 * dead node skipped), and the last ACK takes L; a late detector whose ELECTION is covered
 * by the new leader hears its heartbeat within heartbeat + L.
 */
export function electionBound(p: Timing, n: number, maxLatency: number): number {
  return p.failureTimeout + resultWait(p, n) + p.heartbeat + 3 * maxLatency;
}

/**
 * Messages (ACKs included, heartbeats excluded) of the election after the leader's crash
 * among n nodes (in the ring, dead or alive), with no loss. With m alive and d = n - m
 * dead, each hop passed on at most once per node (copies go no further):
 * - Chang-Roberts: m(m+1)/2 ELECTION, m ELECTED, one ACK each, and one hop of each to
 *   every dead node before its predecessor skips it: at most n² + 2n for m <= n - 1;
 * - collect-ids: m² ELECTION and m² COORDINATOR (every initiator's list and announcement
 *   go once round), one ACK each, and the hops lost to dead nodes: at most 4n².
 * A duplicated message counts twice but goes no further; each message lost can cost one
 * more such election (a lost hop only an ack timeout and one re-send, lost heartbeats a
 * false failure detection), so with loss the bound is this × (1 + messages lost).
 */
export function messageBound(variant: Variant, n: number): number {
  return variant === 'collect-ids' ? 4 * n * n : n * n + 2 * n;
}
