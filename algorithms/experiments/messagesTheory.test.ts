import { describe, expect, it } from 'vitest';
import { messagesTrials } from './messages';
import { messageBands, messageSeries, metricOf, seriesById } from './messagesTheory';
import { harmonic } from '../ring/messageCost';
import { bullyRandomMoments } from '../bully/messageCost';

const series = (id: string) => seriesById(id)!;
/** The counts of `trials` trials under both metrics. */
const countsOf = (id: string, n: number, trials: number, seed = 11) => {
  const s = series(id);
  const ts = messagesTrials({ ...s.opts, nodes: n, trials, seed });
  const of = (metric: 'all' | 'election') => ts.map((t) => metricOf(t, metric, s.electionType));
  return { ts, all: of('all'), election: of('election') };
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// The exact Bully cases, Chang-Roberts with everyone initiating (n·H_n within 10%) and
// collect-ids with everyone initiating are pinned in messages.test.ts; these check the
// curves the panel draws for the remaining series.
describe('message counts sit on the theory curves the panel draws', () => {
  it('the series come from the definitions, with unique ids (share links carry them)', () => {
    const ids = messageSeries().map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    // every id an old link may carry still exists
    for (const id of [
      'bully-lowest',
      'bully-highest',
      'bully-random',
      'cr-all',
      'cr-one',
      'ci-all',
      'ci-one',
    ])
      expect(ids).toContain(id);
    expect(messageBands().map((b) => b.series)).toEqual(['cr-all']);
  });

  it('Bully with a random detector: each trial costs exactly d² + n − 2 (d = n − detector), and the mean of 3000 trials is within 3 standard errors of n(2n − 1)/6 + n − 2', () => {
    for (const n of [8, 16, 24]) {
      const { ts, all, election } = countsOf('bully-random', n, 3000, 5);
      ts.forEach((t, i) => {
        const d = n - t.initiators[0];
        expect(all[i]).toBe(d * d + n - 2);
        expect(election[i]).toBe((d * (d + 1)) / 2);
      });
      for (const [metric, xs] of [
        ['all', all],
        ['election', election],
      ] as const) {
        const want = series('bully-random').theory.value(n, metric);
        const variance = series('bully-random').theory.variance!(n, metric);
        // the closed form is the exact mean over the n − 1 equally likely detectors
        expect(bullyRandomMoments(n, metric).mean).toBeCloseTo(want, 9);
        const got = mean(xs);
        // |mean − theory| < 3σ/√T, without a square root: (mean − theory)² · T < 9σ²
        expect((got - want) ** 2 * xs.length).toBeLessThan(9 * variance);
      }
    }
  });

  it('Bully with a random detector: the spread is what makes 10-trial means stray (the panel shows it)', () => {
    // n = 32: one trial's count has a standard deviation of over 80% of its mean, so 95%
    // of 10-trial means fall anywhere within about ±50% of the curve
    const v = series('bully-random').theory.variance!(32, 'all');
    const m = series('bully-random').theory.value(32, 'all');
    expect(v / (m * m)).toBeGreaterThan(0.64 * 0.64);
    expect((4 * v) / 10 / (m * m)).toBeGreaterThan(0.4 * 0.4);
    expect((4 * v) / 10 / (m * m)).toBeLessThan(0.6 * 0.6);
    expect(series('bully-lowest').theory.variance).toBeUndefined();
  });

  it('Chang-Roberts with one random initiator: within 10% of (3m − 1)/2 ELECTION, and of twice that plus m with ACKs', () => {
    const got = countsOf('cr-one', 16, 80);
    for (const metric of ['all', 'election'] as const) {
      const want = series('cr-one').theory.value(16, metric);
      expect(Math.abs(mean(got[metric]) - want) / want).toBeLessThan(0.1);
    }
  });

  it('collect-ids with one initiator: m ELECTION (plus at most the hop lost to the crashed node), 4m in all', () => {
    for (const n of [5, 12]) {
      const { ts } = countsOf('ci-one', n, 6, 2);
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
      const got = countsOf(id, 9, 3);
      for (const metric of ['all', 'election'] as const)
        expect(mean(got[metric])).toBe(series(id).theory.value(9, metric));
    }
  });

  it('Chang-Roberts bounds: 2m − 1 and m(m + 1)/2 bracket every all-initiate trial', () => {
    const n = 14;
    const band = messageBands().find((b) => b.series === 'cr-all')!;
    const b = band.bounds(n, 'election');
    expect(b).toEqual({ lo: 25, hi: 91 });
    // the one hop lost to the crashed node is on top of the textbook count
    for (const t of countsOf('cr-all', n, 40, 4).ts) {
      expect(t.byType.ELECTION).toBeGreaterThanOrEqual(b.lo);
      expect(t.byType.ELECTION).toBeLessThanOrEqual(b.hi + 1);
    }
    expect(harmonic(4)).toBeCloseTo(25 / 12, 12);
  });
});
