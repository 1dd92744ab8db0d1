/**
 * The lease election under random networks and faults, with fencing and idempotency on:
 * restarts of the store and of the payment service among them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { Action } from '../scenario/schema';
import type { Simulation } from '../sim/simulation';
import type { NodeId } from '../sim/types';
import type { PaymentContext } from './payment';
import type { WorkerContext } from './worker';
import { contextOf, leaseScenario, leading, observe, storeHolder } from './lease.testkit';
import { internals } from '../sim/simulation';

/** Faults happen in [0, FAULT_WINDOW_MS]; then every node runs, at true speed, on a healed network. */
const FAULT_WINDOW_MS = 15_000;
const TTL_MS = 5000;
/**
 * After the faults stop, exactly one worker leads and the store names it within 5 TTLs.
 * The longest a lease can outlive its owner is 4 TTLs: a store whose clock ran at a
 * quarter speed armed its expiry (a restarted store gives every lease, a dead worker's
 * too, one full TTL). Then the next worker in line hears of the expiry from a watch event,
 * or, when loss ate it, from its next keep-alive answer (TTL / 3), and campaigns; loss of
 * up to 20% adds retries of TTL / 3 each.
 */
const BOUND_MS = 5 * TTL_MS;

/**
 * One fault and its end: every crash is followed by a restart, every pause by a resume.
 * Crashes and restarts of the store and of the payment service come up more often than
 * a uniform pick of the node would make them.
 */
function episodeArb(ids: NodeId[]): fc.Arbitrary<Action[]> {
  const node = fc.constantFrom(...ids);
  const durable = fc.constantFrom(ids[0], ids[ids.length - 1]);
  const start = fc.integer({ min: 0, max: FAULT_WINDOW_MS - 1 });
  const span = fc.integer({ min: 1, max: 8000 });
  const end = (t: number, d: number) => Math.min(FAULT_WINDOW_MS, t + d);
  const crash = (who: fc.Arbitrary<NodeId>) =>
    fc.tuple(who, start, span).map(([n, t, d]) => [
      { at: t, type: 'kill', node: n },
      { at: end(t, d), type: 'restart', node: n },
    ]);
  const bounce = (who: fc.Arbitrary<NodeId>) =>
    fc.tuple(who, start).map(([n, t]) => [{ at: t, type: 'restart', node: n }]);
  return fc.oneof(
    crash(node),
    bounce(node),
    crash(durable),
    bounce(durable),
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
    fc.tuple(node, fc.constantFrom(0.25, 0.5, 2, 4), start, span).map(([n, rate, t, d]) => [
      { at: t, type: 'clock', node: n, rate },
      { at: end(t, d), type: 'clock', node: n, rate: 1 },
    ]),
  ) as fc.Arbitrary<Action[]>;
}

const caseArb = fc.integer({ min: 4, max: 7 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => i + 1);
  return fc.record({
    nodes: fc.constant(n),
    latency: fc
      .integer({ min: 1, max: 300 })
      .chain((min) => fc.integer({ min, max: 300 }).map((max): [number, number] => [min, max])),
    loss: fc.integer({ min: 0, max: 20 }).map((p) => p / 100),
    duplicate: fc.constantFrom(0, 0.1),
    fifo: fc.boolean(),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    episodes: fc.array(episodeArb(ids), { maxLength: 8 }),
  });
});

function healEverything(ids: NodeId[]): Action[] {
  return [
    { at: FAULT_WINDOW_MS, type: 'healAll' },
    ...ids.map((node): Action => ({ at: FAULT_WINDOW_MS, type: 'clock', node, rate: 1 })),
  ];
}

/** Exactly one alive worker leads, the store names it as holder, and its token is that key's. */
function settled(sim: Simulation): boolean {
  const l = leading(sim);
  if (l.length !== 1) return false;
  const h = storeHolder(sim);
  return (
    h !== null && h.owner === l[0] && contextOf<WorkerContext>(sim, l[0]).token === h.createRevision
  );
}

describe('lease election with fencing and idempotency, under random faults', () => {
  it('never charges twice, keeps its ledger and tokens in order, and one worker leads after the faults', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const ids = Array.from({ length: c.nodes }, (_, i) => i + 1);
        const payment = c.nodes;
        const sim = createSimulation(
          leaseScenario({
            nodes: c.nodes,
            params: { fencing: true, idempotent: true },
            latency: c.latency,
            loss: c.loss,
            duplicate: c.duplicate,
            fifo: c.fifo,
            seed: c.seed,
            actions: [...c.episodes.flat(), ...healEverything(ids)],
          }),
        );
        let maxToken = 0;
        const each = () => {
          const n = internals(sim).world.nodes[payment - 1];
          if (!n.alive) return;
          const book = (n.snapshot.context as PaymentContext).book;
          // the highest token the service has seen never goes back, across its restarts too
          expect(book.maxToken).toBeGreaterThanOrEqual(maxToken);
          maxToken = book.maxToken;
          expect(book.duplicates).toBe(0);
        };
        const o = observe(sim, FAULT_WINDOW_MS, undefined, { each });
        const done = settled(sim);
        if (!done) observe(sim, FAULT_WINDOW_MS + BOUND_MS, o, { each, stop: () => settled(sim) });
        expect(
          settled(sim),
          `no single leader named by the store by ${FAULT_WINDOW_MS + BOUND_MS} ms`,
        ).toBe(true);
        // money is taken at most once per customer and period, counted from the answers
        const seen = new Set<string>();
        for (const t of o.taken) {
          const key = `${t.customer}:${t.period}`;
          expect(seen.has(key), `customer ${t.customer} charged twice for period ${t.period}`).toBe(
            false,
          );
          seen.add(key);
        }
        // with fencing, the tokens of accepted charges never go backwards
        for (let i = 1; i < o.taken.length; i++)
          expect(o.taken[i].token).toBeGreaterThanOrEqual(o.taken[i - 1].token);
        // the store's revision never goes backwards, across its restarts too
        for (let i = 1; i < o.revisions.length; i++)
          expect(o.revisions[i]).toBeGreaterThanOrEqual(o.revisions[i - 1]);
        // a worker starts leading only when no key older than its own is left: such a key
        // could not have been created after the watch event that made it lead
        for (const s of o.leadStarts)
          expect(
            s.holder === null || s.holder.createRevision >= s.token,
            `node ${s.node} led at ${s.t}`,
          ).toBe(true);
        // neither the ledger check nor any other error fired
        expect(internals(sim).world.violations.filter((v) => v.severity === 'error')).toEqual([]);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
