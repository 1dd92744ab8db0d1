import { describe, expect, it } from 'vitest';
import {
  flushMessagesSpeed,
  messagesCost,
  messagesEstimateMs,
  noteMessagesRun,
  noteMessagesSpeed,
  resetRunMeasurement,
  speed,
} from './estimate';
import { messageSeries } from '../../algorithms/index';

describe("the message-count form's estimate", () => {
  it('takes in chunk speeds without re-rendering the form, publishes them at the end, and then matches the run', () => {
    const id = messageSeries()[0].id;
    resetRunMeasurement();
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
    // the first chunk of the point paid the settled cluster's setup
    expect(speed.getState().perSeries[id]).toBeCloseTo(120 / (c.perTrial * 200 + c.setup), 12);
    expect(speed.getState().source).toBe('runs');
    // the run took 250 ms of wall-clock time on 2 workers: the estimate of that run says so
    noteMessagesRun([id], [16], 200, 2, 250);
    expect(messagesEstimateMs([id], [16], 200, 2)).toBeCloseTo(250, 6);
    unsub();
  });
});
