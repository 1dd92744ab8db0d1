/**
 * Figure 16 of the extended Raft paper (Ongaro and Ousterhout): the time a 5-server
 * cluster is without a leader after the leader crashes, as a CDF, one line per election
 * timeout range.
 *
 * Where the model differs: the paper's broadcast time (~15 ms) was mostly servers writing
 * their vote to disk before answering; a RequestVote itself reached the others within a
 * millisecond or two, and that race (does the request arrive before the other timers
 * fire?) is what the figure measures. The model has no disk, so it uses a one-way latency
 * of 1-4 ms, and 0.5 ms of scheduling noise on every timer: with none, candidates with
 * equal timeouts (150-150) would stay in lockstep forever instead of "over 10 s".
 */
import {
  electionTimeTrials,
  summarize,
  trialSeeds,
  type ElectionTimeOptions,
  type ElectionTimeTrial,
} from './electionTime';

export interface Fig16Line {
  label: string;
  electionTimeout: { min: number; max: number };
}

export const FIG16_TOP: Fig16Line[] = [
  [150, 150],
  [150, 151],
  [150, 155],
  [150, 175],
  [150, 200],
  [150, 300],
].map(([min, max]) => ({ label: `${min}-${max} ms`, electionTimeout: { min, max } }));

export const FIG16_BOTTOM: Fig16Line[] = [
  [12, 24],
  [25, 50],
  [50, 100],
  [100, 200],
  [150, 300],
].map(([min, max]) => ({ label: `${min}-${max} ms`, electionTimeout: { min, max } }));

/** What the paper reports, to overlay on the reproduced curves. */
export const PAPER_POINTS = [
  {
    line: '150-155 ms',
    stat: 'median',
    ms: 287,
    text: 'with 5 ms of randomness the median downtime was 287 ms',
  },
  {
    line: '150-200 ms',
    stat: 'max',
    ms: 513,
    text: 'with 50 ms of randomness the worst of 1000 trials was 513 ms',
  },
  { line: '12-24 ms', stat: 'mean', ms: 35, text: 'with 12-24 ms timeouts the mean was 35 ms' },
  {
    line: '12-24 ms',
    stat: 'max',
    ms: 152,
    text: 'with 12-24 ms timeouts the longest trial took 152 ms',
  },
] as const;

export const FIG16_NETWORK = { nodes: 5, latency: { min: 1, max: 4 }, timerJitter: 0.5 };

export function lineOptions(line: Fig16Line, trials: number, seed: number): ElectionTimeOptions {
  return { ...FIG16_NETWORK, electionTimeout: line.electionTimeout, trials, seed };
}

/** Trials [from, to) of a line: workers split a line into chunks and get the same numbers. */
export function runLineChunk(
  line: Fig16Line,
  trials: number,
  seed: number,
  from: number,
  to: number,
): ElectionTimeTrial[] {
  const seeds = trialSeeds(seed, trials).slice(from, to);
  return seeds.map(electionTimeTrials(lineOptions(line, trials, seed)));
}

/** Empirical CDF points (downtime ms, fraction of trials at or below). */
export function cdf(trials: readonly ElectionTimeTrial[]): { ms: number; p: number }[] {
  const d = trials.map((t) => t.downtime).sort((a, b) => a - b);
  return d.map((ms, i) => ({ ms, p: (i + 1) / d.length }));
}

export function runLine(line: Fig16Line, trials: number, seed: number) {
  const results = runLineChunk(line, trials, seed, 0, trials);
  return { line, summary: summarize(results), cdf: cdf(results) };
}
