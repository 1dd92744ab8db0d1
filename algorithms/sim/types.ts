/**
 * The engine's small contract with algorithms. `sim` knows nothing about any one
 * algorithm: an algorithm hands it an XState machine plus a few pure functions that
 * read its snapshots (what role a node plays, what survives a crash, how to label a
 * message).
 */
import type { AnyStateMachine, AnyMachineSnapshot, EventObject } from 'xstate';
import type { Time } from './time';
import type { Runtime, World } from './world';

export type NodeId = number;

/**
 * The roles the engine and the generic views understand, across all algorithms. `service`
 * is a node that takes no part in the election itself (a coordination store, a service
 * the leader acts on); the algorithm's definition says how each one reads.
 */
export type Role = 'leader' | 'candidate' | 'follower' | 'waiting' | 'idle' | 'service';

/**
 * What a machine sends: an immutable value. `from` is the sender's own id (the engine
 * checks it). On delivery the receiver's machine gets a copy of the body with `rand`, a
 * fresh random integer its timers use; the body in flight never carries it.
 */
export interface MessageBody {
  type: string;
  from: NodeId;
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

/**
 * What a message does, for its colour and legend entry: asking for votes or support, a
 * yes, a no, background heartbeats, an announcement of the result, an acknowledgement.
 */
export type MessageKind =
  'request' | 'granted' | 'refused' | 'heartbeat' | 'announcement' | 'ack' | 'other';

/**
 * The event the engine hands a node when the user forces a timeout ("this node detects a
 * failure now"): every machine should handle it in every state where a timer runs.
 */
export const FORCED_TIMEOUT = 'TIMEOUT';

/** What the views show of one node, derived from its snapshot. */
export interface NodeSummary {
  role: Role;
  /** Raft term, or another monotone epoch (lease revision) where the algorithm has one. */
  term?: number;
  votedFor?: NodeId | null;
  /** Whom this node believes is the leader. */
  leader?: NodeId | null;
}

/** What an algorithm's timing defaults and warnings depend on: the network as configured. */
export interface NetworkTiming {
  /** One-way latency, ms: the scenario's range widened by every per-link override. */
  latency: { min: number; max: number };
  loss: number;
  duplicate: number;
}

export interface AlgorithmModel<P = unknown> {
  name: string;
  /** The machine every node runs, unless `machineFor` picks one per node. */
  machine: AnyStateMachine;
  /**
   * The machine node `id` runs, when roles run different machines (the lease election's
   * store, workers and payment service). Called once per node when a simulation is built.
   */
  machineFor?(id: NodeId, order: readonly NodeId[], params: P): AnyStateMachine;
  /**
   * The nodes a `broadcast` from `id` reaches and its input's `peers`, ascending, when a
   * node talks to a group rather than to everyone (the lease election's store replicas
   * run Raft among themselves). Unset: every other node of the scenario.
   */
  peersFor?(id: NodeId, order: readonly NodeId[], params: P): NodeId[];
  /**
   * Fills the timing params the user left unset from the network (for example an answer
   * timeout of twice the worst one-way latency plus a margin), so that the defaults work on
   * every network a user can pick. Explicit values are kept as they are.
   */
  resolveParams?(params: P, network: NetworkTiming): P;
  /**
   * One sentence per timing param that breaks the algorithm's timing assumptions on this
   * network ("answer timeout 50 ms < round trip up to 120 ms: expect false failure
   * detection"). Explicit values may do so on purpose; the app and the CLI say so.
   */
  timingWarnings?(params: P, network: NetworkTiming): string[];
  /** Machine input for a node; may add per-node fields. */
  input(base: NodeInput<P>): unknown;
  /** State kept across a crash, from the dying snapshot (undefined: nothing survives). */
  persist?(snapshot: AnyMachineSnapshot): unknown;
  summary(snapshot: AnyMachineSnapshot): NodeSummary;
  /** Short label for a message in flight, e.g. "RequestVote t3". */
  label(body: MessageBody): string;
  /**
   * What a message does (asks, grants, refuses, announces, beats), for its colour. The
   * engine copies it into the message's trace record; it never interprets it.
   */
  kindOf?(body: MessageBody): MessageKind;
  /**
   * A word or two on what an event did that the states before and after do not show (the
   * store's answer "expired", a candidate's "2/3" votes), copied into the event's trace
   * record for narration. Called only while the trace is kept; never hashed.
   */
  explain?(
    before: AnyMachineSnapshot,
    after: AnyMachineSnapshot,
    event: EventObject,
  ): string | undefined;
  /**
   * Client requests (the `request` scenario action) mean something to this algorithm:
   * the engine hands the leader (or the named node) the event `{ type: event, command }`.
   */
  clientRequest?: { event: string; text: string };
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
