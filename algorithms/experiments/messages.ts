/**
 * "How many messages does one election cost?" for Bully and Ring. Each trial lays the
 * ids 1..n out in a random ring order, lets the boot election settle, crashes the leader
 * (the top id) and, at that same moment, has the chosen initiators detect the failure (the
 * user's `timeout` action); then it counts every message sent, heartbeats excluded, until
 * the election is over: every alive node names the new leader (the highest alive id), no
 * node is still taking part or waiting for an ACK, and no election message is in flight.
 *
 * The network is loss-free with a fixed latency, and the heartbeat and failure timeouts
 * are long (10 s and 60 s), so only the chosen initiators start elections and the counts
 * match the closed forms from the literature. Pure and deterministic for a seed: the CLI,
 * tests and a Web Worker run the same code, and two algorithms given the same seed see the
 * same ring orders and the same random initiators.
 */
import type { AnyMachineSnapshot } from 'xstate';
import { createSimulation } from '../index';
import { bullyBusy } from '../bully/model';
import { ringBusy } from '../ring/model';
import type { Simulation } from '../sim/simulation';
import { rngFrom, seedState, type Rng } from '../sim/rng';
import { ms } from '../sim/time';
import type { NodeId } from '../sim/types';
import { mean, percentile, round3 } from './stats';
import { internals } from '../sim/simulation';

export type Initiators = 'lowest' | 'highest' | 'random' | 'all';
export const INITIATORS: readonly Initiators[] = ['lowest', 'highest', 'random', 'all'];

export interface MessagesOptions {
  algorithm: 'bully' | 'ring';
  /** Ring only; default chang-roberts. */
  variant?: 'chang-roberts' | 'collect-ids';
  /** Nodes in the cluster, 2..64, before the leader crashes (n - 1 take part). */
  nodes: number;
  /** Who detects the crash: the lowest alive id, the highest, one at random, or every alive node. */
  initiators: Initiators;
  trials: number;
  seed: number;
  /** Fixed one-way latency in ms (default 10). Timeouts scale with it. */
  latency?: number;
}

export interface MessagesTrial {
  /** Ring order (the scenario's node order). */
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

export function validateMessagesOptions(opts: MessagesOptions): void {
  const int = (x: number) => Number.isInteger(x);
  if (opts.algorithm !== 'bully' && opts.algorithm !== 'ring')
    throw new RangeError(`algorithm must be bully or ring, not ${String(opts.algorithm)}`);
  if (opts.variant !== undefined && opts.algorithm !== 'ring')
    throw new RangeError('variant applies to the ring algorithm only');
  if (
    opts.variant !== undefined &&
    opts.variant !== 'chang-roberts' &&
    opts.variant !== 'collect-ids'
  )
    throw new RangeError(
      `variant must be chang-roberts or collect-ids, not ${String(opts.variant)}`,
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

/** Params for a counting trial: long failure detection, timeouts scaled to the latency. */
export function experimentParams(opts: MessagesOptions): Record<string, unknown> {
  const l = opts.latency ?? 10;
  const timing = {
    heartbeat: 10_000,
    failureTimeout: 60_000,
    answerTimeout: Math.max(5, 5 * l),
    coordinatorTimeout: Math.max(15, 15 * l),
  };
  return opts.algorithm === 'ring'
    ? { ...timing, variant: opts.variant ?? 'chang-roberts' }
    : timing;
}

/**
 * The election is over: every alive, unpaused node names the highest alive id, which
 * leads; nobody is busy (`busy`, from the model); no message other than a heartbeat is in
 * flight.
 */
export function electionOver(sim: Simulation, busy: (s: AnyMachineSnapshot) => boolean): boolean {
  const w = internals(sim).world;
  let top = -1;
  for (const n of w.nodes) if (n.alive && n.id > top) top = n.id;
  if (top < 0) return true;
  for (let i = 0; i < w.nodes.length; i++) {
    const n = w.nodes[i];
    if (!n.alive) continue;
    if (internals(sim).rt.summaries[i].leader !== top || busy(n.snapshot)) return false;
  }
  const hb = internals(sim).rt.model.heartbeatTypes ?? [];
  for (const ev of w.queue)
    if (ev.kind === 'deliver' && !hb.includes(ev.msg.body.type)) return false;
  return true;
}

/** The model's `busy` for an algorithm name. */
export function busyOf(algorithm: string): (s: AnyMachineSnapshot) => boolean {
  return algorithm === 'ring' ? ringBusy : bullyBusy;
}

/** Messages sent since `before` (a copy of sentByType), heartbeats excluded. */
export function sentSince(
  sim: Simulation,
  before: Record<string, number>,
): { total: number; byType: Record<string, number> } {
  const hb = internals(sim).rt.model.heartbeatTypes ?? [];
  const byType: Record<string, number> = {};
  let total = 0;
  for (const [type, n] of Object.entries(sim.counters().sentByType)) {
    if (hb.includes(type)) continue;
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

/**
 * Lets the current election settle, then crashes `crash` (null: nobody) and has every node
 * of `initiators` detect a failure at that same moment, and counts the messages (heartbeats
 * excluded) until the election that follows is over. Throws if either does not settle
 * within the horizon.
 */
export function countElection(
  sim: Simulation,
  crash: NodeId | null,
  initiators: readonly NodeId[],
): { total: number; byType: Record<string, number> } {
  const busy = busyOf(sim.scenario.algorithm);
  const done = () => electionOver(sim, busy);
  if (!sim.runWhileNot(done, sim.now + ms(HORIZON_MS)))
    throw new Error(`${sim.scenario.algorithm}: the election before the crash did not settle`);
  const before = { ...sim.counters().sentByType };
  if (crash !== null) sim.apply({ type: 'kill', node: crash });
  for (const id of initiators) sim.apply({ type: 'timeout', node: id });
  // the crash and the detections all happen now, before any message moves
  sim.runUntilTime(sim.now);
  if (!sim.runWhileNot(done, sim.now + ms(HORIZON_MS)))
    throw new Error(`${sim.scenario.algorithm}: the election after the crash did not settle`);
  return sentSince(sim, before);
}

/** A counting scenario: the given ring order, loss-free FIFO links with a fixed latency. */
export function countingSimulation(
  opts: MessagesOptions,
  order: NodeId[],
  seed: number,
): Simulation {
  const l = opts.latency ?? 10;
  return createSimulation(
    {
      v: 1,
      algorithm: opts.algorithm,
      params: experimentParams(opts),
      nodes: order.map((id) => ({ id })),
      network: { latency: { min: l, max: l }, loss: 0, fifo: true },
      seed,
      actions: [],
    },
    { keepTrace: false },
  );
}

/** One trial; `trialSeed` fully determines it (ring order, random initiator, network). */
export function messagesTrial(opts: MessagesOptions, trialSeed: number): MessagesTrial {
  const rng = rngFrom(seedState(trialSeed));
  const order = randomRing(opts.nodes, rng);
  const sim = countingSimulation(opts, order, trialSeed);
  const crashed = opts.nodes;
  const alive = order.filter((id) => id !== crashed).sort((a, b) => a - b);
  const initiators = pickInitiators(opts.initiators, alive, rng);
  const { total, byType } = countElection(sim, crashed, initiators);
  return { order, crashed, initiators, leader: alive[alive.length - 1], total, byType };
}

/** Per-trial seeds derived from the experiment seed. */
export function messagesTrialSeeds(seed: number, trials: number): number[] {
  const rng = rngFrom(seedState(seed));
  return Array.from({ length: trials }, () => rng.u32());
}

export function messagesTrials(opts: MessagesOptions): MessagesTrial[] {
  validateMessagesOptions(opts);
  return messagesTrialSeeds(opts.seed, opts.trials).map((s) => messagesTrial(opts, s));
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
