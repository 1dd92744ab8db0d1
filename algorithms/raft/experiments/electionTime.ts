/**
 * "How long is the cluster without a leader?" (Raft paper, Figure 16). Each trial crashes
 * the leader of a settled cluster at a uniformly random moment within its heartbeat
 * interval and measures the time until another node becomes leader. Pure and
 * deterministic for a seed: the CLI, tests and Web Workers run the same code.
 *
 * The settled cluster. Booting and electing the first leader is the same work in every
 * trial and is not measured, so it runs once per configuration and seed: node 1 times out
 * at 0 (with a zero-width timeout range all nodes would otherwise time out together
 * forever), wins, and the cluster runs until every follower has heard the leader
 * (`settledCluster`). Each trial is a fork of that World whose PRNG is re-seeded with the
 * trial's own seed (Simulation.fork). The trial then lets the leader send one more
 * heartbeat round (one heartbeat interval plus the maximum latency) before it picks the
 * crash moment: every follower's election timer at the crash was drawn from the trial's
 * seed, every heartbeat it heard had a latency drawn from it, and the crash is uniform
 * over the heartbeat cycle, so a trial sees exactly what a freshly booted cluster would
 * (the same Raft code, the same timing distributions); only the leader's id and term
 * are those of the snapshot, and five identical servers make those irrelevant.
 */
import { Simulation } from '../../sim/simulation';
import { rngFrom, seedState } from '../../sim/rng';
import { ms, toMs } from '../../sim/time';
import type { CdfTrial } from '../../experiments/types';
import { downtimeStats, type DowntimeStats } from '../../experiments/stats';
import { raftModel, raftParamsSchema } from '../model';

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

/**
 * One trial: `downtime` ms from the crash to the new leader (the horizon when
 * `unresolved`: with a zero-width timeout range and no clock noise, candidates that split
 * a vote time out in lockstep forever); `terms`: the new leader's term minus the crashed
 * leader's.
 */
export type ElectionTimeTrial = CdfTrial;

export interface ElectionTimeResult extends DowntimeStats {
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

/** Simulated time the first leader may take to appear (far more than any healthy boot). */
const BOOT_LIMIT_MS = 600_000;

/**
 * The settled cluster every trial of `opts` starts from: booted with a seed derived from
 * `opts.seed`, node 1 elected, and run until every follower has heard it (one heartbeat
 * interval or two latencies after the win, whichever is longer). Throws if no leader
 * appears within 600 s of simulated time.
 */
export function settledCluster(opts: ElectionTimeOptions): Simulation {
  const heartbeat = opts.heartbeat ?? opts.electionTimeout.min / 2;
  const params = raftParamsSchema.parse({
    electionTimeout: opts.electionTimeout,
    heartbeat,
    preVote: opts.preVote ?? false,
    checkQuorum: opts.checkQuorum ?? false,
  });
  const sim = new Simulation(
    {
      v: 1,
      algorithm: raftModel.name,
      params,
      nodes: Array.from({ length: opts.nodes }, (_, i) => ({ id: i + 1 })),
      network: {
        latency: opts.latency,
        loss: 0,
        fifo: false,
        timerJitter: opts.timerJitter,
      },
      seed: (opts.seed ^ 0x0b007) >>> 0,
      actions: [{ at: 0, type: 'timeout', node: 1 }],
    },
    raftModel,
    params,
    { keepTrace: false },
  );
  const limit = ms(BOOT_LIMIT_MS);
  if (!sim.runWhileNot(() => sim.leader !== null, limit)) throw new Error('no first leader');
  sim.runUntilTime(sim.now + ms(Math.max(heartbeat, 2 * opts.latency.max)));
  // with very short timeouts leadership can flap: stop where someone leads
  if (!sim.runWhileNot(() => sim.leader !== null, sim.now + limit))
    throw new Error('no settled leader');
  return sim;
}

/**
 * A runner of trials of one configuration; `trialSeed` and the settled cluster (built
 * once here) fully determine a trial.
 */
export function electionTimeTrials(
  opts: ElectionTimeOptions,
): (trialSeed: number) => ElectionTimeTrial {
  const heartbeat = opts.heartbeat ?? opts.electionTimeout.min / 2;
  const base = settledCluster(opts);
  // a heartbeat sent after the fork reaches every follower within this (timer noise included)
  const refresh = ms(heartbeat + opts.latency.max + (opts.timerJitter ?? 0));
  const trial = (trialSeed: number): ElectionTimeTrial => {
    const sim = base.fork(trialSeed);
    sim.runUntilTime(sim.now + refresh);
    if (!sim.runWhileNot(() => sim.leader !== null, sim.now + ms(BOOT_LIMIT_MS)))
      throw new Error('no leader after the fork');
    const old = sim.leader as number;
    const oldTerm = sim.summaryOf(old).term ?? 0;
    // crash at a uniformly random moment within a heartbeat interval
    const offset = rngFrom(seedState(trialSeed ^ 0x5eed)).int(0, ms(heartbeat) - 1);
    sim.runUntilTime(sim.now + offset);
    // leadership changed under a flapping configuration: another seed, as a fresh trial
    if (sim.leader !== old) return trial((trialSeed + 1) >>> 0);
    sim.apply({ type: 'kill', node: old });
    const crashAt = sim.now;
    const limit = crashAt + ms(horizonMs(opts.electionTimeout.max));
    if (!sim.runWhileNot(() => sim.leader !== null && sim.leader !== old, limit))
      return { downtime: toMs(limit - crashAt), unresolved: true, terms: Infinity };
    return {
      downtime: toMs(sim.now - crashAt),
      unresolved: false,
      terms: (sim.leaderTerm ?? 0) - oldTerm,
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
  return {
    ...downtimeStats(trials),
    splitVotes: trials.filter((t) => t.terms > 1).length,
    unresolved: trials.filter((t) => t.unresolved).length,
  };
}

export function runElectionTimeExperiment(opts: ElectionTimeOptions): ElectionTimeResult {
  const trial = electionTimeTrials(opts);
  return summarize(trialSeeds(opts.seed, opts.trials).map(trial));
}
