/**
 * The compare pair in Node: two sessions behind one clock stay at the same simulated
 * time after every move, a fault applied once lands in both scenarios, and the compare
 * link carries both runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSimulation,
  decodeComparePart,
  encodeComparePart,
  encodeFragment,
  faults,
  parseScenario,
  rightScenario,
  type ScenarioInput,
} from '../../algorithms/index';
import { SimulationSession, type SessionHost } from '../session/session';
import { ComparePair } from './pair';

const left: ScenarioInput = {
  v: 1,
  algorithm: 'bully',
  params: {},
  nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
  network: { latency: { min: 10, max: 15 }, loss: 0, fifo: false },
  seed: 1,
  actions: [],
};
const second = { algorithm: 'raft', params: {} };

function fakeHost() {
  const frames = new Map<number, (ts: number) => void>();
  let handle = 0;
  const host: SessionHost = {
    now: () => 0,
    requestFrame: (cb) => {
      frames.set(++handle, cb);
      return handle;
    },
    cancelFrame: (h) => void frames.delete(h),
  };
  return {
    host,
    frame(ts: number) {
      const cbs = [...frames.values()];
      frames.clear();
      for (const cb of cbs) cb(ts);
    },
  };
}

const made: ComparePair[] = [];
function make() {
  const h = fakeHost();
  const l = new SimulationSession(left, { host: h.host });
  const r = new SimulationSession(rightScenario(left, second), { host: h.host });
  const pair = new ComparePair(l, r, { host: h.host, speed: 1 });
  made.push(pair);
  return { pair, l, r, h };
}
afterEach(() => {
  for (const p of made.splice(0)) {
    p.dispose();
    p.left.dispose();
    p.right.dispose();
  }
});

/** Both sides stand at the pair's clock: nothing due at or before it is left, their clocks read it. */
function expectInStep(pair: ComparePair) {
  const t = pair.time();
  for (const s of [pair.left, pair.right]) {
    expect(s.snapshot().now).toBe(t);
    expect(s.snapshot().position.lastEventTime).toBeLessThanOrEqual(t);
    const next = s.nextEventTime();
    if (next !== undefined) expect(next).toBeGreaterThan(t);
  }
}

/** The event index a fresh run of `input` reaches at time `t` (µs). */
const indexAt = (input: ScenarioInput, t: number) => {
  const sim = createSimulation(input);
  sim.runUntilTime(t);
  return sim.index;
};

describe('ComparePair', () => {
  it('plays both sides on one simulated clock', () => {
    const { pair, h } = make();
    pair.play();
    let ts = 0;
    for (let i = 0; i < 30; i++) h.frame((ts += 16));
    expect(pair.snapshot().playing).toBe(true);
    expect(pair.time()).toBeGreaterThan(400_000);
    expectInStep(pair);
    // the two runs processed different numbers of events by the same time
    expect(pair.left.snapshot().position.index).not.toBe(pair.right.snapshot().position.index);
    pair.pause();
    const t = pair.time();
    h.frame(ts + 16);
    expect(pair.time()).toBe(t);
  });

  it('seeks both sides to the same time, forward and back, as fresh runs would stand', () => {
    const { pair } = make();
    const rs = rightScenario(left, second);
    for (const t of [800_000, 250_000, 1_500_000, 0, 333_333]) {
      pair.seekTime(t);
      expect(pair.time()).toBe(t);
      expectInStep(pair);
      expect(pair.left.snapshot().position.index).toBe(indexAt(left, t));
      expect(pair.right.snapshot().position.index).toBe(indexAt(rs, t));
    }
  });

  it('counts the explored events at or before a time exactly (events at that very µs included)', () => {
    const { pair } = make();
    pair.seekTime(1_500_000);
    const s = pair.left;
    const sim = s.simulationForTestHook();
    for (let k = 0; k < sim.index; k += 7) {
      const t = sim.traceTime(k);
      let last = k;
      while (last + 1 < sim.index && sim.traceTime(last + 1) === t) last++;
      expect(s.eventsUntil(t)).toBe(last + 1);
      let first = k;
      while (first > 0 && sim.traceTime(first - 1) === t) first--;
      expect(s.eventsUntil(t - 1)).toBe(first);
    }
  });

  it('steps to the next event of either side, and back', () => {
    const { pair } = make();
    pair.seekTime(300_000);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const nl = pair.left.nextEventTime()!;
      const nr = pair.right.nextEventTime()!;
      expect(pair.step()).toBe(true);
      expect(pair.time()).toBe(Math.min(nl, nr));
      expectInStep(pair);
      times.push(pair.time());
    }
    // back, event time by event time, through the same moments
    for (let i = times.length - 2; i >= 0; i--) {
      expect(pair.stepBack()).toBe(true);
      expect(pair.time()).toBe(times[i]);
      expectInStep(pair);
    }
  });

  it('End goes to the end of what either side explored', () => {
    const { pair } = make();
    pair.seekTime(2_000_000);
    pair.seekTime(100_000);
    pair.toEnd();
    const end = Math.max(
      pair.left.snapshot().position.lastEventTime,
      pair.right.snapshot().position.lastEventTime,
    );
    expect(pair.time()).toBe(end);
    expect(end).toBeGreaterThan(1_900_000);
    expectInStep(pair);
  });

  it('applies a fault once and records it in both scenarios at the same time', () => {
    const { pair } = make();
    pair.seekTime(700_000);
    pair.apply(faults.partition([1, 2, 3], [4, 5]));
    pair.runFor(300);
    pair.apply(faults.kill(2));
    const la = pair.left.actions();
    const ra = pair.right.actions();
    expect(la).toHaveLength(2);
    expect(ra).toEqual(la);
    expect(la.map((a) => a.at)).toEqual([700, 1000]);
    expect(pair.left.snapshot().view.groups).toEqual(pair.right.snapshot().view.groups);
    expect(pair.left.snapshot().view.byId.get(2)!.alive).toBe(false);
    expect(pair.right.snapshot().view.byId.get(2)!.alive).toBe(false);
  });

  it('a fault applied after stepping back discards both futures alike', () => {
    const { pair } = make();
    pair.seekTime(1_500_000);
    pair.seekTime(500_000);
    pair.apply(faults.kill(5));
    expect(pair.left.snapshot().position.hasFuture).toBe(false);
    expect(pair.right.snapshot().position.hasFuture).toBe(false);
    expect(pair.snapshot().end).toBe(500_000);
    expect(pair.left.actions()).toEqual(pair.right.actions());
  });

  it('the compare link replays both runs to the same moment', () => {
    const { pair } = make();
    pair.seekTime(600_000);
    pair.apply(faults.partition([1, 2], [3, 4, 5]));
    pair.seekTime(1_234_567);
    const scenario = parseScenario({ ...left, actions: pair.left.actions() }).scenario;
    const frag = `${encodeFragment(scenario)}&${encodeComparePart(second, pair.time())}`;

    const d = decodeComparePart(frag, scenario);
    expect(d?.ok).toBe(true);
    if (!d?.ok) return;
    expect(d.timeUs).toBe(1_234_567);
    const h = fakeHost();
    const again = new ComparePair(
      new SimulationSession(scenario, { host: h.host }),
      new SimulationSession(d.right, { host: h.host }),
      { host: h.host, t: d.timeUs },
    );
    made.push(again);
    expectInStep(again);
    expect(again.left.traceHash()).toBe(pair.left.traceHash());
    expect(again.right.traceHash()).toBe(pair.right.traceHash());
    expect(again.left.snapshot().position.index).toBe(pair.left.snapshot().position.index);
    expect(again.right.snapshot().position.index).toBe(pair.right.snapshot().position.index);
  });
});
