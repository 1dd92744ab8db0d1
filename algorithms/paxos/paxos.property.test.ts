/**
 * Paxos on every network a user can pick (latency 1-300 ms one way, loss up to 30%,
 * duplicates on or off), 1-6 nodes, with the timing left to its network-derived defaults,
 * random fault schedules (kill, restart, pause, resume, forced timeouts, cuts, partitions,
 * loss) and client requests, with and without leader leases. Safety is checked after every
 * event by the invariant monitor: at most one leader per ballot (the engine's per-term
 * check: the summary's term is the ballot), chosen values never change, learners learn
 * only chosen values, a new leader proposes every chosen value, acceptors never lose a
 * promise or an accepted value. Besides, the test compares every node's chosen values
 * with every other's at the end. Once the faults stop (the network heals, loss ends,
 * paused nodes resume, dead ones restart until a majority is alive) there must be one
 * leader every alive node follows within ELECTION_ROUNDS rounds, and a command it is then
 * given must be chosen on a majority.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { Action } from '../scenario/schema';
import { faultScheduleArb } from '../testing/arbitraries';
import { ms } from '../sim/time';
import type { PaxosContext } from './machine';
import { paxosTiming } from './model';

/**
 * Rounds allowed for one leader to emerge once faults stop: randomised timeouts make
 * duels short, but a bound with a margin, not a certainty.
 */
const ELECTION_ROUNDS = 10;
/** The fault window, in maximum election timeouts. */
const WINDOW_TIMEOUTS = 4;

const networkArb = fc.integer({ min: 1, max: 300 }).chain((max) =>
  fc.record({
    latency: fc.integer({ min: 1, max }).map((min) => ({ min, max })),
    loss: fc.integer({ min: 0, max: 300 }).map((p) => p / 1000),
    duplicate: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 1, max: 300 }).map((p) => p / 1000),
    ),
  }),
);

const caseArb = fc
  .record({
    n: fc.integer({ min: 1, max: 6 }),
    network: networkArb,
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    lease: fc.boolean(),
  })
  .chain((c) => {
    const ids = Array.from({ length: c.n }, (_, i) => i + 1);
    const windowMs = WINDOW_TIMEOUTS * paxosTiming(c.network).electionTimeout.max;
    const request = fc.record({
      at: fc.integer({ min: 0, max: windowMs }),
      node: fc.option(fc.constantFrom(...ids), { nil: undefined, freq: 4 }),
    });
    return fc
      .tuple(faultScheduleArb(ids, windowMs, 16), fc.array(request, { maxLength: 10 }))
      .map(([faults, requests]) => ({ ...c, windowMs, faults, requests }));
  });

describe('Paxos on every network (property)', () => {
  it('stays safe under faults, then elects one leader everyone follows and chooses its values', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const ids = Array.from({ length: c.n }, (_, i) => i + 1);
        const end = c.windowMs + 1;
        const timing = paxosTiming(c.network);
        // distinct commands, so that a changed chosen value is a real difference
        const requests: Action[] = c.requests.map((r, i) => ({
          at: r.at,
          type: 'request',
          command: i + 1,
          ...(r.node === undefined ? {} : { node: r.node }),
        }));
        const calm: Action[] = [
          { at: end, type: 'healAll' },
          { at: end, type: 'setLoss', loss: 0 },
          ...ids.map((node) => ({ at: end, type: 'resume' as const, node })),
        ];
        const sim = createSimulation(
          {
            v: 1,
            algorithm: 'paxos',
            // a lease between one heartbeat (plus jitter) and the election timeout
            params: c.lease ? { leaseMs: Math.floor((timing.electionTimeout.min * 3) / 4) } : {},
            nodes: ids.map((id) => ({ id })),
            network: { ...c.network, fifo: false },
            seed: c.seed,
            actions: [...c.faults, ...requests, ...calm],
          },
          { keepTrace: false },
        );
        sim.runUntil(end);
        const majority = Math.floor(c.n / 2) + 1;
        const dead = sim
          .state()
          .nodes.filter((v) => !v.alive)
          .map((v) => v.id);
        for (const id of dead.slice(0, Math.max(0, majority - (c.n - dead.length))))
          sim.apply({ type: 'restart', node: id });

        const lmax = c.network.latency.max;
        const round = timing.electionTimeout.max + 3 * lmax;
        // the faulty period's timers, leases and messages are over after this
        sim.runUntilTime(ms(end + timing.electionTimeout.max + 2 * lmax));
        const settled = () => {
          const L = sim.leader;
          if (L === null) return false;
          for (const v of sim.state().nodes) {
            if (!v.alive) continue;
            if (v.id === L ? v.role !== 'leader' : v.role === 'leader' || v.leader !== L)
              return false;
          }
          return true;
        };
        const elected = sim.runWhileNot(settled, sim.now + ms(ELECTION_ROUNDS * round));
        const errors = () => sim.summary().violations.filter((v) => v.severity === 'error');
        expect(errors()).toEqual([]);
        expect(elected, `no single leader followed by all within ${ELECTION_ROUNDS} rounds`).toBe(
          true,
        );

        // the leader keeps its place; a new command is chosen and learned by a majority
        const leader = sim.leader!;
        const ballot = sim.summaryOf(leader).term;
        sim.apply({ type: 'request', command: 1000, node: leader });
        sim.runUntilTime(sim.now + ms(3 * timing.heartbeat + 4 * lmax));
        expect(sim.leader).toBe(leader);
        expect(sim.summaryOf(leader)).toMatchObject({ role: 'leader', term: ballot });
        const contexts = sim.state().nodes.map((v) => v.context as PaxosContext);
        const own = contexts[ids.indexOf(leader)];
        const slot = own.proposals.lastIndexOf(1000);
        expect(slot).toBeGreaterThanOrEqual(0);
        expect(own.chosen[slot]).toBe(1000);
        // every node's chosen values agree with every other's, slot by slot
        for (const a of contexts)
          for (const b of contexts)
            a.chosen.forEach((v, i) => {
              if (v !== null && (b.chosen[i] ?? null) !== null) expect(b.chosen[i]).toBe(v);
            });
        expect(errors()).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
