/**
 * The Bully algorithm's decisions as plain functions of a node's context and a message,
 * so that they read like the paper and can be tested on their own. Higher id wins; a
 * node never defers to a lower one.
 */
import type { NodeId } from '../sim/types';
import type { BullyContext } from './machine';

type Ctx = Pick<BullyContext, 'id' | 'leader'>;

/** The sender has a higher id than this node. */
export const fromHigher = (ctx: Ctx, from: NodeId): boolean => from > ctx.id;

/** The sender has a lower id than this node. */
export const fromLower = (ctx: Ctx, from: NodeId): boolean => from < ctx.id;

/**
 * A follower hears a heartbeat from a node that is not its coordinator. It adopts the
 * sender when the sender outranks both itself and the coordinator it knows (after a
 * partition heals, the higher of two coordinators wins this way, without an election).
 */
export function adoptsHeartbeat(ctx: Ctx, from: NodeId): boolean {
  return from > ctx.id && (ctx.leader === null || from > ctx.leader);
}

/**
 * A follower hears a lower node claim to coordinate. If the follower's own coordinator
 * outranks the follower, that coordinator will correct the claimant with its next
 * heartbeat; otherwise the follower is the better candidate and bullies: it holds an
 * election.
 */
export function challengesHeartbeat(ctx: Ctx, from: NodeId): boolean {
  return from < ctx.id && !(ctx.leader !== null && ctx.leader > ctx.id);
}

/** Ids above this node (the ELECTION targets) and below it (the COORDINATOR targets). */
export function split(id: NodeId, peers: readonly NodeId[]): { higher: NodeId[]; lower: NodeId[] } {
  return { higher: peers.filter((p) => p > id), lower: peers.filter((p) => p < id) };
}

/**
 * Worst-case messages of one election among `ids` (all ids in the scenario, dead or
 * alive) when the alive nodes `alive` all detect the failure (the lowest alone gives
 * the same count, since every higher node then holds an election too), the answer timeout
 * exceeds a round trip, and the coordinator timeout exceeds the answer timeout plus a
 * round trip:
 * - ELECTION: every alive node sends one to every higher id;
 * - ANSWER: one per ELECTION that reaches an alive node, i.e. one per pair of alive nodes;
 * - COORDINATOR: the winner (the highest alive id) sends one to every lower id.
 * With ids 1..n and the top one dead: n(n-1)/2 + (n-1)(n-2)/2 + (n-2) = n² - n - 1.
 */
export function worstCase(
  ids: readonly NodeId[],
  alive: readonly NodeId[],
): { ELECTION: number; ANSWER: number; COORDINATOR: number; total: number } {
  let election = 0;
  for (const a of alive) for (const x of ids) if (x > a) election++;
  const m = alive.length;
  const answer = (m * (m - 1)) / 2;
  const winner = alive.reduce((a, b) => (b > a ? b : a), -Infinity);
  const coordinator = ids.filter((x) => x < winner).length;
  return {
    ELECTION: election,
    ANSWER: answer,
    COORDINATOR: coordinator,
    total: election + answer + coordinator,
  };
}

/**
 * A message from `from` in `round` is a copy of one already handled, or older than one
 * (the network duplicated it, or it was overtaken): it must change nothing.
 */
export function stale(
  heard: Readonly<Record<NodeId, number>>,
  from: NodeId,
  round: number,
): boolean {
  const last = heard[from];
  return last !== undefined && round <= last;
}

/** `heard` with `from`'s `round` noted as handled (the same object when nothing changes). */
export function noteHeard(
  heard: Record<NodeId, number>,
  from: NodeId,
  round: number,
): Record<NodeId, number> {
  const last = heard[from];
  return last !== undefined && last >= round ? heard : { ...heard, [from]: round };
}

/** Timing params as the bounds below read them (ms). */
interface Timing {
  heartbeat: number;
  failureTimeout: number;
  answerTimeout: number;
  coordinatorTimeout: number;
}

/**
 * ms after the last fault (every link healed, every node resumed, no loss) within which
 * every alive node names the highest alive id, which leads, and keeps doing so, when the
 * timeouts suit the network (the derived ones do). With L the worst one-way latency: the
 * highest alive node, if it follows a dead coordinator, detects it within L + failure (the
 * last heartbeat may still be on its way), may first sit out a coordinator timeout (it
 * was answered by a node that died), holds its election (answer timeout: every id above
 * it is dead) and announces itself (L); if it already leads, a lower coordinator steps
 * down at its next heartbeat (heartbeat + L).
 */
export function settleBound(p: Timing, maxLatency: number): number {
  return p.failureTimeout + p.coordinatorTimeout + p.answerTimeout + p.heartbeat + 2 * maxLatency;
}

/**
 * ms from the coordinator's crash until the election after it is over (every alive node
 * follows the new coordinator, nobody is electing, no election message in flight), with
 * no loss: the followers detect the crash within L + failure, and all within L of each
 * other (they missed the same heartbeats); the first one's ELECTION reaches every higher
 * node within L; the highest alive one declares itself an answer timeout later, and its
 * COORDINATOR and the last ANSWERs take up to L each.
 */
export function electionBound(p: Timing, maxLatency: number): number {
  return p.failureTimeout + p.answerTimeout + 4 * maxLatency;
}

/**
 * Messages of the election after the coordinator's crash among n nodes (ids in the
 * scenario, dead or alive), heartbeats excluded, with no loss: at most n². Every alive node
 * holds one election at most, since all ELECTIONs (sent within L of the first detection,
 * delivered within 2L) arrive before the winner declares itself (after an answer timeout
 * > 2L) and every waiting node hears it before its coordinator timeout: ELECTION to every
 * higher id (n(n-1)/2 at most), one ANSWER per ELECTION an alive node receives, and
 * COORDINATOR to every lower id. A duplicated message counts twice but changes nothing
 * (see `stale`); each message lost can start one more such election (a lost COORDINATOR
 * ends in a coordinator timeout, lost heartbeats in a false failure detection), so with
 * loss the bound is n² × (1 + messages lost).
 */
export function messageBound(n: number): number {
  return n * n;
}
