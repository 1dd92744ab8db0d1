/**
 * Test support for the Bully and Ring property tests (not part of the shipped API): a
 * random network (latency one way anywhere in 1-300 ms, loss 0-30%, duplicates on or
 * off, FIFO or not), 3-9 nodes with default params, and a random schedule of faults
 * (kill, restart, pause, resume, cut, partition) that stops at a time T, when every cut
 * and partition heals and every paused node resumes. Loss and duplicates stay. One run
 * then measures what the properties talk about:
 *
 * 1. when, after T, every alive node first names one leader that believes it leads (the
 *    highest alive id): `agreedAfter`;
 * 2. from when agreement holds without a break until a horizon well after that (an
 *    election started by a fault before T, a restarted node's, may break a first
 *    agreement): `settledAfter`;
 * 3. one measured election: once the cluster is quiet (nobody busy, no election message
 *    in flight), the leader is killed and the others detect it by themselves; the
 *    messages (heartbeats excluded) until the cluster is quiet again, and how many
 *    messages the network lost meanwhile: `election`.
 */
import fc from 'fast-check';
import { createSimulation } from '../index';
import { busyOf, electionOver, sentSince } from '../experiments/messages';
import { checkAgreement } from '../invariants/agreement';
import type { Action } from '../scenario/schema';
import type { Simulation } from '../sim/simulation';
import { ms, toMs } from '../sim/time';
import type { NodeId } from '../sim/types';

export interface NetworkCase {
  /** Node ids in scenario (ring) order. */
  order: NodeId[];
  latency: { min: number; max: number };
  loss: number;
  duplicate: number;
  fifo: boolean;
  seed: number;
  /** Faults, all at or before `faultsEnd`. */
  faults: Action[];
  /** T, ms: the last fault; every cut and partition heals and every paused node resumes then. */
  faultsEnd: number;
}

/** A fault schedule over `order` within [0, end]: the six kinds the properties range over. */
function faultsArb(order: NodeId[], end: number): fc.Arbitrary<Action[]> {
  const node = fc.constantFrom(...order);
  const at = fc.integer({ min: 0, max: end });
  const action: fc.Arbitrary<Action> = fc.oneof(
    fc.record({
      at,
      type: fc.constantFrom('kill', 'restart', 'pause', 'resume'),
      node,
    }) as fc.Arbitrary<Action>,
    fc.record({ at, type: fc.constant('cut'), from: node, to: node, oneWay: fc.boolean() }),
    fc
      .array(fc.integer({ min: 0, max: 1 }), { minLength: order.length, maxLength: order.length })
      .chain((sides) =>
        at.map((t) => ({
          at: t,
          type: 'partition' as const,
          groups: [0, 1].map((g) => order.filter((_, i) => sides[i] === g)),
        })),
      ),
  );
  return fc.array(action, { maxLength: 8 });
}

/** Latency one way within 1..300 ms (min <= max), loss 0 in half the cases, else up to 30%. */
export const networkCaseArb: fc.Arbitrary<NetworkCase> = fc
  .record({
    order: fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 3, maxLength: 9 }),
    latency: fc
      .integer({ min: 1, max: 300 })
      .chain((max) => fc.integer({ min: 1, max }).map((min) => ({ min, max }))),
    loss: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 30 }).map((p) => p / 100),
    ),
    duplicate: fc.constantFrom(0, 0.2),
    fifo: fc.boolean(),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    faultsEnd: fc.integer({ min: 0, max: 4000 }),
  })
  .chain((c) => faultsArb(c.order, c.faultsEnd).map((faults) => ({ ...c, faults }) as NetworkCase));

/** What the timing bounds of one algorithm need to know about a run. */
export interface BoundInput {
  /** Params as resolved for the network (ms). */
  params: Record<string, unknown>;
  /** Nodes in the scenario, dead or alive. */
  n: number;
  /** Worst one-way latency, ms. */
  maxLatency: number;
}

export interface NetworkRun {
  sim: Simulation;
  /** The kinds of fault the schedule holds. */
  had: { partitionOrCut: boolean; pause: boolean; restart: boolean };
  /** ms after T at which agreement first held, or null if it never did before the horizon. */
  agreedAfter: number | null;
  /**
   * ms after T from which agreement held without a break until the horizon (T +
   * `agreeLimit` + `stableFor`), or null if it did not hold at the horizon.
   */
  settledAfter: number | null;
  agreeLimit: number;
  stableFor: number;
  /** When the measured election's leader was killed, ms. */
  killedAt?: number;
  /** The measured election (absent when fewer than two nodes are alive or no quiet moment came). */
  election?: {
    killed: NodeId;
    /** Nodes in the scenario and alive after the kill. */
    n: number;
    alive: NodeId[];
    /** ms from the kill until the cluster was quiet again, or null if it was not within the limit. */
    quietAfter: number | null;
    limit: number;
    total: number;
    byType: Record<string, number>;
    /** Messages (heartbeats included) the network lost meanwhile. */
    lost: number;
    /** The leader and its followers agreed at the end. */
    agreed: boolean;
  };
}

export interface RunOptions {
  algorithm: 'bully' | 'ring';
  params: Record<string, unknown>;
  /** ms within which agreement must hold after T (also after the measured kill). */
  agreeBound(b: BoundInput): number;
  /** How long agreement is then watched for breaks, ms. */
  stableFor(b: BoundInput): number;
  /** Keep the trace (for looking into a failing case); off by default. */
  keepTrace?: boolean;
}

export function runNetworkCase(c: NetworkCase, o: RunOptions): NetworkRun {
  const end = c.faultsEnd;
  const calm: Action[] = [
    { at: end, type: 'healAll' },
    ...c.order.map((node) => ({ at: end, type: 'resume' as const, node })),
  ];
  const sim = createSimulation(
    {
      v: 1,
      algorithm: o.algorithm,
      params: o.params,
      nodes: c.order.map((id) => ({ id })),
      network: {
        latency: c.latency,
        loss: c.loss,
        fifo: c.fifo,
        ...(c.duplicate > 0 ? { duplicate: c.duplicate } : {}),
      },
      seed: c.seed,
      actions: [...c.faults, ...calm],
    },
    { keepTrace: o.keepTrace ?? false },
  );
  const kinds = new Set(c.faults.map((a) => a.type));
  const had = {
    partitionOrCut: kinds.has('partition') || kinds.has('cut'),
    pause: kinds.has('pause'),
    restart: kinds.has('restart'),
  };
  const b: BoundInput = {
    params: sim.params as Record<string, unknown>,
    n: c.order.length,
    maxLatency: c.latency.max,
  };
  const agreeLimit = o.agreeBound(b);
  const stableFor = o.stableFor(b);
  // the faults, the heal and every event at T
  sim.runUntil(end);
  const agreed = () => checkAgreement(sim).ok;
  // then watch agreement after every event until T + limit + stableFor
  let now = agreed();
  let first = now ? sim.now : -1;
  let since = now ? sim.now : -1;
  const horizon = ms(end + agreeLimit + stableFor);
  sim.runWhileNot(() => {
    const a = agreed();
    if (a && !now) {
      since = sim.now;
      if (first < 0) first = sim.now;
    }
    now = a;
    return false;
  }, horizon);
  sim.runUntilTime(horizon);
  const run: NetworkRun = {
    sim,
    had,
    agreeLimit,
    stableFor,
    agreedAfter: first < 0 ? null : toMs(first) - end,
    settledAfter: now ? toMs(since) - end : null,
  };

  // the measured election, from a quiet moment
  const alive = sim
    .state()
    .nodes.filter((x) => x.alive)
    .map((x) => x.id);
  if (alive.length < 2) return run;
  const busy = busyOf(o.algorithm);
  if (!sim.runWhileNot(() => electionOver(sim, busy), sim.now + ms(agreeLimit))) return run;
  const killed = Math.max(...alive);
  const before = { ...sim.counters().sentByType };
  const lostBefore = sim.counters().dropped.loss ?? 0;
  const t0 = sim.now;
  run.killedAt = toMs(t0);
  sim.apply({ type: 'kill', node: killed });
  sim.runUntilTime(t0);
  const limit = agreeLimit;
  const quiet = sim.runWhileNot(() => electionOver(sim, busy), t0 + ms(limit));
  run.election = {
    killed,
    n: c.order.length,
    alive: alive.filter((id) => id !== killed),
    quietAfter: quiet ? toMs(sim.now - t0) : null,
    limit,
    ...sentSince(sim, before),
    lost: (sim.counters().dropped.loss ?? 0) - lostBefore,
    agreed: agreed(),
  };
  return run;
}

/** A short description of a failing case for the assertion message. */
export function describeNetworkRun(c: NetworkCase, run: NetworkRun): string {
  const s = run.sim.state();
  return JSON.stringify({
    case: c,
    params: run.sim.params,
    agreedAfter: run.agreedAfter,
    settledAfter: run.settledAfter,
    agreeLimit: run.agreeLimit,
    election: run.election,
    violations: run.sim.violations().map((v) => [v.invariant, toMs(v.t), v.nodes]),
    nodes: s.nodes.map((x) => `${x.id}:${x.state}:${x.leader ?? '-'}`),
  });
}
