/**
 * The Bully algorithm's messages (Garcia-Molina, "Elections in a Distributed Computing
 * System", 1982). Each carries its sender in `from`; the engine stamps `rand` when it
 * delivers one. In the Bully algorithm the sender's id *is* the claim; `round` is not in the
 * paper. It numbers the sender's elections and announcements (it survives a crash), so that a
 * copy of a message (the network may duplicate one, or deliver it late) is recognised and
 * changes nothing: a node handles each sender's ELECTION and COORDINATOR rounds once, in
 * increasing order. An ANSWER needs no round: any one from a higher node, even a late one,
 * shows that a higher node was alive within a round trip.
 */
import type { NodeId } from '../sim/types';

/** "I think the coordinator is gone; is anyone above me alive?" Sent to every higher id. */
export interface Election {
  type: 'ELECTION';
  from: NodeId;
  /** The sender's election round. */
  round: number;
}

/** "Yes, I am alive and higher: stop, I take over." The reply to an ELECTION (Garcia-Molina's OK). */
export interface Answer {
  type: 'ANSWER';
  from: NodeId;
}

/** "I am the coordinator." Sent by the winner to every lower id. */
export interface Coordinator {
  type: 'COORDINATOR';
  from: NodeId;
  /** The sender's round: a fresh one for every announcement and every reply to an election. */
  round: number;
}

/** The coordinator's periodic "still alive", to every other node. Background traffic. */
export interface Heartbeat {
  type: 'HEARTBEAT';
  from: NodeId;
}

export type BullyMessage = Election | Answer | Coordinator | Heartbeat;

export type Delivered<M> = M & { rand: number };

export const BULLY_MESSAGE_TYPES = ['ELECTION', 'ANSWER', 'COORDINATOR', 'HEARTBEAT'] as const;

/** Background traffic, excluded from message counts. */
export const BULLY_HEARTBEAT_TYPES = ['HEARTBEAT'] as const;

/**
 * A message's name on the canvas and in the log. Every place that shows it names the sender
 * too ("Election from node 3 to node 5 was dropped"), and in the Bully algorithm the sender
 * is the whole content, so the label is just the type.
 */
export function label(m: BullyMessage): string {
  switch (m.type) {
    case 'ELECTION':
      return 'Election';
    case 'ANSWER':
      return 'Answer (OK)';
    case 'COORDINATOR':
      return 'Coordinator';
    case 'HEARTBEAT':
      return 'Heartbeat';
  }
}
