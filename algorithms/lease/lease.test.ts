import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { Action, ScenarioInput } from '../scenario/schema';
import { at, pause, resume, partition, healAll, restart, kill } from '../sim/faults';
import type { PaymentContext } from './payment';
import type { StoreContext } from './store';
import { internals } from '../sim/simulation';

const ids = [1, 2, 3, 4, 5];
const scenario = (fencing: boolean, actions: Action[], seed = 1): ScenarioInput => ({
  v: 1,
  algorithm: 'lease',
  params: { fencing },
  nodes: ids.map((id) => ({ id })),
  network: { latency: { min: 5, max: 10 }, loss: 0, fifo: false },
  seed,
  actions,
});
const book = (sim: ReturnType<typeof createSimulation>) =>
  (sim.state().nodes.find((n) => n.id === 5)!.context as PaymentContext).book;

// node 2 campaigns first and leads with seed 1; it pauses for 10 s, twice its 5 s TTL
const longPause = [...at(2500, pause(2)), ...at(12_500, resume(2))];

describe('lease election and the payment service', () => {
  it('without fencing, a leader paused past its TTL charges customers twice', () => {
    const sim = createSimulation(scenario(false, longPause));
    sim.runUntil(16_000);
    expect(sim.summary().leaders.map((l) => l.node)).toEqual([2, 3]);
    const b = book(sim);
    expect(b.duplicates).toBeGreaterThanOrEqual(1);
    expect(b.rejected).toBe(0);
    const split = sim.summary().violations.find((v) => v.invariant === 'split-brain')!;
    expect(split).toMatchObject({ nodes: [2, 3], untilMs: 12_500 });
  });

  it('with fencing, the same pause charges no one twice and the stale charges are rejected', () => {
    const sim = createSimulation(scenario(true, longPause));
    sim.runUntil(16_000);
    const b = book(sim);
    expect(b.duplicates).toBe(0);
    expect(b.rejected).toBeGreaterThanOrEqual(1);
    expect(b.maxToken).toBe(sim.summaryOf(3).term);
  });

  it('a leader cut off from the store but not from the payment service is fenced out', () => {
    const cutOff = [...at(2500, partition([1, 3, 4], [2, 5])), ...at(12_000, healAll())];
    const off = createSimulation(scenario(false, cutOff));
    const on = createSimulation(scenario(true, cutOff));
    off.runUntil(14_000);
    on.runUntil(14_000);
    expect(book(off).duplicates).toBeGreaterThan(0);
    expect(book(on).duplicates).toBe(0);
    expect(book(on).rejected + book(on).alreadyCharged).toBeGreaterThan(0);
  });

  it("each role's machine gives the same trace on the fast path as on XState's own transition()", () => {
    const s = scenario(true, [
      ...longPause,
      ...at(4000, restart(1)),
      ...at(9000, restart(5)),
      ...at(14_000, kill(3)),
      ...at(15_000, restart(3)),
    ]);
    const fast = createSimulation(s);
    const official = createSimulation(s, { driver: 'official' });
    fast.runUntil(20_000);
    official.runUntil(20_000);
    expect(official.machineOf(1).id).toBe('lease-store');
    expect(official.machineOf(5).id).toBe('lease-payment');
    expect(official.machineOf(2).id).toBe('lease-worker');
    expect(fast.trace().length).toBeGreaterThan(200);
    expect(fast.trace()).toEqual(official.trace());
  });

  it('with fencing, random pauses, drift, partitions and crashes never charge anyone twice', () => {
    const node = fc.constantFrom(...ids);
    const t = fc.integer({ min: 0, max: 15_000 });
    const action: fc.Arbitrary<Action> = fc.oneof(
      fc.record({
        at: t,
        type: fc.constantFrom('pause', 'resume', 'kill', 'restart'),
        node,
      }) as fc.Arbitrary<Action>,
      fc.record({
        at: t,
        type: fc.constant('clock' as const),
        node,
        rate: fc.constantFrom(0.25, 0.5, 2, 4),
      }),
      fc.record({
        at: t,
        type: fc.constant('partition' as const),
        groups: fc.array(fc.array(node, { maxLength: 3 }), { minLength: 1, maxLength: 2 }),
      }),
      fc.record({ at: t, type: fc.constant('healAll' as const) }),
      fc.record({
        at: t,
        type: fc.constant('cut' as const),
        from: node,
        to: node,
        oneWay: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(
        fc.array(action, { maxLength: 12 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (actions, seed) => {
          const sim = createSimulation(scenario(true, actions, seed), { keepTrace: false });
          const store = sim.state().nodes[0];
          expect(store.role).toBe('service');
          expect(store.state).toBe('store');
          // check the store after every event: one key per create revision and per lease
          while (sim.nextEventTime() !== undefined && sim.now <= 20_000_000) {
            sim.step();
            const st = (internals(sim).world.nodes[0].snapshot.context as StoreContext).store$;
            expect(new Set(st.keys.map((k) => k.createRevision)).size).toBe(st.keys.length);
            expect(new Set(st.keys.map((k) => k.lease)).size).toBe(st.keys.length);
          }
          expect(book(sim).duplicates).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
