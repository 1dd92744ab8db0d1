/**
 * "How long is the cluster without a leader?" for every algorithm whose definition says
 * how often its leader speaks (`heartbeatMs`), side by side, as the network gets worse
 * (more loss, or more latency). Each trial builds the algorithm's
 * scenario with the given network, lets a leader settle, crashes it at a uniformly random
 * moment within a heartbeat interval, and measures the time until the cluster's leader
 * (`internals(sim).world.leader`) is another node. Every algorithm keeps its default timeouts, so the
 * figure shows what untuned timeouts cost when the network changes.
 *
 * Each trial boots its own cluster: with loss, what happened before the crash (lost
 * heartbeats, a follower that has started to suspect the leader) is part of what is
 * measured, and the boot is a small share of a trial's work.
 *
 * Pure and deterministic for a seed; per-trial seeds come from the experiment seed, so a
 * split across Web Workers gives the same numbers as one sequential run.
 */
import { createSimulation } from '../index';
import { algorithms, registry } from '../registry';
import type { AlgorithmDefinition } from '../core/definition';
import { rngFrom, seedState } from '../sim/rng';
import { ms, toMs } from '../sim/time';
import { downtimeStats, type DowntimeStats } from './stats';
import { internals } from '../sim/simulation';

/** The algorithms this experiment can run: those that declare `heartbeatMs`, in registry order. */
export function downtimeAlgorithms(): AlgorithmDefinition[] {
  return algorithms.filter((a) => !a.testOnly && a.heartbeatMs);
}

/** How an algorithm is named on the chart: its title, and its default variant if it has several. */
export function downtimeLabel(algorithm: string): string {
  const d = registry[algorithm];
  if (!d) return algorithm;
  const v = d.experiments?.messageCost?.variants?.[0];
  return v ? `${d.title} (${v.label})` : d.title;
}

/** "a, b or c". */
function orList(xs: readonly string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

export interface DowntimeOptions {
  /** An algorithm that declares `heartbeatMs`. */
  algorithm: string;
  /** Cluster size before the crash, 3..64. */
  nodes: number;
  /** One-way latency, ms, uniform in [min, max]. */
  latency: { min: number; max: number };
  /** Probability that a message is lost, 0..1 (every message, heartbeats included). */
  loss: number;
  /** Algorithm params (defaults when omitted). */
  params?: Record<string, unknown>;
  /** Simulated ms after the crash before a trial gives up (default 30 s). */
  horizonMs?: number;
  trials: number;
  seed: number;
}

export interface DowntimeTrial {
  /** ms from the crash to another leader (the horizon when unresolved). */
  downtime: number;
  /** No other leader within the horizon (or no leader to crash in the first place). */
  unresolved: boolean;
  /** Unresolved because the trial ran out of its event budget (a message storm). */
  storm?: true;
}

export interface DowntimeResult extends DowntimeStats {
  /** Trials with no new leader within the horizon (counted at the horizon). */
  unresolved: number;
  /** Of those, trials stopped by the event budget (message storms). */
  storms: number;
}

export const DOWNTIME_HORIZON_MS = 30_000;
/** Simulated time allowed for the first leader to appear before the crash. */
const SETTLE_LIMIT_MS = 60_000;
/**
 * Events per node a trial may process in each phase (before and after the crash) before it
 * is counted as unresolved, a "storm": with timeouts below the round trip, Ring (and at
 * worse latencies Bully) falls into message storms that would otherwise keep a worker busy
 * for minutes. A healthy 5-node trial needs about 1,000 events.
 */
export const DOWNTIME_EVENTS_PER_NODE = 2_000;

export function validateDowntimeOptions(o: DowntimeOptions): void {
  const names = downtimeAlgorithms().map((a) => a.name);
  if (!names.includes(o.algorithm))
    throw new RangeError(`algorithm must be ${orList(names)}, not ${String(o.algorithm)}`);
  if (!Number.isInteger(o.nodes) || o.nodes < 3 || o.nodes > 64)
    throw new RangeError(`nodes must be an integer from 3 to 64, not ${o.nodes}`);
  const { min, max } = o.latency;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min && max <= 10_000))
    throw new RangeError(`latency must be 0 <= min <= max <= 10000 ms, not ${min}-${max}`);
  if (!(Number.isFinite(o.loss) && o.loss >= 0 && o.loss < 1))
    throw new RangeError(`loss must be from 0 to below 1, not ${o.loss}`);
  if (!Number.isInteger(o.trials) || o.trials < 1)
    throw new RangeError(`trials must be a positive integer, not ${o.trials}`);
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff)
    throw new RangeError(`seed must be an integer from 0 to 2^32-1, not ${o.seed}`);
}

/** The leader's heartbeat interval in ms under these (resolved) params: the crash moment is uniform within it. */
export function heartbeatOf(algorithm: string, params: unknown): number {
  const hb = registry[algorithm].heartbeatMs;
  if (!hb) throw new RangeError(`${algorithm} does not say how often its leader speaks`);
  return hb(params);
}

/** One trial; `trialSeed` fully determines it. */
export function downtimeTrial(opts: DowntimeOptions, trialSeed: number): DowntimeTrial {
  const params = opts.params ?? {};
  const horizon = opts.horizonMs ?? DOWNTIME_HORIZON_MS;
  const sim = createSimulation(
    {
      v: 1,
      algorithm: opts.algorithm,
      params,
      nodes: Array.from({ length: opts.nodes }, (_, i) => ({ id: i + 1 })),
      network: { latency: opts.latency, loss: opts.loss, fifo: false },
      seed: trialSeed,
      actions: [],
    },
    { keepTrace: false },
  );
  const w = internals(sim).world;
  const failed: DowntimeTrial = { downtime: horizon, unresolved: true };
  const perPhase = DOWNTIME_EVENTS_PER_NODE * opts.nodes;
  const storm: DowntimeTrial = { ...failed, storm: true };
  let phaseEnd = perPhase;
  const over = () => w.counters.events > phaseEnd;
  /** Exactly one alive node believes it leads (no split brain at the moment of the crash). */
  const soleLeader = () => {
    if (w.leader === null) return false;
    let leaders = 0;
    for (let i = 0; i < w.nodes.length; i++)
      if (w.nodes[i].alive && internals(sim).rt.summaries[i].role === 'leader') leaders++;
    return leaders === 1;
  };
  sim.runWhileNot(() => over() || soleLeader(), ms(SETTLE_LIMIT_MS));
  if (!soleLeader()) return over() ? storm : failed;
  // settle: a few heartbeats, so every follower has heard its leader
  const hb = heartbeatOf(opts.algorithm, sim.params);
  sim.runUntilTime(w.now + ms(4 * hb + 2 * opts.latency.max), perPhase);
  // crash at a uniformly random moment within a heartbeat interval, whoever leads then
  const offset = rngFrom(seedState(trialSeed ^ 0x0d0e)).int(0, Math.max(0, ms(hb) - 1));
  sim.runUntilTime(w.now + offset, perPhase);
  phaseEnd = w.counters.events + perPhase;
  sim.runWhileNot(() => over() || soleLeader(), w.now + ms(SETTLE_LIMIT_MS));
  if (!soleLeader()) return over() ? storm : failed;
  const old = w.leader as number;
  sim.apply({ type: 'kill', node: old });
  const crashAt = w.now;
  phaseEnd = w.counters.events + perPhase;
  const elected = () => w.leader !== null && w.leader !== old;
  sim.runWhileNot(() => over() || elected(), crashAt + ms(horizon));
  if (!elected()) return over() ? storm : failed;
  return { downtime: toMs(w.now - crashAt), unresolved: false };
}

/** Per-trial seeds derived from the experiment seed. */
export function downtimeTrialSeeds(seed: number, trials: number): number[] {
  const rng = rngFrom(seedState(seed));
  return Array.from({ length: trials }, () => rng.u32());
}

/** Trials [from, to): workers split a point into chunks and get the same numbers. */
export function downtimeChunk(opts: DowntimeOptions, from: number, to: number): DowntimeTrial[] {
  validateDowntimeOptions(opts);
  return downtimeTrialSeeds(opts.seed, opts.trials)
    .slice(from, to)
    .map((s) => downtimeTrial(opts, s));
}

export function summarizeDowntime(trials: readonly DowntimeTrial[]): DowntimeResult {
  return {
    ...downtimeStats(trials),
    unresolved: trials.filter((t) => t.unresolved).length,
    storms: trials.filter((t) => t.storm).length,
  };
}

export function runDowntimeExperiment(opts: DowntimeOptions): DowntimeResult {
  return summarizeDowntime(downtimeChunk(opts, 0, opts.trials));
}

export type DowntimeAxis = 'loss' | 'latency';

export interface DowntimeSweep {
  axis: DowntimeAxis;
  /** Loss rates 0..1 (axis loss) or mean one-way latencies in ms (axis latency). */
  values: number[];
  nodes: number;
  /** Latency while loss varies: the mean, uniform within ±50% (default 10 ms, i.e. 5-15). */
  baseLatency: number;
  /** Loss while latency varies. */
  baseLoss: number;
  trials: number;
  seed: number;
}

/**
 * The options for one point of a sweep: latency `L` means uniform in [L/2, 3L/2] (mean L).
 * All algorithms and points share the seed, so each sees the same trial seeds.
 */
export function sweepPoint(
  sweep: DowntimeSweep,
  algorithm: string,
  value: number,
): DowntimeOptions {
  const lat = sweep.axis === 'latency' ? value : sweep.baseLatency;
  return {
    algorithm,
    nodes: sweep.nodes,
    latency: { min: lat / 2, max: (3 * lat) / 2 },
    loss: sweep.axis === 'loss' ? value : sweep.baseLoss,
    trials: sweep.trials,
    seed: sweep.seed,
  };
}
