/**
 * What a scenario asks the engine to do, as plain types: the nodes, the network and the
 * timed user actions (faults, manual delivery choices, client requests). The scenario
 * schema (scenario/schema.ts) validates unknown input into exactly these shapes; a
 * compile-time check there keeps the two in step, so the engine needs nothing above it.
 */
import type { NodeId } from './types';

export type NodeAction = {
  at: number;
  type: 'kill' | 'restart' | 'pause' | 'resume' | 'timeout';
  node: NodeId;
};
export type LinkAction = {
  at: number;
  type: 'cut' | 'heal';
  from: NodeId;
  to: NodeId;
  oneWay?: boolean;
};
export type PartitionAction = { at: number; type: 'partition'; groups: NodeId[][] };
export type HealAllAction = { at: number; type: 'healAll' };
export type SetLatencyAction = {
  at: number;
  type: 'setLatency';
  min: number;
  max: number;
  from?: NodeId;
  to?: NodeId;
};
export type SetLossAction = {
  at: number;
  type: 'setLoss';
  loss: number;
  from?: NodeId;
  to?: NodeId;
};
/** Manual delivery: deliver or drop message `msg` now. */
export type MessageChoice = { at: number; type: 'deliver' | 'drop'; msg: number };
/** Manual delivery: fire a node's pending timer now. */
export type TimerChoice = { at: number; type: 'fire'; node: NodeId; timer: string };
/** Clock drift: the node's timers run `rate` times as fast as true time. */
export type ClockAction = { at: number; type: 'clock'; node: NodeId; rate: number };
/** A client request to the leader (or to `node`). */
export type RequestAction = { at: number; type: 'request'; command: number; node?: NodeId };

export type Action =
  | NodeAction
  | LinkAction
  | PartitionAction
  | HealAllAction
  | SetLatencyAction
  | SetLossAction
  | MessageChoice
  | TimerChoice
  | ClockAction
  | RequestAction;

export type ActionType = Action['type'];

export interface LatencyRange {
  min: number;
  max: number;
}

/** The network as a scenario configures it (ms, probabilities). */
export interface NetworkConfig {
  latency: LatencyRange;
  loss: number;
  fifo: boolean;
  duplicate?: number;
  /** ms: every timer fires up to this much late (uniform). */
  timerJitter?: number;
  links?: { from: NodeId; to: NodeId; latency?: LatencyRange; loss?: number }[];
}

/** A validated scenario as the engine runs it. */
export interface SimScenario {
  v: 1;
  algorithm: string;
  params: Record<string, unknown>;
  nodes: { id: NodeId; label?: string; x?: number; y?: number }[];
  network: NetworkConfig;
  seed: number;
  actions: Action[];
}
