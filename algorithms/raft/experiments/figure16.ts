/**
 * Figure 16 of the extended Raft paper (Ongaro and Ousterhout): the time a 5-server
 * cluster is without a leader after the leader crashes, as a CDF, one line per election
 * timeout range. Declared for the experiments panel (its tab, form words, the paper's
 * numbers) and run in the panel's workers through `runChunk`.
 *
 * Where the model differs: the paper's broadcast time (~15 ms) was mostly servers writing
 * their vote to disk before answering; a RequestVote itself reached the others within a
 * millisecond or two, and that race (does the request arrive before the other timers
 * fire?) is what the figure measures. The model has no disk, so it uses a one-way latency
 * of 1-4 ms, and 0.5 ms of scheduling noise on every timer: with none, candidates with
 * equal timeouts (150-150) would stay in lockstep forever instead of "over 10 s".
 */
import type { CdfLine, DowntimeCdfExperiment, PaperPoint } from '../../experiments/types';
import {
  electionTimeTrials,
  horizonMs,
  summarize,
  trialSeeds,
  type ElectionTimeOptions,
  type ElectionTimeTrial,
} from './electionTime';

/** A line of the figure: an election timeout range. */
export type Fig16Line = CdfLine;

const lines = (ranges: [number, number][]): Fig16Line[] =>
  ranges.map(([min, max]) => ({ label: `${min}-${max} ms`, range: { min, max } }));

export const FIG16_TOP: Fig16Line[] = lines([
  [150, 150],
  [150, 151],
  [150, 155],
  [150, 175],
  [150, 200],
  [150, 300],
]);

export const FIG16_BOTTOM: Fig16Line[] = lines([
  [12, 24],
  [25, 50],
  [50, 100],
  [100, 200],
  [150, 300],
]);

/** What the paper reports, to overlay on the reproduced curves. */
export const PAPER_POINTS: readonly PaperPoint[] = [
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
];

export const FIG16_NETWORK = { nodes: 5, latency: { min: 1, max: 4 }, timerJitter: 0.5 };

export function lineOptions(
  range: { min: number; max: number },
  trials: number,
  seed: number,
): ElectionTimeOptions {
  return { ...FIG16_NETWORK, electionTimeout: range, trials, seed };
}

/**
 * Each worker settles a cluster once per line and seed (see electionTime.ts) and keeps
 * it for the line's later chunks: the settled World is the same in every worker.
 */
const runners = new Map<string, (trialSeed: number) => ElectionTimeTrial>();
const RUNNERS_KEPT = 32;

function runnerFor(range: { min: number; max: number }, seed: number) {
  const key = `${range.min}-${range.max}/${seed}`;
  let r = runners.get(key);
  if (r === undefined) {
    if (runners.size >= RUNNERS_KEPT) runners.delete(runners.keys().next().value as string);
    r = electionTimeTrials(lineOptions(range, 0, seed));
    runners.set(key, r);
  }
  return r;
}

/** Trials [from, to) of a line: workers split a line into chunks and get the same numbers. */
export function runLineChunk(
  line: Pick<Fig16Line, 'range'>,
  trials: number,
  seed: number,
  from: number,
  to: number,
): ElectionTimeTrial[] {
  return trialSeeds(seed, trials).slice(from, to).map(runnerFor(line.range, seed));
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

const n = FIG16_NETWORK;

export const raftFigure16: DowntimeCdfExperiment = {
  id: 'fig16',
  title: 'Raft downtime',
  sub: 'Figure 16 of the Raft paper',
  intro:
    'How long is a five-server Raft cluster without a leader after the leader crashes? Each line is the cumulative distribution over many crashes for one election timeout range. A little randomness ends split votes quickly; shorter timeouts shorten the downtime.',
  groups: [
    {
      key: 'top',
      title: 'Randomness: election timeouts 150 ms + up to 150 ms',
      preset: 'Top: randomness',
      lines: FIG16_TOP,
    },
    {
      key: 'bottom',
      title: 'Scale: shorter timeouts, same randomness ratio',
      preset: 'Bottom: timeouts',
      lines: FIG16_BOTTOM,
    },
  ],
  words: {
    preset: 'Figure 16 preset',
    ranges: 'Election timeout ranges (ms)',
    rangesHint:
      'min-max, comma separated. The paper’s 150-300 line is in both graphs; it runs once.',
    trialsHint: 'The paper ran 1000.',
    setting: `${n.nodes} servers, one-way latency ${n.latency.min}–${n.latency.max} ms, ${n.timerJitter} ms timer noise, heartbeat half the minimum timeout.`,
    rangeColumn: 'Election timeout',
    retriesColumn: 'Split votes',
    customTitle: 'Custom election timeout ranges',
  },
  paperPoints: PAPER_POINTS,
  differences: [
    {
      lead: 'No disk.',
      text: `The paper’s broadcast time (about 15 ms) was mostly servers writing their vote to disk before answering; a RequestVote itself reached the others within a millisecond or two, and that race (does the request arrive before the other servers’ timers fire?) is what the figure measures. The simulation has no disk, so it uses a one-way latency of ${n.latency.min}–${n.latency.max} ms.`,
    },
    {
      lead: 'Timer noise.',
      text: `Every timer fires up to ${n.timerJitter} ms late, as real schedulers do. Without it, candidates with equal timeouts (150–150) would stay in lockstep forever instead of “over 10 s”.`,
    },
    {
      lead: 'A horizon.',
      text: `A trial stops waiting ${horizonMs(0) / 1000} s after the crash (or 20 maximum timeouts, if longer); the 150–150 line can reach it, and such trials are counted at the horizon.`,
    },
    {
      lead: 'A settled cluster.',
      text: 'Electing the first leader is not measured, so each line boots once per seed and every trial starts from that settled cluster with its own random seed; the leader sends one more round of heartbeats (every follower draws a fresh timeout from the trial’s seed) before the crash.',
    },
    {
      lead: 'The crash moment',
      text: 'is uniform within a heartbeat interval (heartbeat = half the minimum timeout), as in the paper’s setup. Everything else (terms, votes, randomised timeouts) is the same Raft code the playground runs.',
    },
  ],
  horizonMs,
  runChunk: (range, trials, seed, from, to) => runLineChunk({ range }, trials, seed, from, to),
};
