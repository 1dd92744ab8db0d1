/**
 * The Bully algorithm's messages (Garcia-Molina, "Elections in a Distributed Computing
 * System", 1982). Each carries its sender in `from`; the engine stamps `rand` when it
 * delivers one. None needs more: in the Bully algorithm the sender's id *is* the claim.
 */
import type { NodeId } from '../sim/types';

/** "I think the coordinator is gone; is anyone above me alive?" Sent to every higher id. */
export interface Election {
  type: 'ELECTION';
  from: NodeId;
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

export function label(m: BullyMessage): string {
  switch (m.type) {
    case 'ELECTION':
      return `Election from ${m.from}`;
    case 'ANSWER':
      return `Answer (OK) from ${m.from}`;
    case 'COORDINATOR':
      return `Coordinator ${m.from}`;
    case 'HEARTBEAT':
      return `Heartbeat ${m.from}`;
  }
}
