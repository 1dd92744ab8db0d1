/**
 * The message-count series the experiments panel can draw, and the closed forms from
 * the literature to overlay on them (see bully/README.md and ring/README.md).
 *
 * n is the cluster size before the crash (the experiment's `nodes`); the top id crashes,
 * so m = n − 1 nodes take part. Two counts:
 * - `election`: ELECTION messages only (the textbooks' count for Chang-Roberts);
 * - `all`: every message of the election, heartbeats excluded. For Ring every hop that
 *   arrives is acknowledged, so theory doubles; the one hop lost to the crashed node
 *   before its predecessor skips it is not in the formulas (measured counts may sit up to
 *   2 above them).
 */
import type { Initiators, MessagesOptions } from './messages';

export type MessageMetric = 'all' | 'election';

export interface MessageSeries {
  id: string;
  label: string;
  opts: Pick<MessagesOptions, 'algorithm' | 'variant' | 'initiators'>;
  theory: {
    /** exact: every trial gives the formula; average: the mean over random rings / initiators. */
    kind: 'exact' | 'average';
    /** The formula as text, per metric. */
    text: Record<MessageMetric, string>;
    value(n: number, metric: MessageMetric): number;
  };
}

/** H_m, the m-th harmonic number (a sum, not a logarithm, so it is exact everywhere). */
export function harmonic(m: number): number {
  let h = 0;
  for (let k = 1; k <= m; k++) h += 1 / k;
  return h;
}

/** Ring totals: every hop acknowledged, plus m ELECTED / COORDINATOR hops. */
const ringAll = (election: number, m: number) => 2 * (election + m);

const bully = (initiators: Initiators) =>
  ({ algorithm: 'bully', initiators }) as MessageSeries['opts'];
const ring = (variant: 'chang-roberts' | 'collect-ids', initiators: Initiators) =>
  ({ algorithm: 'ring', variant, initiators }) as MessageSeries['opts'];

export const MESSAGE_SERIES: MessageSeries[] = [
  {
    id: 'bully-lowest',
    label: 'Bully, lowest id detects (worst case)',
    opts: bully('lowest'),
    theory: {
      kind: 'exact',
      text: { all: 'n² − n − 1', election: 'n(n − 1)/2' },
      value: (n, metric) => (metric === 'all' ? n * n - n - 1 : (n * (n - 1)) / 2),
    },
  },
  {
    id: 'bully-highest',
    label: 'Bully, highest alive id detects (best case)',
    opts: bully('highest'),
    theory: {
      kind: 'exact',
      text: { all: '1 + (n − 2) COORDINATOR', election: '1' },
      value: (n, metric) => (metric === 'all' ? n - 1 : 1),
    },
  },
  {
    id: 'bully-random',
    label: 'Bully, a random node detects',
    opts: bully('random'),
    theory: {
      // the k-th lowest of the m alive ids detects: d = n − k nodes hold elections,
      // d(d+1)/2 ELECTION, d(d−1)/2 ANSWER, n − 2 COORDINATOR; d uniform on 1..m
      kind: 'average',
      text: { all: 'n(2n − 1)/6 + n − 2', election: 'n(n + 1)/6' },
      value: (n, metric) => (metric === 'all' ? (n * (2 * n - 1)) / 6 + n - 2 : (n * (n + 1)) / 6),
    },
  },
  {
    id: 'cr-all',
    label: 'Chang-Roberts, all initiate',
    opts: ring('chang-roberts', 'all'),
    theory: {
      kind: 'average',
      text: { all: '2(m·Hₘ + m)', election: 'm·Hₘ' },
      value: (n, metric) => {
        const m = n - 1;
        const e = m * harmonic(m);
        return metric === 'all' ? ringAll(e, m) : e;
      },
    },
  },
  {
    id: 'cr-one',
    label: 'Chang-Roberts, one random initiator',
    opts: ring('chang-roberts', 'random'),
    theory: {
      // d + m ELECTION, d the hops from the initiator to the top id, uniform on 0..m−1
      kind: 'average',
      text: { all: '2((3m − 1)/2 + m)', election: '(3m − 1)/2' },
      value: (n, metric) => {
        const m = n - 1;
        const e = (3 * m - 1) / 2;
        return metric === 'all' ? ringAll(e, m) : e;
      },
    },
  },
  {
    id: 'ci-all',
    label: 'Collect-ids, all initiate',
    opts: ring('collect-ids', 'all'),
    theory: {
      kind: 'exact',
      text: { all: '4m²', election: 'm²' },
      value: (n, metric) => {
        const m = n - 1;
        return metric === 'all' ? 4 * m * m : m * m;
      },
    },
  },
  {
    id: 'ci-one',
    label: 'Collect-ids, one random initiator',
    opts: ring('collect-ids', 'random'),
    theory: {
      kind: 'exact',
      text: { all: '4m', election: 'm' },
      value: (n, metric) => {
        const m = n - 1;
        return metric === 'all' ? 4 * m : m;
      },
    },
  },
];

/** Chang-Roberts' bounds with every node initiating: best 2m − 1, worst m(m + 1)/2 ELECTION. */
export function changRobertsBounds(
  n: number,
  metric: MessageMetric,
): { best: number; worst: number } {
  const m = n - 1;
  const best = 2 * m - 1;
  const worst = (m * (m + 1)) / 2;
  return metric === 'all' ? { best: ringAll(best, m), worst: ringAll(worst, m) } : { best, worst };
}

/** The count of one trial under a metric. */
export function metricOf(
  t: { total: number; byType: Record<string, number> },
  metric: MessageMetric,
): number {
  return metric === 'all' ? t.total : (t.byType.ELECTION ?? 0);
}
