/**
 * The compiled driver against XState's official transition(): every registered
 * algorithm (each Ring variant, Raft with pre-vote / check-quorum and client requests,
 * the lease election, and each param set a definition declares) on random clusters, networks (one-way latency 1-300 ms, loss,
 * duplicates) and fault schedules, compared on whole traces (every record), trace
 * hashes and the final contexts and state values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../../index';
import { parseScenario } from '../../scenario/parse';
import { Simulation } from '../simulation';
import type { AlgorithmModel } from '../types';
import { algorithms, registry } from '../../registry';
import type { Action, ScenarioInput } from '../../scenario/schema';
import { faultScheduleArb } from '../../testing/arbitraries';
import type { DriverPath } from '../driver';
import { ms } from '../time';
import { internals } from '../simulation';

interface Variant {
  name: string;
  algorithm: string;
  params: Record<string, unknown>;
  /** Fewest nodes (lease: store, payment, one worker). */
  minNodes: number;
  /** Raft: client requests to whoever leads. */
  requests?: boolean;
}

const variants: Variant[] = [
  { name: 'raft', algorithm: 'raft', params: {}, minNodes: 1, requests: true },
  {
    name: 'raft pre-vote check-quorum',
    algorithm: 'raft',
    params: { preVote: true, checkQuorum: true },
    minNodes: 1,
    requests: true,
  },
  { name: 'bully', algorithm: 'bully', params: {}, minNodes: 1 },
  {
    name: 'ring chang-roberts',
    algorithm: 'ring',
    params: { variant: 'chang-roberts' },
    minNodes: 1,
  },
  { name: 'ring collect-ids', algorithm: 'ring', params: { variant: 'collect-ids' }, minNodes: 1 },
  { name: 'lease', algorithm: 'lease', params: { ttl: 500, billingPeriod: 200 }, minNodes: 3 },
  {
    name: 'lease without fencing',
    algorithm: 'lease',
    params: { ttl: 400, billingPeriod: 150, fencing: false },
    minNodes: 3,
  },
  {
    name: 'lease with the store on Raft',
    algorithm: 'lease',
    params: { ttl: 500, billingPeriod: 200, storeNodes: 3 },
    minNodes: 5,
  },
];
// an algorithm not listed above runs with its default params, so a new one is covered
// the moment it is registered
for (const def of algorithms)
  if (!variants.some((v) => v.algorithm === def.name))
    variants.push({ name: def.name, algorithm: def.name, params: {}, minNodes: def.minNodes ?? 1 });
// and every param set a definition declares (machines only some params select)
for (const def of algorithms)
  for (const set of def.paramSets ?? [])
    variants.push({
      name: `${def.name} ${set.name}`,
      algorithm: def.name,
      params: set.params,
      minNodes: set.minNodes,
    });

/** Simulated time per run: long enough for elections, faults and recoveries, short for the official path. */
const RUN_MS = 1500;
const WINDOW_MS = 1200;
const RUNS = Number(process.env.DIFF_RUNS ?? 200);
const MAX_EVENTS = 300;

const caseArb = (v: Variant) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: 40 }), {
      minLength: Math.max(v.minNodes, 2),
      maxLength: 6,
    })
    .chain((order) =>
      fc.record({
        order: fc.constant(order),
        latency: fc
          .integer({ min: 1, max: 300 })
          .chain((min) => fc.integer({ min, max: 300 }).map((max) => ({ min, max }))),
        loss: fc.integer({ min: 0, max: 200 }).map((p) => p / 1000),
        duplicate: fc.integer({ min: 0, max: 200 }).map((p) => p / 1000),
        fifo: fc.boolean(),
        seed: fc.integer({ min: 0, max: 0xffffffff }),
        faults: faultScheduleArb(order, WINDOW_MS, 10),
        requests: v.requests
          ? fc.array(
              fc.record({
                at: fc.integer({ min: 0, max: WINDOW_MS }),
                command: fc.integer({ min: 0, max: 1000 }),
              }),
              { maxLength: 6 },
            )
          : fc.constant([]),
      }),
    );

function scenarioOf(v: Variant, c: CaseOf): ScenarioInput {
  const actions: Action[] = [
    ...c.faults,
    ...c.requests.map((r) => ({ at: r.at, type: 'request' as const, command: r.command })),
  ];
  return {
    v: 1,
    algorithm: v.algorithm,
    params: v.params,
    nodes: c.order.map((id) => ({ id })),
    network: { latency: c.latency, loss: c.loss, duplicate: c.duplicate, fifo: c.fifo },
    seed: c.seed,
    actions,
  } as ScenarioInput;
}

type CaseOf = {
  order: number[];
  latency: { min: number; max: number };
  loss: number;
  duplicate: number;
  fifo: boolean;
  seed: number;
  faults: Action[];
  requests: { at: number; command: number }[];
};

function run(scenario: ScenarioInput, driver: DriverPath) {
  const sim = createSimulation(scenario, { driver });
  // Bounded in events too: duplicates can make a ring election storm.
  sim.runUntilTime(ms(RUN_MS), MAX_EVENTS);
  return sim;
}

describe('compiled driver = official transition()', () => {
  it('covers every registered algorithm', () => {
    expect(new Set(variants.map((v) => v.algorithm))).toEqual(new Set(Object.keys(registry)));
  });

  for (const v of variants)
    it(`${v.name}: whole traces, hashes and final states agree on ${RUNS} random fault schedules`, () => {
      let events = 0;
      fc.assert(
        fc.property(caseArb(v), (c) => {
          const s = scenarioOf(v, c as CaseOf);
          const official = run(s, 'official');
          const compiled = run(s, 'compiled');
          events += official.counters().events;
          expect(compiled.trace()).toEqual(official.trace());
          expect(compiled.traceHash()).toBe(official.traceHash());
          const st = (sim: typeof official) =>
            internals(sim).world.nodes.map((n) => ({
              alive: n.alive,
              value: n.snapshot?.value,
              context: n.snapshot?.context,
              timers: n.timers,
            }));
          expect(st(compiled)).toEqual(st(official));
          expect(compiled.violations()).toEqual(official.violations());
        }),
        { numRuns: RUNS, seed: 20240601, endOnFailure: true },
      );
      // the runs are not trivially short
      expect(events).toBeGreaterThan(RUNS * 20);
    });

  it('a machine per node (machineFor): each node runs its own compiled machine', () => {
    const raft = registry.raft as AlgorithmModel;
    // odd ids run a provided copy of the machine: another object, compiled on its own
    const copy = raft.machine.provide({});
    const model: AlgorithmModel = {
      ...raft,
      machineFor: (id) => (id % 2 === 1 ? copy : raft.machine),
    };
    fc.assert(
      fc.property(caseArb(variants[0]), (c) => {
        const { scenario, params } = parseScenario(scenarioOf(variants[0], c as CaseOf));
        const sim = (driver: DriverPath) => {
          const s = new Simulation(scenario, model, params, { driver });
          s.runUntilTime(ms(RUN_MS), MAX_EVENTS);
          return s;
        };
        const official = sim('official');
        const compiled = sim('compiled');
        expect(compiled.trace()).toEqual(official.trace());
        expect(compiled.traceHash()).toBe(official.traceHash());
        const machines = new Set(internals(compiled).rt.drivers.map((d) => d.machine));
        expect(machines.size).toBe(
          c.order.some((id) => id % 2 === 1) && c.order.some((id) => id % 2 === 0) ? 2 : 1,
        );
      }),
      { numRuns: 30, seed: 11 },
    );
  });
});
