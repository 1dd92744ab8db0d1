/**
 * Bully in the message-count experiment: its curves and the closed forms from the
 * literature (Garcia-Molina; see README.md).
 *
 * n is the cluster size before the crash; the top id crashes, so m = n − 1 nodes take
 * part. If the k-th lowest alive id detects the crash, d = n − k nodes hold elections
 * (it and every alive node above it): node j sends ELECTION to each of the n − j ids
 * above it, d(d + 1)/2 in all, of which the d sent to the dead top go unanswered, so
 * d(d − 1)/2 ANSWER; the new coordinator then tells the n − 2 nodes below it. One
 * trial therefore costs exactly d² + n − 2 messages (d(d + 1)/2 ELECTION): n² − n − 1
 * when the lowest detects (d = m), n − 1 when the highest alive does (d = 1).
 *
 * With a uniformly random detector d is uniform on 1..m, and the mean and the variance
 * follow from the sums of d, d², d³ and d⁴ (computed exactly below by summing over the m
 * equally likely values, no approximation). The spread is large (d² ranges from 1 to
 * m²), so a mean of a few trials strays far from the curve by chance: the panel shows
 * that range (about ±2σ/√T for T trials).
 */
import type { MessageCostExperiment, MessageMetric } from '../experiments/types';
import { bullyDefaults as d } from './model';

/** One trial's count when d nodes hold elections in a cluster of n. */
function countFor(d: number, n: number, metric: MessageMetric): number {
  return metric === 'all' ? d * d + n - 2 : (d * (d + 1)) / 2;
}

/** Mean and variance of the count over d uniform on 1..n − 1 (a random detector). */
export function bullyRandomMoments(
  n: number,
  metric: MessageMetric,
): { mean: number; variance: number } {
  const m = n - 1;
  let s1 = 0;
  let s2 = 0;
  for (let d = 1; d <= m; d++) {
    const c = countFor(d, n, metric);
    s1 += c;
    s2 += c * c;
  }
  const mean = s1 / m;
  return { mean, variance: s2 / m - mean * mean };
}

export const bullyMessageCost: MessageCostExperiment = {
  params: (l) => ({
    heartbeat: 10_000,
    failureTimeout: 60_000,
    answerTimeout: Math.max(5, 5 * l),
    coordinatorTimeout: Math.max(15, 15 * l),
  }),
  electionType: 'ELECTION',
  series: [
    {
      id: 'bully-lowest',
      label: 'Bully, lowest id detects (worst case)',
      initiators: 'lowest',
      theory: {
        kind: 'exact',
        text: { all: 'n² − n − 1', election: 'n(n − 1)/2' },
        value: (n, metric) => countFor(n - 1, n, metric),
      },
    },
    {
      id: 'bully-random',
      label: 'Bully, a random node detects',
      initiators: 'random',
      theory: {
        // d uniform on 1..m: E[d²] = n(2n − 1)/6, E[d(d + 1)/2] = n(n + 1)/6
        kind: 'average',
        text: { all: 'n(2n − 1)/6 + n − 2', election: 'n(n + 1)/6' },
        value: (n, metric) =>
          metric === 'all' ? (n * (2 * n - 1)) / 6 + n - 2 : (n * (n + 1)) / 6,
        variance: (n, metric) => bullyRandomMoments(n, metric).variance,
      },
    },
    {
      id: 'bully-highest',
      label: 'Bully, highest alive id detects (best case)',
      initiators: 'highest',
      theory: {
        kind: 'exact',
        text: { all: '1 + (n − 2) COORDINATOR', election: '1' },
        value: (n, metric) => countFor(1, n, metric),
      },
    },
  ],
  notes: [
    'Bully: a detector holds an election and so does every alive node above it; with a random detector one trial costs anything from n − 1 to n² − n − 1 messages, so a mean of a few trials strays far from the average curve by chance (the shaded band: where 95% of such means fall).',
  ],
};

/** What the downtime-vs-network experiment's note says about Bully. */
export const bullyDowntimeNote = `Bully keeps its defaults (heartbeat ${d.heartbeat} ms, failure timeout ${d.failureTimeout} ms, answer timeout ${d.answerTimeout} ms): it notices the crash only when the failure timeout expires, about ${d.failureTimeout} ms behind, and lost heartbeats make it suspect the leader sooner (and wrongly, before the crash too).`;
