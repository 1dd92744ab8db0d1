/**
 * Test support shared by the Bully and Ring property tests (not part of the shipped
 * API): random clusters and fault schedules, and one run of "faults, heal, settle,
 * check agreement, then one measured election".
 */
import fc from 'fast-check';
import { createSimulation } from '../index';
import { countElection } from '../experiments/messages';
import type { Action } from '../scenario/schema';
import type { Simulation } from '../sim/simulation';
import type { NodeId } from '../sim/types';
import { checkAgreement, type AgreementReport } from './agreement';
import { faultScheduleArb as sharedFaultSchedule } from '../testing/arbitraries';
import { internals } from '../sim/simulation';

/** Faults happen in [0, FAULT_WINDOW_MS]; then everything heals. */
export const FAULT_WINDOW_MS = 1500;
/** Time allowed after the heal before agreement must hold. */
export const SETTLE_MS = 3000;

export interface FaultCase {
  /** Node ids in scenario (ring) order. */
  order: NodeId[];
  latency: { min: number; max: number };
  seed: number;
  faults: Action[];
  /** Which alive nodes detect the crash in the measured election (by rank; at least one). */
  initiatorMask: boolean[];
}

/** A random fault schedule over `order` within the fault window. */
export function faultScheduleArb(order: NodeId[]): fc.Arbitrary<Action[]> {
  return sharedFaultSchedule(order, FAULT_WINDOW_MS, 14);
}

/** 3..6 nodes with distinct ids from 1..30 in a random order, random latency within 1..15 ms. */
export const faultCaseArb: fc.Arbitrary<FaultCase> = fc
  .uniqueArray(fc.integer({ min: 1, max: 30 }), { minLength: 3, maxLength: 6 })
  .chain((order) =>
    fc.record({
      order: fc.constant(order),
      latency: fc
        .integer({ min: 1, max: 5 })
        .chain((min) => fc.integer({ min, max: 15 }).map((max) => ({ min, max }))),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      faults: faultScheduleArb(order),
      initiatorMask: fc.array(fc.boolean(), { minLength: order.length, maxLength: order.length }),
    }),
  );

export interface FaultRun {
  sim: Simulation;
  /** Agreement after the heal and the settle time. */
  afterHeal: AgreementReport;
  /** The measured election (absent when fewer than two nodes were alive). */
  measured?: {
    /** Ids in the scenario, dead or alive. */
    ids: NodeId[];
    /** Alive after the crash. */
    alive: NodeId[];
    crashed: NodeId;
    initiators: NodeId[];
    total: number;
    byType: Record<string, number>;
    /** Hops dropped because the receiver was dead, per type. */
    wasted: Record<string, number>;
    /** Agreement once the measured election is over. */
    after: AgreementReport;
  };
}

/**
 * Runs the case: faults, then heal everything (links, loss, paused nodes) at the end of
 * the window, settle, check agreement; then crash the leader and let the chosen alive
 * nodes detect it at once, count that election's messages and check agreement again.
 */
export function runFaultCase(
  algorithm: 'bully' | 'ring',
  params: Record<string, unknown>,
  c: FaultCase,
  fifo: boolean,
): FaultRun {
  const end = FAULT_WINDOW_MS + 1;
  const calm: Action[] = [
    { at: end, type: 'healAll' },
    { at: end, type: 'setLoss', loss: 0 },
    ...c.order.map((node) => ({ at: end, type: 'resume' as const, node })),
  ];
  const sim = createSimulation({
    v: 1,
    algorithm,
    params,
    nodes: c.order.map((id) => ({ id })),
    network: { latency: c.latency, loss: 0, fifo },
    seed: c.seed,
    actions: [...c.faults, ...calm],
  });
  sim.runUntil(end + SETTLE_MS);
  const afterHeal = checkAgreement(sim);
  const run: FaultRun = { sim, afterHeal };
  const alive = internals(sim)
    .world.nodes.filter((n) => n.alive)
    .map((n) => n.id);
  if (!afterHeal.ok || alive.length < 2) return run;

  alive.sort((a, b) => a - b);
  const crashed = alive[alive.length - 1];
  const rest = alive.slice(0, -1);
  let initiators = rest.filter((_, i) => c.initiatorMask[i]);
  if (initiators.length === 0) initiators = [rest[0]];
  const from = internals(sim).rt.trace.length;
  const { total, byType } = countElection(sim, crashed, initiators);
  const wasted: Record<string, number> = {};
  for (const r of internals(sim).rt.trace.range(from))
    if (r.kind === 'drop' && r.from !== undefined) wasted[r.type] = (wasted[r.type] ?? 0) + 1;
  run.measured = {
    ids: c.order.slice().sort((a, b) => a - b),
    alive: rest,
    crashed,
    initiators,
    total,
    byType,
    wasted,
    after: checkAgreement(sim),
  };
  return run;
}

/** A short description of a failing case for the assertion message. */
export function describeRun(c: FaultCase, run: FaultRun): string {
  const s = run.sim.state();
  return JSON.stringify({
    order: c.order,
    latency: c.latency,
    seed: c.seed,
    faults: c.faults,
    problems: run.afterHeal.problems,
    nodes: s.nodes.map((n) => `${n.id}:${n.state}:${n.leader ?? '-'}`),
    measured: run.measured && { ...run.measured, after: run.measured.after.problems },
  });
}
