/**
 * The engine's small contract with algorithms. `sim` knows nothing about any one
 * algorithm: an algorithm hands it an XState machine plus a few pure functions that
 * read its snapshots (what role a node plays, what survives a crash, how to label a
 * message).
 */
import type { AnyStateMachine, AnyMachineSnapshot } from 'xstate';
import type { Time } from './time';
import type { Runtime, World } from './world';

export type NodeId = number;

/** The roles the views and invariants understand, across all algorithms. */
export type Role = 'leader' | 'candidate' | 'follower' | 'waiting' | 'idle' | 'store' | 'service';

/**
 * What a machine sends. `from` is the sender's own id (the engine checks it); on
 * delivery the engine stamps `rand`, a fresh random integer the receiver's timers use.
 */
export interface MessageBody {
  type: string;
  from: NodeId;
  rand?: number;
  [field: string]: unknown;
}

/** Input every machine receives when a node starts or restarts. */
export interface NodeInput<P = unknown> {
  id: NodeId;
  /** Every other node id in the scenario, ascending. */
  peers: NodeId[];
  /** All node ids in scenario order (ring order for ring algorithms). */
  order: NodeId[];
  params: P;
  /** What the previous incarnation persisted (Raft: term, votedFor, log), or undefined. */
  persisted: unknown;
  /** A uniform unsigned 32-bit integer from the world's PRNG for initial timers. */
  rand: number;
}

/** What the views show of one node, derived from its snapshot. */
export interface NodeSummary {
  role: Role;
  /** Raft term, or another monotone epoch (lease revision) where the algorithm has one. */
  term?: number;
  votedFor?: NodeId | null;
  /** Whom this node believes is the leader. */
  leader?: NodeId | null;
}

export interface AlgorithmModel<P = unknown> {
  name: string;
  machine: AnyStateMachine;
  /** Machine input for a node; may add per-node fields. */
  input(base: NodeInput<P>): unknown;
  /** State kept across a crash, from the dying snapshot (undefined: nothing survives). */
  persist?(snapshot: AnyMachineSnapshot): unknown;
  summary(snapshot: AnyMachineSnapshot): NodeSummary;
  /** Short label for a message in flight, e.g. "RequestVote t3". */
  label(body: MessageBody): string;
  /**
   * Whether a leader in the same `term` as another one is a safety violation (Raft),
   * or only a split-brain warning (Bully, Ring).
   */
  termSafety: boolean;
  /** Message types counted as background traffic (heartbeats), not election cost. */
  heartbeatTypes?: readonly string[];
  /**
   * Algorithm-specific invariants, run after every event that changed node `idx`'s
   * snapshot (Raft: log matching, leader completeness). Report with reportViolation.
   */
  checkNode?(check: NodeCheck): void;
}

export interface NodeCheck {
  world: World;
  rt: Runtime;
  idx: number;
  /** The node's snapshot before the event (undefined at first boot). */
  prev: AnyMachineSnapshot | undefined;
  eventIndex: number;
}

export type DropReason = 'dead' | 'restarted' | 'cut' | 'partition' | 'loss' | 'manual';

export interface Message {
  id: number;
  from: NodeId;
  to: NodeId;
  sentAt: Time;
  deliverAt: Time;
  /** Receiver's incarnation when sent: a restart in between drops the message. */
  toInc: number;
  /** Decided at send time, applied at delivery so the view shows it fail in flight. */
  lost: boolean;
  body: MessageBody;
}
