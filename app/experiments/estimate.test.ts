import { describe, expect, it } from 'vitest';
import {
  flushMessagesSpeed,
  messagesCost,
  COLD_WORKER_MS,
  messagesEstimateMs,
  messagesUnits,
  messagesWorkers,
  noteMessagesRun,
  noteMessagesSpeed,
  resetRunMeasurement,
  speed,
} from './estimate';
import { messageSeries } from '../../algorithms/index';

describe("the message-count form's estimate", () => {
  it('takes in chunk speeds without re-rendering the form, publishes them at the end, and then matches the run', () => {
    const id = messageSeries()[0].id;
    resetRunMeasurement(2);
    speed.setState({ perSeries: {}, overhead: 1, source: null });
    let published = 0;
    const unsub = speed.subscribe(() => published++);
    // 40 chunks of 5 trials at n = 16, 3 ms each, as a run's workers report them
    for (let i = 0; i < 40; i++) noteMessagesSpeed(id, 16, 5, 3);
    expect(published).toBe(0);
    expect(messagesEstimateMs([id], [16], 200, 2)).toBeNull();
    flushMessagesSpeed();
    expect(published).toBe(1);
    const c = messagesCost(id, 16);
    // the speed of the warm chunks (not the first one of each worker, which settles the cluster)
    expect(speed.getState().perSeries[id]).toBeCloseTo(3 / (c.perTrial * 5), 12);
    expect(speed.getState().source).toBe('runs');
    // the run took 250 ms of wall-clock time on 2 workers, whose chunks took 120 ms: the
    // estimate of the next such run is its trials at that speed, times 250 / (120 / 2)
    noteMessagesRun(2, 250);
    expect(speed.getState().overhead).toBeCloseTo(250 / 60, 9);
    expect(messagesEstimateMs([id], [16], 200, 2)).toBeCloseTo(
      ((3 / (c.perTrial * 5)) * (c.perTrial * 200 + c.setup * 2) * (250 / 60)) / 2,
      6,
    );
    unsub();
  });

  it("does not estimate the next run at the pace of a fresh page's cold first chunks", () => {
    const id = messageSeries()[0].id;
    resetRunMeasurement(2);
    speed.setState({ perSeries: {}, overhead: 1, source: null });
    // each worker's first chunk of each point is ten times slower than the rest
    for (const n of [8, 16])
      for (let i = 0; i < 30; i++) noteMessagesSpeed(id, n, 5, i < 2 ? 30 : 3);
    // the chunks took 2 * 2 * 30 + 2 * 28 * 3 = 288 ms on 2 workers; the run 160 ms
    noteMessagesRun(2, 160);
    expect(speed.getState().overhead).toBeCloseTo(320 / 288, 9);
    const cost = (n: number) => messagesCost(id, n).perTrial * 5;
    // warm: 3 ms per chunk at either size, weighted by units
    expect(speed.getState().perSeries[id]).toBeCloseTo((28 * 6) / (28 * (cost(8) + cost(16))), 12);
    // the same run again on warm workers: its 60 chunks of about 3 ms, not 288 ms of them
    const next = messagesEstimateMs([id], [8, 16], 150, 2)!;
    const warmMs = 60 * 3;
    expect(next).toBeGreaterThan(((warmMs * 320) / 288 / 2) * 0.9);
    expect(next).toBeLessThan(((warmMs * 320) / 288 / 2) * 1.2);
  });

  it('a run too small for warm chunks is measured by all of its chunks', () => {
    const id = messageSeries()[0].id;
    resetRunMeasurement(2);
    speed.setState({ perSeries: {}, overhead: 1, source: null });
    const c = messagesCost(id, 64);
    // one chunk per worker at n = 64: both cold, the first pays the setup in the units
    noteMessagesSpeed(id, 64, 10, 40);
    noteMessagesSpeed(id, 64, 10, 40);
    flushMessagesSpeed();
    expect(c.perTrial * 20 + c.setup).toBeGreaterThan(1000);
    expect(speed.getState().perSeries[id]).toBeCloseTo(80 / (c.perTrial * 20 + c.setup), 12);
  });

  it('a short run takes one cold worker, a long one as many as each get COLD_WORKER_MS of work, warm ones always', () => {
    const ids = messageSeries()
      .filter((s) => !s.optional)
      .map((s) => s.id);
    const ns = [4, 8, 16, 32, 48, 64];
    // nothing measured: the form as it opens (about a second of work) goes on one worker
    speed.setState({ perSeries: {}, overhead: 1, source: null });
    expect(messagesWorkers(ids, ns, 10, 2)).toBe(1);
    expect(messagesWorkers(ids, ns, 1000, 2)).toBe(2);
    expect(messagesWorkers(ids, ns, 1000, 1)).toBe(1);
    // measured: 0.0001 ms per unit for every series
    speed.setState({
      perSeries: Object.fromEntries(ids.map((id) => [id, 0.0001])),
      overhead: 1,
      source: 'runs',
    });
    const ms = (trials: number) => messagesUnits(ids, ns, trials, 1);
    // the smallest run that gives each of two workers COLD_WORKER_MS, and one trial less
    let t = 1;
    while (ms(t) * 0.0001 < 2 * COLD_WORKER_MS) t++;
    expect(t).toBeGreaterThan(100);
    expect(messagesWorkers(ids, ns, t - 1, 2)).toBe(1);
    expect(messagesWorkers(ids, ns, t, 2)).toBe(2);
    expect(messagesWorkers(ids, ns, 4 * t, 16)).toBe(
      Math.floor((ms(4 * t) * 0.0001) / COLD_WORKER_MS),
    );
    // tiny runs: one cold worker, but every warm one (up to what is allowed)
    expect(messagesWorkers(ids, [4], 1, 4)).toBe(1);
    expect(messagesWorkers(ids, [4], 1, 4, 2)).toBe(2);
    expect(messagesWorkers(ids, [4], 1, 1, 2)).toBe(1);
  });
});
