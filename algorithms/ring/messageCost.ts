/**
 * Ring elections in the message-count experiment: Chang-Roberts and collect-ids, their
 * curves and the closed forms from the literature (see README.md).
 *
 * n is the cluster size before the crash; the top id crashes, so m = n − 1 nodes take
 * part, laid out in a random ring order in every trial. Two counts: `election` (ELECTION
 * hops only, the textbooks' count for Chang-Roberts) and `all` (every message but
 * heartbeats). Every hop that arrives is acknowledged, so `all` doubles the hops, plus
 * the m ELECTED / COORDINATOR hops, doubled too. The one hop lost to the crashed node
 * before its predecessor skips it is not in the formulas: measured counts may sit up to
 * 2 above them.
 */
import type { MessageCostExperiment, MessageMetric } from '../experiments/types';
import type { RingContext } from './machine';
import { ringDefaults as d } from './model';

/** H_m, the m-th harmonic number (a sum, not a logarithm, so it is exact everywhere). */
export function harmonic(m: number): number {
  let h = 0;
  for (let k = 1; k <= m; k++) h += 1 / k;
  return h;
}

/** Ring totals: every hop acknowledged, plus m ELECTED / COORDINATOR hops. */
const ringAll = (election: number, m: number) => 2 * (election + m);

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

export const ringMessageCost: MessageCostExperiment = {
  params: (l, variant) => ({
    heartbeat: 10_000,
    failureTimeout: 60_000,
    answerTimeout: Math.max(5, 5 * l),
    coordinatorTimeout: Math.max(15, 15 * l),
    variant: variant ?? 'chang-roberts',
  }),
  // all a node knows of the ring is its order and its own place in it
  reseat: (context, order) => {
    const c = context as RingContext;
    return { ...c, order: order.slice(), pos: order.indexOf(c.id) };
  },
  variants: [
    { id: 'chang-roberts', label: 'Chang-Roberts' },
    { id: 'collect-ids', label: 'Collect-ids' },
  ],
  electionType: 'ELECTION',
  series: [
    {
      id: 'cr-all',
      label: 'Chang-Roberts, all initiate',
      variant: 'chang-roberts',
      initiators: 'all',
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
      variant: 'chang-roberts',
      initiators: 'random',
      theory: {
        // d + m ELECTION, d the hops from the initiator to the top id, uniform on 0..m−1
        kind: 'average',
        text: { all: '2((3m − 1)/2 + m)', election: '(3m − 1)/2' },
        value: (n, metric) => {
          const m = n - 1;
          const e = (3 * m - 1) / 2;
          return metric === 'all' ? ringAll(e, m) : e;
        },
        // Var(d) for d uniform on 0..m − 1; `all` doubles every hop
        variance: (n, metric) => {
          const m = n - 1;
          const v = (m * m - 1) / 12;
          return metric === 'all' ? 4 * v : v;
        },
      },
    },
    {
      id: 'ci-all',
      label: 'Collect-ids, all initiate',
      variant: 'collect-ids',
      initiators: 'all',
      optional: true,
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
      variant: 'collect-ids',
      initiators: 'random',
      optional: true,
      theory: {
        kind: 'exact',
        text: { all: '4m', election: 'm' },
        value: (n, metric) => {
          const m = n - 1;
          return metric === 'all' ? 4 * m : m;
        },
      },
    },
  ],
  bands: [
    {
      id: 'cr-bounds',
      series: 'cr-all',
      label: (metric) =>
        metric === 'election'
          ? 'Chang-Roberts range: best 2m−1 to worst m(m+1)/2'
          : 'Chang-Roberts range: best to worst case, with ACKs',
      bounds: (n, metric) => {
        const b = changRobertsBounds(n, metric);
        return { lo: b.best, hi: b.worst };
      },
    },
  ],
  notes: [
    'Ring: ids 1..n sit in a random ring order in every trial. Every hop is acknowledged, so the all-messages theory doubles the hops; counts may sit one or two above the curve, because the hop lost to the crashed node before its predecessor skips it is not in the formulas.',
  ],
};

/** What the downtime-vs-network experiment's note says about Ring. */
export const ringDowntimeNote = `Ring keeps its defaults (heartbeat ${d.heartbeat} ms, failure timeout ${d.failureTimeout} ms, answer timeout ${d.answerTimeout} ms, variant ${d.variant}): it notices the crash when the failure timeout expires, stalls when a hop is lost, and once the round trip nears its ${d.answerTimeout} ms answer timeout it skips live successors and starts over.`;
