/**
 * Multi-Paxos messages (Lamport, "Paxos Made Simple"; van Renesse and Altinbuken, "Paxos
 * Made Moderately Complex"). Every message carries its sender in `from` and the ballot it
 * is about; the engine stamps `rand` (a fresh random integer for timers) on delivery.
 *
 * A ballot is the pair (round, proposer id), compared lexicographically. It travels as one
 * number, round * BALLOT_IDS + id, which orders the same way while ids stay below
 * BALLOT_IDS, and which the views show as "ballot round.id".
 */
import type { NodeId } from '../sim/types';

/** Ids must stay below this for the one-number ballot to order as (round, id). */
export const BALLOT_IDS = 1000;

/** No ballot yet (an acceptor that promised nothing). */
export const NO_BALLOT = 0;

/** The value a new leader proposes for a slot that no promise reported (a hole). */
export const NOOP = -1;

export const ballotOf = (round: number, id: NodeId): number => round * BALLOT_IDS + id;
export const roundOf = (ballot: number): number => Math.floor(ballot / BALLOT_IDS);
export const proposerOf = (ballot: number): NodeId => ballot % BALLOT_IDS;
/** "2.3" for round 2 of proposer 3; "0" for no ballot. */
export const ballotText = (ballot: number): string =>
  ballot === NO_BALLOT ? '0' : `${roundOf(ballot)}.${proposerOf(ballot)}`;

/** What an acceptor holds in one slot: the last value it accepted and in which ballot. */
export interface AcceptedValue {
  ballot: number;
  value: number;
}

/** One slot's proposal in an Accept. */
export interface SlotValue {
  /** Slots count from 1. */
  slot: number;
  value: number;
}

/** Phase 1a: a proposer asks the acceptors to promise `ballot`. */
export interface Prepare {
  type: 'Prepare';
  from: NodeId;
  ballot: number;
}

/**
 * Phase 1b: the acceptor promises to ignore lower ballots and reports every value it has
 * accepted (slot -> ballot and value; a slot it never accepted in is null).
 */
export interface PromiseMsg {
  type: 'Promise';
  from: NodeId;
  ballot: number;
  accepted: (AcceptedValue | null)[];
}

/** The acceptor has promised (or accepted in) a higher ballot than the one asked about. */
export interface Nack {
  type: 'Nack';
  from: NodeId;
  /** The ballot refused. */
  ballot: number;
  /** The acceptor's promise, higher than `ballot` (or equal to a leased leader's). */
  promised: number;
}

/** Phase 2a: the leader of `ballot` asks the acceptors to accept these values. */
export interface Accept {
  type: 'Accept';
  from: NodeId;
  ballot: number;
  entries: SlotValue[];
}

/** Phase 2b: the acceptor accepted the slots' values in `ballot`. */
export interface Accepted {
  type: 'Accepted';
  from: NodeId;
  ballot: number;
  slots: number[];
}

/** A value is chosen (a majority accepted it in one ballot): learners record it. */
export interface Decide {
  type: 'Decide';
  from: NodeId;
  ballot: number;
  slot: number;
  value: number;
}

/**
 * The leader of `ballot` is alive; it carries the chosen values (slot i + 1 at index i,
 * null while undecided), so a learner that missed a Decide catches up.
 */
export interface Heartbeat {
  type: 'Heartbeat';
  from: NodeId;
  ballot: number;
  chosen: (number | null)[];
}

export type PaxosMessage = Prepare | PromiseMsg | Nack | Accept | Accepted | Decide | Heartbeat;

export type Delivered<M> = M & { rand: number };

export const PAXOS_MESSAGE_TYPES = [
  'Prepare',
  'Promise',
  'Nack',
  'Accept',
  'Accepted',
  'Decide',
  'Heartbeat',
] as const;

const valueText = (v: number) => (v === NOOP ? 'no-op' : String(v));

export function label(m: PaxosMessage): string {
  const b = `b${ballotText(m.ballot)}`;
  switch (m.type) {
    case 'Prepare':
      return `Prepare ${b}`;
    case 'Promise': {
      const n = m.accepted.filter((a) => a !== null).length;
      return n === 0 ? `Promise ${b}` : `Promise ${b} +${n}`;
    }
    case 'Nack':
      return `Nack ${b} < b${ballotText(m.promised)}`;
    case 'Accept':
      return m.entries.length === 1
        ? `Accept ${b} s${m.entries[0].slot}=${valueText(m.entries[0].value)}`
        : `Accept ${b} ×${m.entries.length}`;
    case 'Accepted':
      return `Accepted ${b} ×${m.slots.length}`;
    case 'Decide':
      return `Decide s${m.slot}=${valueText(m.value)}`;
    case 'Heartbeat':
      return `Heartbeat ${b}`;
  }
}
