import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { Action } from '../scenario/schema';
import { at, healAll, partition, request, timeout } from '../sim/faults';
import { raftScenario } from '../testing/scenarios';
import type { RaftContext } from './machine';

const ctx = (sim: ReturnType<typeof createSimulation>, id: number) =>
  sim.state().nodes.find((n) => n.id === id)!.context as RaftContext;

describe('Raft log replication', () => {
  it('replicates client requests to every follower and commits them by majority', () => {
    const sim = createSimulation(
      raftScenario({ nodes: 5, seed: 1, actions: at(500, request(7), request(8), request(9)) }),
    );
    sim.runUntil(1000);
    const leader = sim.leader!;
    for (let id = 1; id <= 5; id++) {
      const c = ctx(sim, id);
      expect(c.log.map((e) => e.command)).toEqual([7, 8, 9]);
      expect(c.log.every((e) => e.term === ctx(sim, leader).term)).toBe(true);
      expect(c.commitIndex).toBe(3);
    }
    expect(sim.summary().violations).toEqual([]);
  });

  it('a node with a shorter log times out first and still loses the election', () => {
    // node 1 is cut off while the others commit two entries; after the heal it times
    // out first (we force it) with a higher term but a shorter log: nobody votes for it
    const sim = createSimulation(
      raftScenario({
        nodes: 5,
        seed: 1,
        actions: [
          ...at(500, partition([1])),
          ...at(700, request(1), request(2)),
          ...at(3000, healAll()),
          ...at(3000.5, timeout(1)),
        ],
      }),
    );
    sim.runUntil(2999);
    expect(ctx(sim, 1).log).toHaveLength(0);
    expect(ctx(sim, 2).commitIndex).toBe(2);
    const termBefore = Math.max(...[2, 3, 4, 5].map((id) => ctx(sim, id).term));
    expect(ctx(sim, 1).term).toBeGreaterThan(termBefore); // it kept starting elections
    sim.runUntil(3001);
    const campaign = sim
      .trace()
      .find((r) => r.node === 1 && r.type === 'TIMEOUT' && r.t >= 3_000_000)!;
    expect(campaign.after).toBe('candidate');
    sim.runUntil(4500);
    // every vote request from node 1 after the heal is refused: its log is behind
    const refusals = sim
      .trace()
      .filter(
        (r) => r.t >= 3_000_000 && r.type === 'RequestVote' && r.from === 1 && r.kind === 'deliver',
      );
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((r) => r.votedFor !== 1)).toBe(true);
    expect(sim.leader).not.toBe(1);
    expect(sim.leader).not.toBeNull();
    expect(ctx(sim, 1).log.map((e) => e.command)).toEqual([1, 2]);
    expect(sim.summary().violations).toEqual([]);
  });

  it('log matching, leader completeness and state machine safety hold under random faults with client requests', () => {
    const node = fc.integer({ min: 1, max: 5 });
    const t = fc.integer({ min: 0, max: 3000 });
    const action: fc.Arbitrary<Action> = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record({
          at: t,
          type: fc.constant('request' as const),
          command: fc.nat({ max: 99 }),
        }),
      },
      fc.record({
        at: t,
        type: fc.constantFrom('kill', 'restart', 'pause', 'resume', 'timeout'),
        node,
      }) as fc.Arbitrary<Action>,
      fc.record({
        at: t,
        type: fc.constant('partition' as const),
        groups: fc.array(fc.array(node, { maxLength: 3 }), { minLength: 1, maxLength: 2 }),
      }),
      fc.record({
        at: t,
        type: fc.constant('cut' as const),
        from: node,
        to: node,
        oneWay: fc.boolean(),
      }),
      fc.record({ at: t, type: fc.constant('healAll' as const) }),
    );
    fc.assert(
      fc.property(
        fc.array(action, { maxLength: 30 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 20 }),
        (actions, seed, loss) => {
          const sim = createSimulation(
            raftScenario({ nodes: 5, seed, loss: loss / 100, actions }),
            { keepTrace: false },
          );
          sim.runUntil(4000);
          expect(sim.summary().violations).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
