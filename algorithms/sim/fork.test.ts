import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { algorithmNames, createSimulation, type Simulation } from '../index';
import { internals } from './simulation';
import { persistWorld } from './world';

const canonical = (sim: Simulation) => persistWorld(internals(sim).world, internals(sim).rt);

/** Every algorithm but the test-only ones, on networks from fast to slow, lossy and duplicating. */
const setting = fc.record({
  algorithm: fc.constantFrom(...algorithmNames()),
  nodes: fc.integer({ min: 3, max: 7 }),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  latency: fc
    .tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 150 }))
    .map(([min, spread]) => ({ min, max: min + spread })),
  loss: fc.integer({ min: 0, max: 300 }).map((p) => p / 1000),
  duplicate: fc.integer({ min: 0, max: 100 }).map((p) => p / 1000),
  fifo: fc.boolean(),
  before: fc.integer({ min: 0, max: 400 }),
  after: fc.integer({ min: 1, max: 400 }),
  forkSeed: fc.integer({ min: 0, max: 0xffffffff }),
});

function build(s: SettingValue) {
  return createSimulation(
    {
      v: 1,
      algorithm: s.algorithm,
      nodes: Array.from({ length: s.nodes }, (_, i) => ({ id: i + 1 })),
      network: { latency: s.latency, loss: s.loss, duplicate: s.duplicate, fifo: s.fifo },
      seed: s.seed,
    },
    { keepTrace: false },
  );
}
type SettingValue = typeof setting extends fc.Arbitrary<infer T> ? T : never;

const run = (sim: Simulation, events: number) => {
  for (let i = 0; i < events && sim.step(); i++);
};

describe('Simulation.fork: a settled state, re-seeded per trial', () => {
  it('a fork starts where the simulation stands, and the same seed gives the same run', () => {
    fc.assert(
      fc.property(setting, (s) => {
        const base = build(s);
        run(base, s.before);
        const a = base.fork(s.forkSeed);
        const b = base.fork(s.forkSeed);
        expect(a.now).toBe(base.now);
        expect(a.index).toBe(base.index);
        expect(a.leader).toBe(base.leader);
        expect(a.counters()).toEqual(base.counters());
        expect(a.traceHash()).toBe(base.traceHash());
        run(a, s.after);
        run(b, s.after);
        expect(a.traceHash()).toBe(b.traceHash());
        expect(canonical(a)).toEqual(canonical(b));
      }),
      { numRuns: 60 },
    );
  });

  it('forking leaves the simulation itself as it would have been, however its forks run', () => {
    fc.assert(
      fc.property(setting, (s) => {
        const base = build(s);
        const twin = build(s);
        run(base, s.before);
        run(twin, s.before);
        const f = base.fork(s.forkSeed);
        run(f, s.after);
        f.apply({ type: 'kill', node: 1 });
        run(f, 50);
        run(base, s.after);
        run(twin, s.after);
        expect(base.traceHash()).toBe(twin.traceHash());
        expect(base.index).toBe(twin.index);
        expect(base.now).toBe(twin.now);
        expect(base.counters()).toEqual(twin.counters());
      }),
      { numRuns: 60 },
    );
  });

  it('the seed is what differs between forks: different seeds part ways on a lossy network', () => {
    const base = build({
      algorithm: 'raft',
      nodes: 5,
      seed: 3,
      latency: { min: 5, max: 40 },
      loss: 0.1,
      duplicate: 0,
      fifo: false,
      before: 200,
      after: 300,
      forkSeed: 0,
    });
    run(base, 200);
    const hashes = new Set(
      [1, 2, 3, 4].map((seed) => {
        const f = base.fork(seed);
        run(f, 300);
        return f.traceHash();
      }),
    );
    expect(hashes.size).toBe(4);
  });
});
