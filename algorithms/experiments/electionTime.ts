/**
 * "How long is the cluster without a leader?" (Raft paper, Figure 16). Each trial lets
 * a leader settle, crashes it at a uniformly random moment within its heartbeat
 * interval, and measures the time until another node becomes leader. Pure and
 * deterministic for a seed: the CLI, tests and Web Workers run the same code.
 */
import { simulationFactory } from '../index';
import { rngFrom, seedState } from '../sim/rng';
import { ms, toMs } from '../sim/time';
import { mean, percentile, round3 } from './stats';
import { internals } from '../sim/simulation';

export interface ElectionTimeOptions {
  nodes: number;
  electionTimeout: { min: number; max: number };
  latency: { min: number; max: number };
  /** ms; default: half the minimum election timeout. */
  heartbeat?: number;
  trials: number;
  seed: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  /** ms of scheduling noise on every timer (see the scenario's network.timerJitter). */
  timerJitter?: number;
}

export interface ElectionTimeTrial {
  /** ms from the crash to the new leader (the horizon when unresolved) */
  downtime: number;
  /** No leader within the horizon: with a zero-width timeout range and no clock noise,
   * candidates that split a vote time out in lockstep forever. */
  unresolved: boolean;
  /** the new leader's term minus the crashed leader's */
  terms: number;
}

export interface ElectionTimeResult {
  trials: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Trials that needed more than one term (a split vote or a lost election). */
  splitVotes: number;
  /** Trials with no leader within the horizon (counted at the horizon in the figures). */
  unresolved: number;
}

/**
 * How long after a crash a trial waits for a new leader: 10 s (the paper reports that
 * without randomness elections "consistently took longer than 10 seconds"), or 20 max
 * timeouts if that is longer.
 */
export function horizonMs(electionTimeoutMax: number): number {
  return Math.max(10_000, 20 * electionTimeoutMax);
}

/**
 * A runner of trials of one configuration; `trialSeed` fully determines a trial. The
 * scenario is validated once here, not per trial.
 */
export function electionTimeTrials(
  opts: ElectionTimeOptions,
): (trialSeed: number) => ElectionTimeTrial {
  const heartbeat = opts.heartbeat ?? opts.electionTimeout.min / 2;
  const make = simulationFactory(
    {
      v: 1,
      algorithm: 'raft',
      params: {
        electionTimeout: opts.electionTimeout,
        heartbeat,
        preVote: opts.preVote ?? false,
        checkQuorum: opts.checkQuorum ?? false,
      },
      nodes: Array.from({ length: opts.nodes }, (_, i) => ({ id: i + 1 })),
      network: { latency: opts.latency, loss: 0, fifo: false, timerJitter: opts.timerJitter },
      seed: 0,
      // node 1 starts the first election at once: with a zero-width timeout range all
      // nodes would otherwise time out together forever, and only the downtime after
      // the crash is being measured
      actions: [{ at: 0, type: 'timeout', node: 1 }],
    },
    { keepTrace: false },
  );
  // A new leader broadcasts AppendEntries at once, so one heartbeat interval (or two
  // message latencies, if longer) after it wins every follower has heard it and holds a
  // fresh election timer: from then on the cluster repeats the same cycle every heartbeat.
  const settle = ms(Math.max(heartbeat, 2 * opts.latency.max));
  const horizon = ms(600_000);
  const trial = (trialSeed: number): ElectionTimeTrial => {
    const sim = make(trialSeed);
    const w = internals(sim).world;
    if (!sim.runWhileNot(() => w.leader !== null, horizon)) throw new Error('no first leader');
    sim.runUntilTime(w.now + settle);
    // with very short timeouts leadership can flap: crash a leader that exists now
    sim.runWhileNot(() => w.leader !== null, horizon);
    const old = w.leader as number;
    const oldTerm = sim.summaryOf(old).term ?? 0;
    // crash at a uniformly random moment within a heartbeat interval
    const offset = rngFrom(seedState(trialSeed ^ 0x5eed)).int(0, ms(heartbeat) - 1);
    sim.runUntilTime(w.now + offset);
    if (w.leader !== old) return trial((trialSeed + 1) >>> 0);
    sim.apply({ type: 'kill', node: old });
    const crashAt = w.now;
    const limit = crashAt + ms(horizonMs(opts.electionTimeout.max));
    if (!sim.runWhileNot(() => w.leader !== null && w.leader !== old, limit))
      return { downtime: toMs(limit - crashAt), unresolved: true, terms: Infinity };
    return {
      downtime: toMs(w.now - crashAt),
      unresolved: false,
      terms: (w.leaderTerm ?? 0) - oldTerm,
    };
  };
  return trial;
}

/** Per-trial seeds derived from the experiment seed, so any split across workers gives the same results. */
export function trialSeeds(seed: number, trials: number): number[] {
  const rng = rngFrom(seedState(seed));
  return Array.from({ length: trials }, () => rng.u32());
}

export function summarize(trials: readonly ElectionTimeTrial[]): ElectionTimeResult {
  const d = trials.map((t) => t.downtime).sort((a, b) => a - b);
  return {
    trials: trials.length,
    p50: round3(percentile(d, 0.5)),
    p90: round3(percentile(d, 0.9)),
    p99: round3(percentile(d, 0.99)),
    max: round3(d[d.length - 1]),
    mean: round3(mean(d)),
    splitVotes: trials.filter((t) => t.terms > 1).length,
    unresolved: trials.filter((t) => t.unresolved).length,
  };
}

export function runElectionTimeExperiment(opts: ElectionTimeOptions): ElectionTimeResult {
  const trial = electionTimeTrials(opts);
  return summarize(trialSeeds(opts.seed, opts.trials).map(trial));
}
