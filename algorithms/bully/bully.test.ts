import { describe, expect, it } from 'vitest';
import { createSimulation, faults } from '../index';
import { countElection, countingSimulation } from '../experiments/messages';
import { checkAgreement } from '../invariants/agreement';
import { narrate } from '../narration';
import { ms } from '../sim/time';
import { parseScenario } from '../scenario/parse';
import type { NetworkTiming } from '../sim/types';
import {
  bullyDefaults,
  bullyParamsSchema,
  bullyTiming,
  bullyTimingWarnings,
  resolveBullyParams,
} from './model';
import { adoptsHeartbeat, challengesHeartbeat, messageBound, worstCase } from './rules';

const ids = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const net = (min: number, max: number): NetworkTiming => ({
  latency: { min, max },
  loss: 0,
  duplicate: 0,
});

/** ids 1..n, fixed 10 ms latency, no loss, failure detection only on demand. */
const counting = (n: number) =>
  countingSimulation(
    { algorithm: 'bully', nodes: n, initiators: 'all', trials: 1, seed: 1 },
    ids(n),
    7,
  );

describe('Bully: exact message counts (loss-free, fixed latency)', () => {
  for (const n of [5, 8]) {
    it(`n = ${n}: the top id crashes, the second-highest detects it (best case: n - 1)`, () => {
      const sim = counting(n);
      const c = countElection(sim, n, [n - 1]);
      // one ELECTION to the dead top goes unanswered, then COORDINATOR to the n - 2 others
      expect(c.byType).toEqual({ ELECTION: 1, COORDINATOR: n - 2 });
      expect(c.total).toBe(n - 1);
      expect(sim.leader).toBe(n - 1);
    });

    it(`n = ${n}: the top id crashes, the lowest detects it (worst case: n² - n - 1)`, () => {
      const sim = counting(n);
      const c = countElection(sim, n, [1]);
      // node 1 and, in turn, every node it reaches hold an election: each of 1..n-1 sends
      // ELECTION to every higher id (n(n-1)/2), every alive receiver answers
      // ((n-1)(n-2)/2), and n - 1 sends COORDINATOR to the n - 2 below it
      expect(c.byType).toEqual({
        ELECTION: (n * (n - 1)) / 2,
        ANSWER: ((n - 1) * (n - 2)) / 2,
        COORDINATOR: n - 2,
      });
      expect(c.total).toBe(n * n - n - 1);
      expect(worstCase(ids(n), ids(n - 1)).total).toBe(n * n - n - 1);
      expect(sim.leader).toBe(n - 1);
    });
  }

  it('pins the numbers: n = 5 costs 4 and 19 messages, n = 8 costs 7 and 55', () => {
    expect(countElection(counting(5), 5, [4]).total).toBe(4);
    expect(countElection(counting(5), 5, [1]).total).toBe(19);
    expect(countElection(counting(8), 8, [7]).total).toBe(7);
    expect(countElection(counting(8), 8, [1]).total).toBe(55);
  });
});

/** ids 1..5 on a fast network (5-15 ms). */
const scenario = (extra: object = {}) => ({
  v: 1 as const,
  algorithm: 'bully' as const,
  nodes: ids(5).map((id) => ({ id })),
  network: { latency: { min: 5, max: 15 } },
  seed: 3,
  ...extra,
});

describe('Bully: behaviour', () => {
  it('elects the highest id at boot without any user action', () => {
    const sim = createSimulation(scenario());
    sim.runUntil(300);
    expect(sim.leader).toBe(5);
    expect(checkAgreement(sim).ok).toBe(true);
    expect(sim.summary().violations).toEqual([]);
  });

  it('a follower that misses heartbeats holds an election; a restarted top id bullies its way back', () => {
    const sim = createSimulation(scenario());
    sim.runUntil(300);
    sim.apply(faults.kill(5));
    sim.runUntil(1000);
    expect(sim.leader).toBe(4);
    expect(checkAgreement(sim).ok).toBe(true);
    sim.apply(faults.restart(5));
    sim.runUntil(1300);
    expect(sim.leader).toBe(5);
    expect(sim.summaryOf(4)).toMatchObject({ role: 'follower', leader: 5 });
    expect(checkAgreement(sim).ok).toBe(true);
  });

  it('a user timeout on a follower while the top id lives only re-confirms it', () => {
    const sim = createSimulation(scenario());
    sim.runUntil(300);
    sim.apply(faults.timeout(2));
    sim.runUntil(600);
    expect(sim.leader).toBe(5);
    expect(checkAgreement(sim).ok).toBe(true);
    expect(sim.leaderChanges().map((l) => l.node)).toEqual([5]);
  });

  it('a lone node elects itself after its answer timeout', () => {
    const sim = createSimulation({ ...scenario(), nodes: [{ id: 9 }] });
    sim.runUntil(10);
    expect(sim.leader).toBe(9);
  });

  it('reports split brain under a partition and converges to one coordinator after heal', () => {
    const sim = createSimulation(
      scenario({
        actions: [
          {
            at: 500,
            type: 'partition',
            groups: [
              [1, 2, 3],
              [4, 5],
            ],
          },
          { at: 2000, type: 'healAll' },
        ],
      }),
    );
    sim.runUntil(1990);
    // each side has its own coordinator: 3 on the minority side, 5 still on the other
    expect(sim.summaryOf(3).role).toBe('leader');
    expect(sim.summaryOf(5).role).toBe('leader');
    expect([1, 2].map((id) => sim.summaryOf(id).leader)).toEqual([3, 3]);
    expect(sim.summaryOf(4).leader).toBe(5);
    expect(checkAgreement(sim).ok).toBe(true); // per component, both sides agree
    const split = sim.violations().filter((v) => v.invariant === 'split-brain');
    expect(split).toHaveLength(1);
    expect(split[0]).toMatchObject({ severity: 'warning', nodes: [3, 5] });
    expect(split[0].until).toBeUndefined();
    expect(split[0].t).toBeGreaterThan(ms(500));

    sim.runUntil(2500);
    expect(sim.leader).toBe(5);
    expect(ids(5).filter((id) => sim.summaryOf(id).role === 'leader')).toEqual([5]);
    expect(checkAgreement(sim).ok).toBe(true);
    const closed = sim.violations().filter((v) => v.invariant === 'split-brain');
    expect(closed).toHaveLength(1);
    // the higher coordinator's first heartbeat after the heal ends it
    expect(closed[0].until).toBeGreaterThan(ms(2000));
    expect(closed[0].until).toBeLessThan(ms(2000 + 100 + 15 + 1));
    expect(sim.violations().filter((v) => v.severity === 'error')).toEqual([]);
  });
});

describe('Bully: rules and params', () => {
  it('adopts a heartbeat only from a node above both itself and its coordinator', () => {
    expect(adoptsHeartbeat({ id: 2, leader: 4 }, 5)).toBe(true);
    expect(adoptsHeartbeat({ id: 2, leader: 5 }, 4)).toBe(false);
    expect(adoptsHeartbeat({ id: 2, leader: null }, 3)).toBe(true);
    expect(adoptsHeartbeat({ id: 4, leader: 5 }, 3)).toBe(false);
  });

  it('challenges a lower claimant unless its own coordinator outranks it', () => {
    expect(challengesHeartbeat({ id: 4, leader: 5 }, 3)).toBe(false);
    expect(challengesHeartbeat({ id: 4, leader: null }, 3)).toBe(true);
    expect(challengesHeartbeat({ id: 4, leader: 2 }, 3)).toBe(true);
    expect(challengesHeartbeat({ id: 2, leader: 5 }, 3)).toBe(false);
  });

  it('leaves the timeouts unset for the network to fill, and rejects unknown params', () => {
    expect(bullyParamsSchema.parse({})).toEqual({ heartbeat: 100 });
    expect(bullyParamsSchema.safeParse({ answerTimout: 5 }).success).toBe(false);
    expect(bullyParamsSchema.safeParse({ heartbeat: 0 }).success).toBe(false);
  });

  it('derives the timeouts from the worst latency, never below the classic values', () => {
    // fast networks (every preset and lesson) keep the classic values and traces
    expect(bullyDefaults).toEqual({
      heartbeat: 100,
      failureTimeout: 350,
      answerTimeout: 50,
      coordinatorTimeout: 150,
    });
    expect(bullyTiming(net(1, 20))).toEqual(bullyDefaults);
    // the app's default network: a round trip of up to 120 ms
    expect(bullyTiming(net(30, 60))).toEqual({
      heartbeat: 100,
      failureTimeout: 420,
      answerTimeout: 130,
      coordinatorTimeout: 260,
    });
    expect(bullyTiming(net(1, 300))).toEqual({
      heartbeat: 100,
      failureTimeout: 900,
      answerTimeout: 610,
      coordinatorTimeout: 1220,
    });
    // explicit values stay; the ones that depend on them follow
    expect(resolveBullyParams({ heartbeat: 200, answerTimeout: 500 }, net(30, 60))).toEqual({
      heartbeat: 200,
      failureTimeout: 720,
      answerTimeout: 500,
      coordinatorTimeout: 630,
    });
    expect(
      parseScenario({
        v: 1,
        algorithm: 'bully',
        params: { coordinatorTimeout: 999 },
        nodes: [{ id: 1 }],
        network: { latency: { min: 30, max: 60 } },
        seed: 1,
      }).params,
    ).toEqual({ heartbeat: 100, failureTimeout: 420, answerTimeout: 130, coordinatorTimeout: 999 });
  });

  it('warns about each explicit timeout that breaks the timing assumptions, and only then', () => {
    for (const [min, max] of [
      [1, 1],
      [10, 15],
      [30, 60],
      [1, 300],
    ])
      expect(bullyTimingWarnings(bullyTiming(net(min, max)), net(min, max))).toEqual([]);
    const slow = net(30, 60);
    expect(bullyTimingWarnings(bullyDefaults, slow)).toEqual([
      'answer timeout 50 ms ≤ round trip up to 120 ms: expect false coordinators (split brain) while answers are in flight',
      "coordinator timeout 150 ms ≤ answer timeout + round trip (170 ms): expect repeated elections while the winner's COORDINATOR is on its way",
    ]);
    expect(bullyTimingWarnings({ ...bullyTiming(slow), failureTimeout: 150 }, slow)).toEqual([
      'failure timeout 150 ms ≤ heartbeat + worst latency (160 ms): expect false failure detection',
    ]);
    // the CLI and the app read them from the simulation
    const sim = createSimulation({
      ...scenario({ params: { answerTimeout: 50 } }),
      network: { latency: { min: 30, max: 60 } },
    });
    expect(sim.summary().warnings).toHaveLength(1);
    expect(sim.summary().warnings[0]).toMatch(/^answer timeout 50 ms/);
  });
});

/** The non-heartbeat messages delivered or dropped from `fromMs` on, one line each. */
function electionLog(sim: ReturnType<typeof createSimulation>, fromMs: number): string[] {
  return sim
    .trace()
    .filter(
      (r) =>
        r.t >= ms(fromMs) && (r.kind === 'deliver' || r.kind === 'drop') && r.type !== 'HEARTBEAT',
    )
    .map(
      (r) =>
        `${r.t / 1000} ${r.from}→${r.node} ${r.label}${r.kind === 'drop' ? ` (dropped: ${r.reason})` : ''}`,
    );
}

describe("Bully on the app's default network (30-60 ms one way)", () => {
  it('boot, then kill 5 at 3 s: 5 leads, then 4, no split brain, 350 messages in 8 s', () => {
    // With the classic 50 ms answer timeout (below the 120 ms round trip) node 1 declared
    // itself coordinator at 50 ms while OK answers were in flight: split brain at boot and
    // four coordinators after the crash. The timeouts now follow the network.
    const sim = createSimulation(
      {
        v: 1,
        algorithm: 'bully',
        params: {},
        nodes: ids(5).map((id) => ({ id })),
        network: { latency: { min: 30, max: 60 }, loss: 0, fifo: false },
        seed: 2,
        actions: [{ at: 3000, type: 'kill', node: 5 }],
      },
      { keepTrace: false },
    );
    expect(sim.params).toEqual({
      heartbeat: 100,
      failureTimeout: 420,
      answerTimeout: 130,
      coordinatorTimeout: 260,
    });
    sim.runUntil(3000);
    const boot = { ...sim.counters().sentByType };
    sim.runUntil(8000);
    const s = sim.summary();
    expect(s.leaders.map((l) => l.node)).toEqual([5, null, 4]);
    expect(s.violations).toEqual([]);
    expect(s.warnings).toEqual([]);
    // boot: everyone holds an election and 5 wins at once, so some lower nodes hear an
    // ELECTION only after they follow 5 and hold a second one (textbook Bully)
    expect(boot).toEqual({ ELECTION: 14, ANSWER: 14, COORDINATOR: 11, HEARTBEAT: 120 });
    // after the crash: one election per node, within messageBound(5) = 25
    const after = sim.counters().sentByType;
    const election = ['ELECTION', 'ANSWER', 'COORDINATOR'].map((t) => after[t] - boot[t]);
    expect(election).toEqual([10, 6, 3]);
    expect(election[0] + election[1] + election[2]).toBeLessThanOrEqual(messageBound(5));
    expect(s.messages.sent).toBe(350);
    expect(s.messages.sent).toBeLessThanOrEqual(400);
  });

  it('three nodes, 10 ms fixed latency: the exact messages of the election after 3 crashes', () => {
    const sim = createSimulation({
      v: 1,
      algorithm: 'bully',
      params: {},
      nodes: ids(3).map((id) => ({ id })),
      network: { latency: { min: 10, max: 10 } },
      seed: 1,
      actions: [{ at: 1000, type: 'kill', node: 3 }],
    });
    sim.runUntil(3000);
    // 1 and 2 miss the same heartbeats and detect the crash together at 1360 (last
    // heartbeat at 1010 + 350); 2 answers 1, hears nothing from 3 within 50 ms and leads
    expect(electionLog(sim, 1000)).toEqual([
      '1370 1→2 Election',
      '1370 1→3 Election (dropped: dead)',
      '1370 2→3 Election (dropped: dead)',
      '1380 2→1 Answer (OK)',
      '1420 2→1 Coordinator',
    ]);
    expect(sim.summary().leaders).toEqual([
      { timeMs: 0, node: 3 },
      { timeMs: 1000, node: null },
      { timeMs: 1410, node: 2 },
    ]);
    // the log names each message's sender once
    const lines = sim
      .trace()
      .filter((r) => r.t >= ms(1000) && r.kind === 'drop' && r.type !== 'HEARTBEAT')
      .map((r) => narrate(r, 'bully'));
    expect(lines).toEqual([
      'Election from node 1 to node 3 was dropped: the receiver is down',
      'Election from node 2 to node 3 was dropped: the receiver is down',
    ]);
  });
});

describe('Bully: duplicates and timeouts that are too short', () => {
  const run = (params: object, duplicate?: number) => {
    const sim = createSimulation(
      {
        v: 1,
        algorithm: 'bully',
        params,
        nodes: ids(5).map((id) => ({ id })),
        network: { latency: { min: 30, max: 60 }, loss: 0, fifo: false, duplicate },
        seed: 2,
        actions: [{ at: 3000, type: 'kill', node: 5 }],
      },
      { keepTrace: false },
    );
    sim.runUntil(8000);
    return sim;
  };

  it('a duplicated ELECTION is answered once and starts nothing: every message sent twice', () => {
    const sim = run({}, 1);
    const s = sim.summary();
    expect(s.leaders.map((l) => l.node)).toEqual([5, null, 4]);
    expect(s.violations).toEqual([]);
    const sent = sim.counters().sentByType;
    // the network sends every message twice; each ELECTION is answered once, so the
    // answers (counted twice) cannot outnumber the elections (counted twice)
    expect(sent.ANSWER).toBeLessThanOrEqual(sent.ELECTION);
    expect(sent).toEqual({ ELECTION: 58, ANSWER: 50, COORDINATOR: 32, HEARTBEAT: 592 });
  });

  it('an explicit answer timeout below the round trip: a warning, false coordinators for a moment, no storm', () => {
    const sim = run({ answerTimeout: 20 });
    const s = sim.summary();
    expect(s.warnings[0]).toMatch(/^answer timeout 20 ms ≤ round trip up to 120 ms/);
    // candidates declare themselves while OK answers are in flight, then step down when
    // the higher coordinator's COORDINATOR or heartbeat arrives
    expect(s.violations.length).toBeGreaterThan(0);
    expect(
      s.violations.every((v) => v.invariant === 'split-brain' && v.untilMs !== undefined),
    ).toBe(true);
    expect(sim.leader).toBe(4);
    expect(checkAgreement(sim).ok).toBe(true);
    expect(s.messages.sent).toBeLessThanOrEqual(400);
  });
});
