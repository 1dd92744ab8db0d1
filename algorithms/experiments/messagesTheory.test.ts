import { describe, expect, it } from 'vitest';
import { messagesTrials } from './messages';
import { changRobertsBounds, harmonic, MESSAGE_SERIES, metricOf } from './messagesTheory';

const series = (id: string) => MESSAGE_SERIES.find((s) => s.id === id)!;
/** The mean count of `trials` trials under both metrics. */
const meansOf = (id: string, n: number, trials: number) => {
  const ts = messagesTrials({ ...series(id).opts, nodes: n, trials, seed: 11 });
  const mean = (metric: 'all' | 'election') =>
    ts.reduce((s, t) => s + metricOf(t, metric), 0) / ts.length;
  return { all: mean('all'), election: mean('election') };
};

// The exact Bully cases, Chang-Roberts with everyone initiating (n·H_n within 10%) and
// collect-ids with everyone initiating are pinned in messages.test.ts; these check the
// curves the panel draws for the remaining series.
describe('message counts sit on the theory curves the panel draws', () => {
  it('Bully with a random detector: within 10% of n(2n − 1)/6 + n − 2 on average', () => {
    for (const n of [8, 12]) {
      const got = meansOf('bully-random', n, 120);
      for (const metric of ['all', 'election'] as const) {
        const want = series('bully-random').theory.value(n, metric);
        expect(Math.abs(got[metric] - want) / want).toBeLessThan(0.1);
      }
    }
  });

  it('Chang-Roberts with one random initiator: within 10% of (3m − 1)/2 ELECTION, and of twice that plus m with ACKs', () => {
    const got = meansOf('cr-one', 16, 80);
    for (const metric of ['all', 'election'] as const) {
      const want = series('cr-one').theory.value(16, metric);
      expect(Math.abs(got[metric] - want) / want).toBeLessThan(0.1);
    }
  });

  it('collect-ids with one initiator: m ELECTION (plus at most the hop lost to the crashed node), 4m in all', () => {
    for (const n of [5, 12]) {
      const ts = messagesTrials({ ...series('ci-one').opts, nodes: n, trials: 6, seed: 2 });
      for (const t of ts) {
        const m = series('ci-one').theory.value(n, 'election');
        expect(t.byType.ELECTION - m).toBeGreaterThanOrEqual(0);
        expect(t.byType.ELECTION - m).toBeLessThanOrEqual(1);
        expect(Math.abs(t.total - series('ci-one').theory.value(n, 'all'))).toBeLessThanOrEqual(2);
      }
    }
  });

  it('the exact series are exact under both counts', () => {
    for (const id of ['bully-lowest', 'bully-highest', 'ci-all']) {
      const got = meansOf(id, 9, 3);
      for (const metric of ['all', 'election'] as const)
        expect(got[metric]).toBe(series(id).theory.value(9, metric));
    }
  });

  it('Chang-Roberts bounds: 2m − 1 and m(m + 1)/2 bracket every all-initiate trial', () => {
    const n = 14;
    const b = changRobertsBounds(n, 'election');
    expect(b).toEqual({ best: 25, worst: 91 });
    // the one hop lost to the crashed node is on top of the textbook count
    for (const t of messagesTrials({ ...series('cr-all').opts, nodes: n, trials: 40, seed: 4 })) {
      expect(t.byType.ELECTION).toBeGreaterThanOrEqual(b.best);
      expect(t.byType.ELECTION).toBeLessThanOrEqual(b.worst + 1);
    }
    expect(harmonic(4)).toBeCloseTo(25 / 12, 12);
  });
});
