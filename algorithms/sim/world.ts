/**
 * The World: plain data for one simulation (time, PRNG state, event queue, nodes,
 * network, counters, leader history) and step(), which pops one event and applies it.
 *
 * Node snapshots are XState snapshots. They are immutable values (every transition
 * returns a new one), so a structural copy of the World that shares them is an exact
 * checkpoint; `persistWorld` turns them into { value, context } for JSON.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { byTime, heapPop, heapPush } from './queue';
import { copyNetwork, type NetworkState } from './network';
import type { Rng, RngState } from './rng';
import type { Time } from './time';
import type { TraceRecord } from './trace';
import type { TraceStore } from './tracestore';
import { hashRecord } from './trace';
import type { MachineDriver } from './driver';
import type { AlgorithmModel, Message, NodeId, NodeSummary } from './types';
import type { Action } from './actions';
import { deliver, fireTimer, holdIfPaused } from './nodes';
import { applyFault } from './faults';
import { observeNode } from './monitor';

export type QueuedEvent =
  | { kind: 'deliver'; at: Time; seq: number; msg: Message; held?: boolean }
  | {
      kind: 'timer';
      at: Time;
      seq: number;
      node: NodeId;
      inc: number;
      timer: string;
      event: { type: string };
      held?: boolean;
    }
  | { kind: 'fault'; at: Time; seq: number; action: Action; user?: boolean }
  /** An event the user hands straight to a node: a forced timeout, a client request. */
  | {
      kind: 'forced';
      at: Time;
      seq: number;
      node: NodeId;
      inc: number;
      event: { type: string; [field: string]: unknown };
      held?: boolean;
    };

export interface SimNode {
  id: NodeId;
  alive: boolean;
  paused: boolean;
  /** Bumped on every restart; messages and timers for an older incarnation are stale. */
  incarnation: number;
  snapshot: AnyMachineSnapshot;
  /** Live timers: raise id -> seq of the scheduling event (last schedule wins). */
  timers: Record<string, number>;
  /** Due time per live timer, for views (countdown rings, inspector). */
  timerDue: Record<string, Time>;
  /** Events that arrived while paused, released in order on resume. */
  held: QueuedEvent[];
  /** Timer speed factor in parts per thousand (1000 = true time); clock drift. */
  clockPermille: number;
}

export interface LeaderChange {
  t: Time;
  node: NodeId | null;
  term?: number;
}

export interface Violation {
  invariant: string;
  /** 'error' breaks the algorithm's guarantee; 'warning' is a documented weakness. */
  severity: 'error' | 'warning';
  t: Time;
  /** For interval violations (split brain): when it ended, if it has. */
  until?: Time;
  nodes: NodeId[];
  detail: string;
  eventIndex: number;
}

export interface Counters {
  events: number;
  sent: number;
  delivered: number;
  dropped: Record<string, number>;
  sentByType: Record<string, number>;
}

export interface World {
  now: Time;
  /** Time of the last processed event (now can be ahead of it after runUntil). */
  lastAt: Time;
  /** Enqueue counter; ties at the same time break by it. */
  seq: number;
  msgSeq: number;
  rng: RngState;
  queue: QueuedEvent[];
  nodes: SimNode[];
  net: NetworkState;
  counters: Counters;
  leader: NodeId | null;
  leaderTerm: number | undefined;
  leaders: LeaderChange[];
  /** term -> the node that led it (election safety). */
  termLeaders: Record<number, NodeId>;
  violations: Violation[];
  /** Open split-brain interval: index into violations, or -1. */
  openSplit: number;
  /**
   * State kept by algorithm-specific invariant checks (e.g. Raft's committed entries).
   * Values are replaced, never mutated, so a shallow copy is a checkpoint.
   */
  invariantState: Record<string, unknown>;
  hash: number;
}

/** Non-data companions of a World: the algorithm, its driver and a live PRNG. */
export interface Runtime {
  model: AlgorithmModel;
  /** Each node's driver (nodes running the same machine share one). */
  drivers: MachineDriver[];
  params: unknown;
  order: NodeId[];
  index: Map<NodeId, number>;
  /** The same as a sparse array by node id (the hot path's lookup: cheaper than the map). */
  slot: (number | undefined)[];
  peers: NodeId[][];
  rng: Rng;
  summaries: NodeSummary[];
  keepTrace: boolean;
  /** The kept trace records, compact (see tracestore.ts). */
  trace: TraceStore;
  /** Messages sent while handling the current event. */
  sent: number;
}

export function indexOf(rt: Runtime, id: NodeId): number {
  const i = rt.slot[id];
  if (i === undefined) throw new Error(`unknown node id ${id}`);
  return i;
}

export function enqueue(world: World, ev: QueuedEvent): void {
  heapPush(world.queue, ev);
}

export function nextSeq(world: World): number {
  return ++world.seq;
}

/**
 * A scenario action's queue key: it sorts after every other event at the same time, and
 * among actions at the same time by its index in `scenario.actions`. A fault applied live
 * at time T (after the events at T already processed) therefore replays at the same
 * place when the run is rebuilt from the recorded scenario, and it takes nothing from
 * the world's seq counter, so replaying from a checkpoint taken before it was applied
 * gives the same seq numbers to everything else.
 */
export const FAULT_RANK = 2 ** 45;
export function actionSeq(actionIndex: number): number {
  return FAULT_RANK + actionIndex;
}

function record(world: World, rt: Runtime, rec: TraceRecord): TraceRecord {
  world.hash = hashRecord(world.hash, rec);
  // by index: after stepping back, replayed records overwrite their own slots
  if (rt.keepTrace) rt.trace.put(rec);
  return rec;
}

function isStale(world: World, rt: Runtime, ev: QueuedEvent): boolean {
  if (ev.kind !== 'timer') return false;
  const node = world.nodes[indexOf(rt, ev.node)];
  return node.incarnation !== ev.inc || node.timers[ev.timer] !== ev.seq || !node.alive;
}

/** Time of the next event that would be processed, or undefined when none is left. */
export function peekTime(world: World, rt: Runtime): Time | undefined {
  const q = world.queue;
  while (q.length > 0 && isStale(world, rt, q[0])) heapPop(q);
  return q.length > 0 ? q[0].at : undefined;
}

/** Pops and applies one event; returns its trace record, or null when the queue is empty. */
export function step(world: World, rt: Runtime): TraceRecord | null {
  let ev: QueuedEvent | undefined;
  do {
    ev = heapPop(world.queue);
    if (ev === undefined) return null;
  } while (isStale(world, rt, ev));
  world.now = ev.at;
  world.lastAt = ev.at;
  const i = world.counters.events++;
  rt.sent = 0;
  let rec: TraceRecord;
  switch (ev.kind) {
    case 'deliver':
      rec = deliver(world, rt, ev, i);
      break;
    case 'timer':
    case 'forced':
      // (no closure per event: a paused node holds it, else it runs)
      rec = holdIfPaused(world, rt, ev, i) ?? fireTimer(world, rt, ev, i);
      break;
    case 'fault':
      rec = applyFault(world, rt, ev.action, i);
      break;
  }
  if (rt.sent > 0) rec.sent = rt.sent;
  record(world, rt, rec);
  return rec;
}

/** Refreshes the cached summary of node `idx` and updates leader tracking and invariants. */
export function noteNodeChanged(
  world: World,
  rt: Runtime,
  idx: number,
  eventIndex: number,
  prev?: AnyMachineSnapshot,
): void {
  const node = world.nodes[idx];
  const before = rt.summaries[idx];
  const after = rt.model.summary(node.snapshot);
  rt.summaries[idx] = after;
  if (before.role !== after.role || before.term !== after.term || before.leader !== after.leader)
    observeNode(world, rt, idx, before, after, eventIndex);
  rt.model.checkNode?.({ world, rt, idx, prev, eventIndex });
}

/** Records an invariant violation found by an algorithm's own check (AlgorithmModel.checkNode). */
export function reportViolation(world: World, v: Omit<Violation, 't'>): void {
  world.violations.push({ ...v, t: world.now });
}

/**
 * A structural copy: shares immutable snapshots and queued events, copies everything
 * mutable. `rng` is the PRNG state to store (the live generator's, for a checkpoint).
 *
 * `prev`, a copy made earlier of the same run (the previous checkpoint), lends its copies
 * of what only grows and has not grown since: the leader history (append-only) and the
 * leader of each term (insert-only). Without it a checkpoint would copy both whole, and a
 * long run's checkpoints would grow with the number of elections.
 */
export function copyWorld(world: World, rng: RngState, prev?: World): World {
  const leaders =
    prev !== undefined &&
    prev.leaders.length === world.leaders.length &&
    prev.leaders[prev.leaders.length - 1] === world.leaders[world.leaders.length - 1]
      ? prev.leaders
      : world.leaders.slice();
  const termLeaders =
    prev !== undefined && keyCount(prev.termLeaders) === keyCount(world.termLeaders)
      ? prev.termLeaders
      : { ...world.termLeaders };
  return {
    ...world,
    rng: rng.slice(),
    queue: world.queue.slice(),
    nodes: world.nodes.map((n) => ({
      ...n,
      timers: { ...n.timers },
      timerDue: { ...n.timerDue },
      held: n.held.slice(),
    })),
    net: copyNetwork(world.net),
    counters: {
      ...world.counters,
      dropped: { ...world.counters.dropped },
      sentByType: { ...world.counters.sentByType },
    },
    leaders,
    invariantState: { ...world.invariantState },
    termLeaders,
    violations: world.violations.map((v) => ({ ...v })),
  };
}

function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/**
 * The World as plain, comparable data: snapshots as { value, context }, and the queue in
 * pop order without stale timers (entries a reset timer left behind, which are skipped
 * lazily whenever they reach the top; whether one was skipped yet does not matter).
 */
export function persistWorld(world: World, rt: Runtime): unknown {
  const w = copyWorld(world, rt.rng.state());
  return {
    ...w,
    queue: w.queue.filter((ev) => !isStale(world, rt, ev)).sort(byTime),
    nodes: w.nodes.map((n) => ({
      ...n,
      snapshot: { value: n.snapshot.value, context: n.snapshot.context },
    })),
  };
}
