/**
 * "How many messages does one election cost?" for every algorithm whose definition
 * declares `experiments.messageCost` and `busy`. Each trial starts from a settled cluster
 * (every node names the top id, nobody is busy, no election message is in flight),
 * crashes the leader (the top id) and, at that same moment, has the chosen initiators
 * detect the failure (the user's `timeout` action); then it counts every message sent,
 * heartbeats (the model's `heartbeatTypes`) excluded, until the election is over: every
 * alive node names the new leader (the highest alive id), no node is still busy (the
 * definition's `busy`: taking part, waiting for an answer) and no election message is in
 * flight.
 *
 * The settled cluster. The network is loss-free with a fixed latency and FIFO links, and
 * the heartbeat and failure timeouts are long (the declaration's `params`), so the boot
 * election settles the same way whatever the seed, and only the chosen initiators start
 * the election that is counted. The cluster of ids 1..n in order boots and settles once
 * per configuration (algorithm, variant, size, latency, seed): the snapshot every trial
 * starts from, the same in every worker. Each trial is a fork of it (Simulation.fork)
 * with the trial's seed: the counts are those of a freshly booted cluster, without paying
 * for its boot election (for Bully, as costly as the worst election measured; for a ring,
 * as costly as the election counted). For an algorithm whose nodes form a logical ring
 * (`ringOrder`), every trial lays the ids out in its own random ring order: the fork's
 * nodes are seated in that order (the declaration's `reseat`: every node leads the same
 * leader, nobody is busy, and nothing but where each node sits depends on the order), so
 * it counts the election a cluster booted in that order counts. A ring algorithm that
 * does not declare `reseat` boots and settles each trial's ring.
 *
 * A folder whose election does not fit these defaults declares hooks beside its series:
 * which node ids a cluster of n has, who leads (and so is crashed), when the election is
 * over, which message types count, and whether the algorithm notices the crash itself
 * (nobody is told). Bully and Ring use the defaults.
 *
 * Pure and deterministic for a seed: the CLI, tests and Web Workers run the same code, and
 * two algorithms given the same seed see the same ring orders and the same random
 * initiators.
 */
import { createSimulation } from '../index';
import { algorithms, registry } from '../registry';
import type { AlgorithmDefinition } from '../core/definition';
import { internals, type Simulation } from '../sim/simulation';
import { rngFrom, seedState, type Rng } from '../sim/rng';
import { ms } from '../sim/time';
import type { NodeId } from '../sim/types';
import { mean, percentile, round3 } from './stats';
import { INITIATORS, type Initiators, type MessageCostExperiment } from './types';

export { INITIATORS, type Initiators };

export interface MessagesOptions {
  /** An algorithm that declares `experiments.messageCost`. */
  algorithm: string;
  /** One of the declaration's variants (default: its first). */
  variant?: string;
  /**
   * The cluster size n, 2..64, before the leader crashes (n - 1 take part): its nodes, or
   * what the declaration's `nodeIds` counts (ZooKeeper: its workers).
   */
  nodes: number;
  /** Who detects the crash: the lowest alive id, the highest, one at random, or every alive node. */
  initiators: Initiators;
  trials: number;
  seed: number;
  /** Fixed one-way latency in ms (default 10). Timeouts scale with it. */
  latency?: number;
}

export interface MessagesTrial {
  /** The scenario's node order (the ring order, for ring algorithms). */
  order: NodeId[];
  crashed: NodeId;
  initiators: NodeId[];
  leader: NodeId;
  /** Messages sent for the election, heartbeats excluded. */
  total: number;
  byType: Record<string, number>;
}

export interface MessagesResult {
  trials: number;
  mean: number;
  p50: number;
  min: number;
  max: number;
  /** Mean per trial of each message type (heartbeats excluded). */
  byType: Record<string, number>;
}

/** Simulated time a trial may take to settle before it is declared stuck (a bug). */
const HORIZON_MS = 600_000;

/** "a or b", "a, b or c". */
export function orList(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

type Counted = AlgorithmDefinition & {
  experiments: { messageCost: MessageCostExperiment };
};

/** It declares the experiment and can tell when an election is over (`busy` or `settled`). */
function isCounted(a: AlgorithmDefinition | undefined): a is Counted {
  const x = a?.experiments?.messageCost;
  return !!a && !a.testOnly && !!x && (!!a.busy || !!x.settled);
}

/** The algorithms that take part in the message-count experiment, in registry order. */
export function messageCostAlgorithms(): Counted[] {
  return algorithms.filter(isCounted);
}

function countedOf(algorithm: string): Counted | undefined {
  const d = registry[algorithm];
  return isCounted(d) ? d : undefined;
}

/** When the algorithm's election is over: its `settled` hook, or the default rule. */
function doneOf(sim: Simulation): () => boolean {
  const x = countedOf(sim.scenario.algorithm)?.experiments.messageCost;
  if (x?.settled) {
    const settledHook = x.settled;
    return () => settledHook(sim);
  }
  const busy = busyOf(sim.scenario.algorithm);
  return () => electionOver(sim, busy);
}

export function validateMessagesOptions(opts: MessagesOptions): void {
  const int = (x: number) => Number.isInteger(x);
  const def = countedOf(opts.algorithm);
  if (!def)
    throw new RangeError(
      `algorithm must be ${orList(messageCostAlgorithms().map((a) => a.name))}, not ${String(opts.algorithm)}`,
    );
  const variants = def.experiments.messageCost.variants;
  if (opts.variant !== undefined && !variants)
    throw new RangeError(
      `variant applies to the ${orList(
        messageCostAlgorithms()
          .filter((a) => a.experiments.messageCost.variants)
          .map((a) => a.name),
      )} algorithm only`,
    );
  if (opts.variant !== undefined && variants && !variants.some((v) => v.id === opts.variant))
    throw new RangeError(
      `variant must be ${orList(variants.map((v) => v.id))}, not ${String(opts.variant)}`,
    );
  if (!int(opts.nodes) || opts.nodes < 2 || opts.nodes > 64)
    throw new RangeError(`nodes must be an integer from 2 to 64, not ${opts.nodes}`);
  if (!INITIATORS.includes(opts.initiators))
    throw new RangeError(
      `initiators must be one of ${INITIATORS.join(', ')}, not ${String(opts.initiators)}`,
    );
  if (!int(opts.trials) || opts.trials < 1)
    throw new RangeError(`trials must be a positive integer, not ${opts.trials}`);
  if (!int(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff)
    throw new RangeError(`seed must be an integer from 0 to 2^32-1, not ${opts.seed}`);
  const l = opts.latency ?? 10;
  if (!Number.isFinite(l) || l < 0 || l > 1000)
    throw new RangeError(`latency must be from 0 to 1000 ms, not ${l}`);
}

/** A uniformly random permutation of 1..n (Fisher-Yates). */
export function randomRing(n: number, rng: Rng): NodeId[] {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = ids[i];
    ids[i] = ids[j];
    ids[j] = t;
  }
  return ids;
}

/**
 * The election is over: every alive, unpaused node names the highest alive id, which
 * leads; nobody is busy (`busy`, from the definition); no message other than a heartbeat
 * is in flight.
 */
export function electionOver(sim: Simulation, busy: (s: unknown) => boolean): boolean {
  const { world: w, rt } = internals(sim);
  let top = -1;
  for (const n of w.nodes) if (n.alive && n.id > top) top = n.id;
  if (top < 0) return true;
  for (let i = 0; i < w.nodes.length; i++) {
    const n = w.nodes[i];
    if (!n.alive) continue;
    if (rt.summaries[i].leader !== top || busy(n.snapshot)) return false;
  }
  const hb = rt.model.heartbeatTypes ?? [];
  for (const ev of w.queue)
    if (ev.kind === 'deliver' && !hb.includes(ev.msg.body.type)) return false;
  return true;
}

/** The definition's `busy` for an algorithm name. */
export function busyOf(algorithm: string): (s: unknown) => boolean {
  const busy = registry[algorithm]?.busy;
  if (!busy) throw new RangeError(`${algorithm} does not say when a node is busy with an election`);
  return busy as (s: unknown) => boolean;
}

/**
 * Messages sent since `before` (a copy of sentByType), heartbeats excluded; only the
 * types of `counted` when given.
 */
export function sentSince(
  sim: Simulation,
  before: Record<string, number>,
  counted?: readonly string[],
): { total: number; byType: Record<string, number> } {
  const hb = internals(sim).rt.model.heartbeatTypes ?? [];
  const byType: Record<string, number> = {};
  let total = 0;
  for (const [type, n] of Object.entries(sim.counters().sentByType)) {
    if (hb.includes(type) || (counted && !counted.includes(type))) continue;
    const d = n - (before[type] ?? 0);
    if (d > 0) {
      byType[type] = d;
      total += d;
    }
  }
  return { total, byType };
}

function pickInitiators(mode: Initiators, alive: NodeId[], rng: Rng): NodeId[] {
  // always draw, so that every mode consumes the same randomness
  const r = alive[rng.int(0, alive.length - 1)];
  switch (mode) {
    case 'lowest':
      return [alive[0]];
    case 'highest':
      return [alive[alive.length - 1]];
    case 'random':
      return [r];
    case 'all':
      return alive.slice();
  }
}

function settle(sim: Simulation, done: () => boolean, what: string): void {
  if (!sim.runWhileNot(done, sim.now + ms(HORIZON_MS)))
    throw new Error(`${sim.scenario.algorithm}: the election ${what} did not settle`);
}

/**
 * From a settled cluster: crashes `crash` (null: nobody) and has every node of
 * `initiators` detect a failure at that same moment, and counts the messages (heartbeats
 * excluded) until the election that follows is over. Throws if it does not settle
 * within the horizon.
 */
export function countElection(
  sim: Simulation,
  crash: NodeId | null,
  initiators: readonly NodeId[],
): { total: number; byType: Record<string, number> } {
  const done = doneOf(sim);
  settle(sim, done, 'before the crash');
  const before = { ...sim.counters().sentByType };
  if (crash !== null) sim.apply({ type: 'kill', node: crash });
  for (const id of initiators) sim.apply({ type: 'timeout', node: id });
  // the crash and the detections all happen now, before any message moves
  sim.runUntilTime(sim.now);
  settle(sim, done, 'after the crash');
  const counted = countedOf(sim.scenario.algorithm)?.experiments.messageCost.countedTypes;
  return sentSince(sim, before, counted);
}

/** A counting scenario: the given node order, loss-free FIFO links with a fixed latency. */
export function countingSimulation(
  opts: MessagesOptions,
  order: NodeId[],
  seed: number,
): Simulation {
  const l = opts.latency ?? 10;
  const def = countedOf(opts.algorithm);
  if (!def) throw new RangeError(`${opts.algorithm} declares no message-count experiment`);
  return createSimulation(
    {
      v: 1,
      algorithm: opts.algorithm,
      params: def.experiments.messageCost.params(l, opts.variant),
      nodes: order.map((id) => ({ id })),
      network: { latency: { min: l, max: l }, loss: 0, fifo: true },
      seed,
      actions: [],
    },
    { keepTrace: false },
  );
}

/** Settled clusters per configuration, kept for the later trials (and chunks) of a run. */
const settled = new Map<string, Simulation>();
const SETTLED_KEPT = 24;

/**
 * The settled cluster of ids 1..n (or the declaration's `nodeIds`) in order that every trial of `opts` forks (for
 * algorithms without a ring order): booted with the experiment's seed and run until its
 * boot election is over. The same in every worker.
 */
export function settledCluster(opts: MessagesOptions): Simulation {
  const key = JSON.stringify([opts.algorithm, opts.variant, opts.nodes, opts.latency, opts.seed]);
  let sim = settled.get(key);
  if (sim === undefined) {
    const nodeIds = countedOf(opts.algorithm)?.experiments.messageCost.nodeIds;
    const order = nodeIds
      ? nodeIds(opts.nodes)
      : Array.from({ length: opts.nodes }, (_, i) => i + 1);
    sim = countingSimulation(opts, order, opts.seed);
    settle(sim, doneOf(sim), 'at boot');
    if (settled.size >= SETTLED_KEPT) settled.delete(settled.keys().next().value as string);
    settled.set(key, sim);
  }
  return sim;
}

/**
 * A fork of a settled cluster with its nodes seated in ring `order` (ids 1..n): each node's
 * context through `reseat`, and the order the engine hands a restarted node. Snapshots are
 * immutable values: each node gets a copy (same kind of object) with the new context.
 */
function seated(
  sim: Simulation,
  order: readonly NodeId[],
  reseat: NonNullable<MessageCostExperiment['reseat']>,
): Simulation {
  const { world, rt } = internals(sim);
  rt.order = order.slice();
  for (const node of world.nodes) {
    const snap = node.snapshot as { context: unknown };
    node.snapshot = Object.assign(Object.create(Object.getPrototypeOf(snap) as object), snap, {
      context: reseat(snap.context, order),
    }) as typeof node.snapshot;
  }
  return sim;
}

/**
 * One trial; `trialSeed` (and, without a ring order, the settled cluster of the
 * experiment's seed) fully determines it: ring order, random initiator, network.
 */
export function messagesTrial(opts: MessagesOptions, trialSeed: number): MessagesTrial {
  const rng = rngFrom(seedState(trialSeed));
  // drawn whether or not it is used, so every algorithm sees the same initiators
  const ring = randomRing(opts.nodes, rng);
  const def = countedOf(opts.algorithm);
  if (!def) throw new RangeError(`${opts.algorithm} declares no message-count experiment`);
  const x = def.experiments.messageCost;
  const sim = !def.ringOrder
    ? settledCluster(opts).fork(trialSeed)
    : x.reseat
      ? seated(settledCluster(opts).fork(trialSeed), ring, x.reseat)
      : countingSimulation(opts, ring, trialSeed);
  const order = internals(sim).rt.order.slice();
  if (x.leaderOf) settle(sim, doneOf(sim), 'before the crash');
  const crashed = x.leaderOf ? x.leaderOf(sim) : opts.nodes;
  const alive = order.filter((id) => id !== crashed).sort((a, b) => a - b);
  // drawn even when nobody is told, so every algorithm consumes the same randomness
  const picked = pickInitiators(opts.initiators, alive, rng);
  const initiators = x.selfDetecting ? [] : picked;
  const { total, byType } = countElection(sim, crashed, initiators);
  const leader = x.leaderOf ? x.leaderOf(sim) : alive[alive.length - 1];
  return { order, crashed, initiators, leader, total, byType };
}

/** Per-trial seeds derived from the experiment seed. */
export function messagesTrialSeeds(seed: number, trials: number): number[] {
  const rng = rngFrom(seedState(seed));
  return Array.from({ length: trials }, () => rng.u32());
}

/** Trials [from, to) of an experiment: workers split it into chunks and get the same numbers. */
export function messagesChunk(opts: MessagesOptions, from: number, to: number): MessagesTrial[] {
  validateMessagesOptions(opts);
  return messagesTrialSeeds(opts.seed, opts.trials)
    .slice(from, to)
    .map((s) => messagesTrial(opts, s));
}

export function messagesTrials(opts: MessagesOptions): MessagesTrial[] {
  return messagesChunk(opts, 0, opts.trials);
}

export function summarizeMessages(trials: readonly MessagesTrial[]): MessagesResult {
  const totals = trials.map((t) => t.total).sort((a, b) => a - b);
  const types = new Set<string>();
  for (const t of trials) for (const k of Object.keys(t.byType)) types.add(k);
  const byType: Record<string, number> = {};
  for (const type of [...types].sort())
    byType[type] = round3(mean(trials.map((t) => t.byType[type] ?? 0)));
  return {
    trials: trials.length,
    mean: round3(mean(totals)),
    p50: percentile(totals, 0.5),
    min: totals[0],
    max: totals[totals.length - 1],
    byType,
  };
}

/** The message-count experiment: `npm run sim -- experiment messages ...`. */
export function runMessagesExperiment(opts: MessagesOptions): MessagesResult {
  return summarizeMessages(messagesTrials(opts));
}
