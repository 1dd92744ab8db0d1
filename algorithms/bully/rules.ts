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
