import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { Action } from '../scenario/schema';
import { ms } from '../sim/time';
import { raftScenario } from '../testing/scenarios';
import { faultScheduleArb } from '../testing/arbitraries';

const FAULT_WINDOW_MS = 2000;
const ELECTION_MAX_MS = 300;

const cluster = fc.integer({ min: 3, max: 7 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    loss: fc.integer({ min: 0, max: 300 }).map((p) => p / 1000),
    preVote: fc.boolean(),
    checkQuorum: fc.boolean(),
    faults: faultScheduleArb(
      Array.from({ length: n }, (_, i) => i + 1),
      FAULT_WINDOW_MS,
      25,
    ),
  }),
);

describe('Raft under random faults (property)', () => {
  it('never elects two leaders in one term, and elects one once faults stop and a majority is connected', () => {
    fc.assert(
      fc.property(cluster, ({ n, seed, loss, preVote, checkQuorum, faults }) => {
        // faults stop at the end of the window: heal the network, end the loss, wake every
        // node, and restart dead ones until a majority is alive
        const ids = Array.from({ length: n }, (_, i) => i + 1);
        const end = FAULT_WINDOW_MS + 1;
        const calm: Action[] = [
          { at: end, type: 'healAll' },
          { at: end, type: 'setLoss', loss: 0 },
          ...ids.map((node) => ({ at: end, type: 'resume' as const, node })),
        ];
        const sim = createSimulation(
          raftScenario({
            nodes: n,
            seed,
            loss,
            preVote,
            checkQuorum,
            actions: [...faults, ...calm],
          }),
          { keepTrace: false },
        );
        sim.runUntil(end);
        const majority = Math.floor(n / 2) + 1;
        const dead = sim
          .state()
          .nodes.filter((v) => !v.alive)
          .map((v) => v.id);
        const alive = n - dead.length;
        for (const id of dead.slice(0, Math.max(0, majority - alive)))
          sim.apply({ type: 'restart', node: id });

        const followedByMajority = () => {
          const L = sim.leader;
          if (L === null) return false;
          const nodes = sim.state().nodes;
          const term = sim.summaryOf(L).term;
          const following = nodes.filter(
            (v) => v.alive && !v.paused && v.term === term && (v.id === L || v.leader === L),
          ).length;
          return following >= majority;
        };
        const deadline = sim.now + ms(10 * ELECTION_MAX_MS);
        const elected = sim.runWhileNot(followedByMajority, deadline);

        const safety = sim.summary().violations.filter((v) => v.invariant === 'election-safety');
        expect(safety).toEqual([]);
        expect(elected).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
