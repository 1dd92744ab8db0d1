import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation, SeekError, type Simulation } from '../index';
import type { Action, ScenarioInput } from '../scenario/schema';
import { raftScenario } from '../testing/scenarios';
import { internals } from './simulation';
import { TRACE_CHUNK } from './tracestore';
import { persistWorld } from './world';

const canonical = (sim: Simulation) => persistWorld(internals(sim).world, internals(sim).rt);

/** Raft on a random network: latency 1-300 ms one way, loss, duplicates, a few faults. */
const networked = fc
  .record({
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    nodes: fc.integer({ min: 3, max: 5 }),
    lat: fc.tuple(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 100 })),
    loss: fc.integer({ min: 0, max: 200 }).map((p) => p / 1000),
    duplicate: fc.integer({ min: 0, max: 100 }).map((p) => p / 1000),
    faults: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 4000 }),
        type: fc.constantFrom('kill', 'restart', 'pause', 'resume'),
        node: fc.integer({ min: 1, max: 3 }),
      }) as fc.Arbitrary<Action>,
      { maxLength: 6 },
    ),
  })
  .map((s): ScenarioInput => {
    const min = Math.min(300, s.lat[0]);
    const max = Math.min(300, min + s.lat[1]);
    // election timeouts well above the round trip, so that elections settle
    const base = raftScenario({
      nodes: s.nodes,
      seed: s.seed,
      electionTimeout: [4 * max + 50, 8 * max + 100],
      heartbeat: max + 20,
      actions: s.faults,
    });
    return {
      ...base,
      network: { latency: { min, max }, loss: s.loss, duplicate: s.duplicate, fifo: false },
    };
  });

/** Steps until `n` events were processed (or nothing is left). */
function stepTo(sim: Simulation, n: number): void {
  while (sim.index < n && sim.step());
}

describe('history window', () => {
  it('drops the oldest checkpoints and records, keeps the window, refuses a seek before it', () => {
    fc.assert(
      fc.property(
        networked,
        fc.integer({ min: 64, max: 1500 }),
        fc.constantFrom(16, 64, 256),
        fc.integer({ min: 1, max: 3 }),
        (scenario, window, interval, laps) => {
          const sim = createSimulation(scenario, {
            history: { interval },
            historyWindow: Math.max(window, interval),
          });
          const w = sim.history!.window;
          const total = w + TRACE_CHUNK * laps + 700;
          stepTo(sim, total);
          if (sim.index < total) return; // the run ended (everyone dead): nothing to bound
          const h = sim.history!;
          const start = h.start;
          // bounded: at least the window is kept, at most one trace chunk more
          expect(start).toBeGreaterThan(0);
          expect(start % interval).toBe(0);
          expect(h.maxIndex - start).toBeGreaterThanOrEqual(w);
          expect(h.maxIndex - start).toBeLessThanOrEqual(w + TRACE_CHUNK + interval);
          expect(h.size).toBeLessThanOrEqual(Math.ceil((w + TRACE_CHUNK) / interval) + 2);
          // records before the start are gone, those after it are there
          expect(sim.traceStart).toBe(start);
          expect(sim.record(start - 1)).toBeUndefined();
          expect(sim.record(start)?.i).toBe(start);
          expect(sim.trace().length).toBe(sim.traceLength - start);
          // a seek before the window is refused with a clear error, and changes nothing
          const hash = sim.traceHash();
          expect(() => sim.seek(start - 1)).toThrow(SeekError);
          expect(() => sim.seek(0)).toThrow(/history is kept from event \d+/);
          expect(sim.index).toBe(total);
          expect(sim.traceHash()).toBe(hash);
          // the window's first event is reachable, exactly
          const recAtStart = sim.record(start);
          sim.seek(start);
          expect(sim.index).toBe(start);
          const fresh = createSimulation(scenario);
          stepTo(fresh, start);
          expect(canonical(sim)).toEqual(canonical(fresh));
          expect(sim.traceHash()).toBe(fresh.traceHash());
          // and replaying from there gives back the same records
          sim.seek(total);
          expect(sim.record(start)).toEqual(recAtStart);
          expect(sim.traceHash()).toBe(hash);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('an action in the past at the window start keeps a usable oldest checkpoint', () => {
    const sim = createSimulation(raftScenario({ seed: 3 }), {
      history: { interval: 64 },
      historyWindow: 200,
    });
    stepTo(sim, 200 + TRACE_CHUNK + 500);
    const start = sim.history!.start;
    sim.seek(start);
    sim.apply({ type: 'kill', node: 1 });
    stepTo(sim, start + 300);
    const hash = sim.traceHash();
    const end = sim.index;
    sim.seek(start);
    expect(sim.index).toBe(start);
    sim.seek(end);
    expect(sim.traceHash()).toBe(hash);
  });

  it('without history the trace alone is bounded', () => {
    const sim = createSimulation(raftScenario({ seed: 2 }), { historyWindow: 1000 });
    stepTo(sim, 1000 + 2 * TRACE_CHUNK + 10);
    expect(sim.traceStart).toBeGreaterThan(0);
    expect(sim.traceLength - sim.traceStart).toBeGreaterThanOrEqual(1000);
    expect(sim.traceLength - sim.traceStart).toBeLessThanOrEqual(1000 + TRACE_CHUNK);
    expect(sim.record(sim.traceStart - 1)).toBeUndefined();
  });

  it('a window shorter than the checkpoint interval is refused', () => {
    expect(() =>
      createSimulation(raftScenario(), { history: { interval: 256 }, historyWindow: 100 }),
    ).toThrow(/window/);
  });
});

describe('resumable seek', () => {
  it('in slices, it lands on exactly the state of a direct seek, backward and forward', () => {
    fc.assert(
      fc.property(
        networked,
        fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 300 }),
        (scenario, targets, slice) => {
          const sliced = createSimulation(scenario, { history: { interval: 64 } });
          const direct = createSimulation(scenario, { history: { interval: 64 } });
          stepTo(sliced, 1200);
          stepTo(direct, 1200);
          for (const target of targets) {
            let calls = 0;
            let before = sliced.index;
            while (!sliced.seekTo(target, { maxEvents: slice })) {
              // after the first call (which may restore a checkpoint), each call replays
              // at most `slice` events, and some
              if (calls > 0) expect(sliced.index - before).toBeLessThanOrEqual(slice);
              expect(sliced.index).toBeGreaterThan(calls > 0 ? before : -1);
              expect(sliced.index).toBeLessThan(target);
              before = sliced.index;
              calls++;
            }
            direct.seek(target);
            expect(sliced.index).toBe(direct.index);
            expect(canonical(sliced)).toEqual(canonical(direct));
            expect(sliced.traceHash()).toBe(direct.traceHash());
            expect(sliced.history!.maxIndex).toBe(direct.history!.maxIndex);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('stops when told to, and finishes at the end of a run that stops before the target', () => {
    // every node dies at 3 s: nothing happens after that
    const kills: Action[] = [1, 2, 3].map((node) => ({ at: 3000, type: 'kill', node }));
    const sim = createSimulation(raftScenario({ nodes: 3, actions: kills }), {
      history: { interval: 16 },
    });
    let asked = 0;
    expect(sim.seekTo(10_000_000, { shouldStop: () => ++asked >= 1 })).toBe(false);
    expect(sim.index).toBe(64);
    expect(asked).toBe(1);
    while (!sim.seekTo(10_000_000, { maxEvents: 5000 }));
    expect(sim.index).toBeLessThan(10_000_000);
    expect(sim.nextEventTime()).toBeUndefined();
  });
});
