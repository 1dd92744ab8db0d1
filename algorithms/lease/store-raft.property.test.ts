/**
 * The lease election on a store replicated by Raft (storeNodes 3 or 5), under random
 * networks (latency 1-300 ms, loss, duplicates) and faults: kills, restarts and pauses of
 * store replicas and of every other node, partitions, cut links and clock drift. Fencing
 * and idempotency are on.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { Action } from '../scenario/schema';
import type { Simulation } from '../sim/simulation';
import type { NodeId } from '../sim/types';
import { internals } from '../sim/simulation';
import { holder } from './rules';
import { range } from './kv';
import { ELECTION_PREFIX } from './messages';
import type { PaymentContext } from './payment';
import type { ReplicaContext } from './replica';
import type { WorkerContext } from './worker';
import { contextOf, leaseScenario, leading, observe } from './lease.testkit';

const FAULT_WINDOW_MS = 10_000;
const TTL_MS = 3000;
/**
 * After the faults stop: a store election (pre-vote and vote, election timeouts of 1-2 s,
 * retried under loss), then a new store leader restarts every lease's TTL, so a dead or
 * stepped-down holder's key lasts up to one more TTL (four under a clock at a quarter
 * speed, which ended with the faults), and the next worker hears of it within a keep-alive.
 */
const BOUND_MS = 5 * TTL_MS + 6000;

function episodeArb(ids: NodeId[], replicas: NodeId[]): fc.Arbitrary<Action[]> {
  const node = fc.constantFrom(...ids);
  const replica = fc.constantFrom(...replicas);
  const start = fc.integer({ min: 0, max: FAULT_WINDOW_MS - 1 });
  const span = fc.integer({ min: 1, max: 6000 });
  const end = (t: number, d: number) => Math.min(FAULT_WINDOW_MS, t + d);
  const crash = (who: fc.Arbitrary<NodeId>) =>
    fc.tuple(who, start, span).map(([n, t, d]) => [
      { at: t, type: 'kill', node: n },
      { at: end(t, d), type: 'restart', node: n },
    ]);
  const bounce = (who: fc.Arbitrary<NodeId>) =>
    fc.tuple(who, start).map(([n, t]) => [{ at: t, type: 'restart', node: n }]);
  return fc.oneof(
    crash(replica),
    bounce(replica),
    crash(node),
    fc.tuple(node, start, span).map(([n, t, d]) => [
      { at: t, type: 'pause', node: n },
      { at: end(t, d), type: 'resume', node: n },
    ]),
    fc
      .tuple(
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: ids.length, maxLength: ids.length }),
        start,
        span,
      )
      .map(([sides, t, d]) => [
        {
          at: t,
          type: 'partition',
          groups: [0, 1].map((g) => ids.filter((_, i) => sides[i] === g)),
        },
        { at: end(t, d), type: 'healAll' },
      ]),
    fc.tuple(node, node, fc.boolean(), start, span).map(([a, b, oneWay, t, d]) => [
      { at: t, type: 'cut', from: a, to: b, oneWay },
      { at: end(t, d), type: 'heal', from: a, to: b, oneWay },
    ]),
    fc.tuple(node, fc.constantFrom(0.5, 2), start, span).map(([n, rate, t, d]) => [
      { at: t, type: 'clock', node: n, rate },
      { at: end(t, d), type: 'clock', node: n, rate: 1 },
    ]),
  ) as fc.Arbitrary<Action[]>;
}

const caseArb = fc
  .tuple(fc.constantFrom(3, 5), fc.integer({ min: 2, max: 3 }))
  .chain(([storeNodes, workers]) => {
    const n = storeNodes + workers + 1;
    const ids = Array.from({ length: n }, (_, i) => i + 1);
    return fc.record({
      storeNodes: fc.constant(storeNodes),
      nodes: fc.constant(n),
      latency: fc
        .integer({ min: 1, max: 300 })
        .chain((min) => fc.integer({ min, max: 300 }).map((max): [number, number] => [min, max])),
      loss: fc.integer({ min: 0, max: 20 }).map((p) => p / 100),
      duplicate: fc.constantFrom(0, 0.1),
      fifo: fc.boolean(),
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      episodes: fc.array(episodeArb(ids, ids.slice(0, storeNodes)), { maxLength: 6 }),
    });
  });

/** The alive store replica that leads the highest term, if any. */
function storeLeader(sim: Simulation, storeNodes: number): ReplicaContext | null {
  let best: ReplicaContext | null = null;
  for (const n of internals(sim).world.nodes.slice(0, storeNodes)) {
    const c = n.snapshot.context as ReplicaContext;
    if (n.alive && n.snapshot.value === 'leader' && (best === null || c.term > best.term)) best = c;
  }
  return best;
}

/** Exactly one worker leads, the store leader names it, and its token is that key's. */
function settled(sim: Simulation, storeNodes: number): boolean {
  const l = leading(sim);
  const s = storeLeader(sim, storeNodes);
  if (l.length !== 1 || s === null) return false;
  const h = holder(range(s.store$, ELECTION_PREFIX));
  return (
    h !== null && h.owner === l[0] && contextOf<WorkerContext>(sim, l[0]).token === h.createRevision
  );
}

describe('lease election on a Raft-replicated store, under random faults', () => {
  it('never charges twice, its replicas agree on the key holder at every applied index, and one worker leads after the faults', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const ids = Array.from({ length: c.nodes }, (_, i) => i + 1);
        const payment = c.nodes;
        const sim = createSimulation(
          leaseScenario({
            nodes: c.nodes,
            params: {
              fencing: true,
              idempotent: true,
              storeNodes: c.storeNodes,
              ttl: TTL_MS,
              customers: 2,
            },
            latency: c.latency,
            loss: c.loss,
            duplicate: c.duplicate,
            fifo: c.fifo,
            seed: c.seed,
            actions: [
              ...c.episodes.flat(),
              { at: FAULT_WINDOW_MS, type: 'healAll' },
              ...ids.map((node): Action => ({ at: FAULT_WINDOW_MS, type: 'clock', node, rate: 1 })),
            ],
          }),
        );
        // applied index -> the key holder there, as the first replica to apply it saw it
        const holderAt = new Map<number, string>();
        const lastContext: unknown[] = [];
        const each = () => {
          const w = internals(sim).world;
          const pay = w.nodes[payment - 1];
          // (checked with plain comparisons first: this runs after every event, and an
          // `expect` per event would cost most of the test's time)
          const dups = pay.alive ? (pay.snapshot.context as PaymentContext).book.duplicates : 0;
          if (dups !== 0) expect(dups).toBe(0);
          for (let k = 0; k < c.storeNodes; k++) {
            const n = w.nodes[k];
            const r = n.snapshot.context as ReplicaContext;
            // a replica never applies past what it knows committed
            if (r.applied > r.commitIndex) expect(r.applied).toBeLessThanOrEqual(r.commitIndex);
            const seen = holderAt.get(r.applied);
            // the holder at an applied index is fixed: only a new index needs a new look
            if (seen !== undefined && n.snapshot.context === lastContext[k]) continue;
            lastContext[k] = n.snapshot.context;
            const h = holder(range(r.store$, ELECTION_PREFIX));
            const who = h === null ? '-' : `${h.owner}@${h.createRevision}`;
            if (seen === undefined) holderAt.set(r.applied, who);
            else if (who !== seen)
              expect(who, `replica ${n.id} at applied index ${r.applied}`).toBe(seen);
          }
        };
        const o = observe(sim, FAULT_WINDOW_MS, undefined, { each });
        if (!settled(sim, c.storeNodes))
          observe(sim, FAULT_WINDOW_MS + BOUND_MS, o, {
            each,
            stop: () => settled(sim, c.storeNodes),
          });
        expect(
          settled(sim, c.storeNodes),
          `no single leader named by the store leader by ${FAULT_WINDOW_MS + BOUND_MS} ms`,
        ).toBe(true);
        const seen = new Set<string>();
        for (const t of o.taken) {
          const key = `${t.customer}:${t.period}`;
          expect(seen.has(key), `customer ${t.customer} charged twice for period ${t.period}`).toBe(
            false,
          );
          seen.add(key);
        }
        for (let i = 1; i < o.taken.length; i++)
          expect(o.taken[i].token).toBeGreaterThanOrEqual(o.taken[i - 1].token);
        expect(internals(sim).world.violations.filter((v) => v.severity === 'error')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  }, 300_000);
});
