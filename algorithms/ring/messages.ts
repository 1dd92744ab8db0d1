/**
 * The Ring algorithms' messages. Election traffic (ELECTION, ELECTED, COORDINATOR) moves
 * from a node to its successor on the logical ring and is acknowledged with ACK, so that a
 * sender can skip a dead or unreachable successor. Each carries its sender in `from`; the
 * engine stamps `rand` when it delivers one.
 *
 * `epoch` is not in the textbook algorithms: it numbers elections (the winner announces one
 * higher than any its election passed), so that a heartbeat the old leader sent just before
 * it crashed, or an announcement from an older election, cannot make anyone follow a dead
 * leader again. Views show it as the node's term.
 *
 * `round` is not in the textbook algorithms either: the node that creates a hop message (the
 * initiator of an ELECTION, the sender of an announcement) numbers it from a counter that
 * survives a crash, and the number stays with the message as it is passed on and re-sent.
 * A node handles each (originator, round) at most once and never an older round of the
 * same originator, so a copy (a re-send after an ack timeout, a duplicate made by the
 * network, a message overtaken by a newer one) is acknowledged and goes no further.
 */
import type { NodeId } from '../sim/types';

/**
 * Chang-Roberts: `candidate` is the highest id seen on this message's way so far.
 * Collect-ids: `ids` lists every node the message has passed, its initiator first, and
 * `candidate` is that initiator.
 */
export interface Election {
  type: 'ELECTION';
  from: NodeId;
  /** Sender's sequence number for this hop; the receiver echoes it in ACK. */
  ref: number;
  /** Hops taken so far, this one included: a message whose owner is gone dies after a full circle. */
  hops: number;
  candidate: NodeId;
  ids?: NodeId[];
  /** The highest epoch seen by the nodes this message has passed. */
  epoch: number;
  /** The initiator's round (`candidate` is the originator). */
  round: number;
}

/** Chang-Roberts: "`leader` won". Sent by the winner and forwarded until it returns to it. */
export interface Elected {
  type: 'ELECTED';
  from: NodeId;
  ref: number;
  hops: number;
  leader: NodeId;
  epoch: number;
  /** The winner's round (`leader` is the originator). */
  round: number;
}

/** Collect-ids: "`leader` won", sent by `origin` (whose ELECTION came back) once around the ring. */
export interface Coordinator {
  type: 'COORDINATOR';
  from: NodeId;
  ref: number;
  hops: number;
  leader: NodeId;
  origin: NodeId;
  epoch: number;
  /** The origin's round (`origin` is the originator). */
  round: number;
}

/** "I got your message `ref`." */
export interface Ack {
  type: 'ACK';
  from: NodeId;
  ref: number;
}

/** The leader's periodic "still alive", to every other node. Background traffic. */
export interface Heartbeat {
  type: 'HEARTBEAT';
  from: NodeId;
  /** The epoch in which the sender was elected. */
  epoch: number;
}

/** The messages that travel around the ring and are acknowledged. */
export type RingHop = Election | Elected | Coordinator;

export type RingMessage = RingHop | Ack | Heartbeat;

export type Delivered<M> = M & { rand: number };

export const RING_MESSAGE_TYPES = [
  'ELECTION',
  'ELECTED',
  'COORDINATOR',
  'ACK',
  'HEARTBEAT',
] as const;

/** Background traffic, excluded from message counts. */
export const RING_HEARTBEAT_TYPES = ['HEARTBEAT'] as const;

export function label(m: RingMessage): string {
  switch (m.type) {
    case 'ELECTION':
      return m.ids ? `Election [${m.ids.join(' ')}]` : `Election ${m.candidate}`;
    case 'ELECTED':
      return `Elected ${m.leader} e${m.epoch}`;
    case 'COORDINATOR':
      return `Coordinator ${m.leader} e${m.epoch}`;
    case 'ACK':
      return 'Ack';
    case 'HEARTBEAT':
      return `Heartbeat e${m.epoch}`;
  }
}
