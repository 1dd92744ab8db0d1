/**
 * The compiled driver against XState's official transition() on Paxos with what the
 * registry-wide differential test leaves out for an algorithm it runs with default params:
 * client requests (the leader's proposals, its counting of acceptances and its Decides)
 * and leader leases, on random clusters, networks (one-way latency 1-300 ms, loss,
 * duplicates) and fault schedules, compared on whole traces and final states.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { Action } from '../scenario/schema';
import type { DriverPath } from '../sim/driver';
import { internals } from '../sim/simulation';
import { ms } from '../sim/time';
import { faultScheduleArb } from '../testing/arbitraries';

const RUN_MS = 2000;
const WINDOW_MS = 1500;

const caseArb = fc
  .uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 })
  .chain((order) =>
    fc.record({
      order: fc.constant(order),
      max: fc.integer({ min: 1, max: 300 }),
      loss: fc.integer({ min: 0, max: 200 }).map((p) => p / 1000),
      duplicate: fc.integer({ min: 0, max: 200 }).map((p) => p / 1000),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      lease: fc.constantFrom(0, 100),
      faults: faultScheduleArb(order, WINDOW_MS, 10),
      requests: fc.array(
        fc.record({
          at: fc.integer({ min: 0, max: WINDOW_MS }),
          command: fc.integer({ min: 0, max: 1000 }),
        }),
        { maxLength: 8 },
      ),
    }),
  );

describe('Paxos: compiled driver = official transition()', () => {
  it('agrees on whole traces and final states, with client requests and leases', () => {
    let decides = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const actions: Action[] = [
          ...c.faults,
          ...c.requests.map((r) => ({ at: r.at, type: 'request' as const, command: r.command })),
        ];
        const run = (driver: DriverPath) => {
          const sim = createSimulation(
            {
              v: 1,
              algorithm: 'paxos',
              params: { leaseMs: c.lease },
              nodes: c.order.map((id) => ({ id })),
              network: {
                latency: { min: 1, max: c.max },
                loss: c.loss,
                duplicate: c.duplicate,
                fifo: false,
              },
              seed: c.seed,
              actions,
            },
            { driver },
          );
          sim.runUntilTime(ms(RUN_MS), 400);
          return sim;
        };
        const official = run('official');
        const compiled = run('compiled');
        expect(compiled.trace()).toEqual(official.trace());
        expect(compiled.traceHash()).toBe(official.traceHash());
        const st = (sim: typeof official) =>
          internals(sim).world.nodes.map((n) => ({
            value: n.snapshot?.value,
            context: n.snapshot?.context,
          }));
        expect(st(compiled)).toEqual(st(official));
        decides += official.trace().filter((r) => r.type === 'Decide').length;
      }),
      { numRuns: 40, seed: 4320 },
    );
    // the runs do choose values: the proposal and counting paths are exercised
    expect(decides).toBeGreaterThan(40);
  });
});
