/** fast-check generators of valid scenarios, shared by codec, history and engine tests. */
import fc from 'fast-check';
import type { Action, Scenario } from '../scenario/schema';
import type { NodeId } from '../sim/types';

const ms = fc.integer({ min: 0, max: 20_000 }).map((x) => x / 4);

export function scenarioArb(): fc.Arbitrary<Scenario> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 12 })
    .chain((ids) => {
      const id = fc.constantFrom(...ids);
      const action: fc.Arbitrary<Action> = fc.oneof(
        fc.record({
          at: ms,
          type: fc.constantFrom('kill', 'restart', 'pause', 'resume', 'timeout'),
          node: id,
        }),
        fc.record(
          { at: ms, type: fc.constantFrom('cut', 'heal'), from: id, to: id, oneWay: fc.boolean() },
          { requiredKeys: ['at', 'type', 'from', 'to'] },
        ),
        fc.record({
          at: ms,
          type: fc.constant('partition'),
          groups: fc.array(fc.array(id, { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
        }),
        fc.record({ at: ms, type: fc.constant('healAll') }),
        fc.record({
          at: ms,
          type: fc.constant('setLoss'),
          loss: fc.integer({ min: 0, max: 100 }).map((p) => p / 100),
        }),
        fc.record({
          at: ms,
          type: fc.constantFrom('deliver', 'drop'),
          msg: fc.integer({ min: 1, max: 100_000 }),
        }),
      ) as fc.Arbitrary<Action>;
      return fc.record({
        v: fc.constant(1 as const),
        algorithm: fc.constant('raft' as const),
        params: fc.constantFrom(
          {},
          { electionTimeout: { min: 100, max: 200 } },
          { preVote: true, checkQuorum: true },
        ),
        nodes: fc.constant(null).chain(() =>
          fc.tuple(
            ...ids.map((i) =>
              fc.record(
                {
                  id: fc.constant(i),
                  label: fc.string({ maxLength: 12 }),
                  x: fc.integer({ min: -500, max: 500 }),
                  y: fc.integer({ min: -500, max: 500 }),
                },
                { requiredKeys: ['id'] },
              ),
            ),
          ),
        ),
        network: fc.record({
          latency: fc
            .tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }))
            .map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })),
          loss: fc.integer({ min: 0, max: 100 }).map((p) => p / 100),
          fifo: fc.boolean(),
        }),
        seed: fc.integer({ min: 0, max: 0xffffffff }),
        actions: fc.array(action, { maxLength: 25 }),
      }) as fc.Arbitrary<Scenario>;
    });
}

/**
 * A random fault schedule over the nodes `order` within [0, windowMs]: kills, restarts,
 * pauses, resumes, forced timeouts, one- and two-way cuts and heals, two-sided
 * partitions, heal-all and loss up to 30%.
 */
export function faultScheduleArb(
  order: NodeId[],
  windowMs: number,
  maxLength: number,
): fc.Arbitrary<Action[]> {
  const node = fc.constantFrom(...order);
  const at = fc.integer({ min: 0, max: windowMs });
  const action: fc.Arbitrary<Action> = fc.oneof(
    fc.record({
      at,
      type: fc.constantFrom('kill', 'restart', 'pause', 'resume', 'timeout'),
      node,
    }) as fc.Arbitrary<Action>,
    fc.record({
      at,
      type: fc.constantFrom('cut', 'heal'),
      from: node,
      to: node,
      oneWay: fc.boolean(),
    }) as fc.Arbitrary<Action>,
    fc
      .array(fc.integer({ min: 0, max: 2 }), { minLength: order.length, maxLength: order.length })
      .chain((sides) =>
        at.map((t) => ({
          at: t,
          type: 'partition' as const,
          groups: [0, 1].map((g) => order.filter((_, i) => sides[i] === g)),
        })),
      ),
    at.map((t) => ({ at: t, type: 'healAll' as const })),
    fc.record({
      at,
      type: fc.constant('setLoss' as const),
      loss: fc.integer({ min: 0, max: 300 }).map((p) => p / 1000),
    }),
  );
  return fc.array(action, { maxLength });
}
