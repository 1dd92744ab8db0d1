/**
 * Paxos on small, fixed cases: exact message sequences (one latency for every link, so
 * the order is the schedule's), duelling proposers resolved by ballot, recovery of a value
 * a minority accepted, chosen values kept across a leader crash, and the acceptor's rules
 * on their own.
 */
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import type { Action, ScenarioInput } from '../scenario/schema';
import { at, cutLink, healAll, kill, restart, timeout } from '../sim/faults';
import type { PaxosContext } from './machine';
import { ballotOf, NO_BALLOT } from './messages';
import * as rules from './rules';
import { paxosPresets } from './presets';

const nodes = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1 }));
/** Every message takes exactly 10 ms; timers are long, so only forced timeouts start elections. */
const fixed = { latency: { min: 10, max: 10 }, loss: 0, fifo: false };
const slow = { electionTimeout: { min: 1000, max: 2000 } };

function run(
  n: number,
  actions: Action[],
  untilMs: number,
  params: Record<string, unknown> = slow,
) {
  const scenario: ScenarioInput = {
    v: 1,
    algorithm: 'paxos',
    params,
    nodes: nodes(n),
    network: fixed,
    seed: 7,
    actions,
  };
  const sim = createSimulation(scenario);
  sim.runUntil(untilMs);
  return sim;
}

/** "from->to label" of every delivered message, in order. */
const deliveries = (sim: ReturnType<typeof run>) =>
  sim
    .trace()
    .filter((r) => r.kind === 'deliver')
    .map((r) => `${r.from}->${r.node} ${r.label}`);

const ctx = (sim: ReturnType<typeof run>, id: number) =>
  sim.state().nodes.find((v) => v.id === id)!.context as PaxosContext;

const errors = (sim: ReturnType<typeof run>) =>
  sim.summary().violations.filter((v) => v.severity === 'error');

describe('Paxos: exact message sequences', () => {
  it('one proposer: Prepare, a majority of Promises, then Accept-free leadership and heartbeats', () => {
    const sim = run(3, at(10, timeout(1)), 45);
    expect(deliveries(sim)).toEqual([
      '1->2 Prepare b1.1',
      '1->3 Prepare b1.1',
      '2->1 Promise b1.1',
      '3->1 Promise b1.1',
      '1->2 Heartbeat b1.1',
      '1->3 Heartbeat b1.1',
    ]);
    expect(sim.summary().leaders).toEqual([{ timeMs: 30, node: 1, term: ballotOf(1, 1) }]);
    expect(sim.summaryOf(2)).toMatchObject({ role: 'follower', leader: 1, term: ballotOf(1, 1) });
  });

  it('two proposers with the same round resolve by id: ballot 1.3 beats 1.1, which is refused', () => {
    const sim = run(3, at(10, timeout(1), timeout(3)), 45);
    expect(deliveries(sim)).toEqual([
      '1->2 Prepare b1.1',
      '1->3 Prepare b1.1',
      '3->1 Prepare b1.3',
      '3->2 Prepare b1.3',
      // node 2 promised 1.1 first and then the higher 1.3; node 3 refuses the lower ballot;
      // node 1 promises 1.3 and gives up its own campaign
      '2->1 Promise b1.1',
      '3->1 Nack b1.1 < b1.3',
      '1->3 Promise b1.3',
      '2->3 Promise b1.3',
      '3->1 Heartbeat b1.3',
      '3->2 Heartbeat b1.3',
    ]);
    expect(sim.summary().leaders).toEqual([{ timeMs: 30, node: 3, term: ballotOf(1, 3) }]);
    expect(sim.summaryOf(1)).toMatchObject({ role: 'follower', leader: 3, term: ballotOf(1, 3) });
    expect(ctx(sim, 1).ballot).toBe(NO_BALLOT);
    expect(errors(sim)).toEqual([]);
  });

  it('a leader whose ballot was superseded is refused with a Nack and steps down', () => {
    // node 3 cannot reach node 1 (one way): node 1 leads ballot 1.1 with node 2's promise;
    // node 3 then proposes a higher round, node 2 promises it, and node 1's next
    // heartbeat to node 2 is refused
    const actions: Action[] = [
      ...at(0, cutLink(3, 1, true)),
      ...at(10, timeout(1)),
      ...at(50, timeout(3)),
    ];
    const sim = run(3, actions, 200, { ...slow, heartbeat: 100 });
    expect(deliveries(sim)).toEqual([
      '1->2 Prepare b1.1',
      '1->3 Prepare b1.1',
      '2->1 Promise b1.1',
      '1->2 Heartbeat b1.1',
      '1->3 Heartbeat b1.1',
      '3->2 Prepare b2.3',
      '2->3 Promise b2.3',
      '3->2 Heartbeat b2.3',
      '1->2 Heartbeat b1.1',
      '1->3 Heartbeat b1.1',
      '2->1 Nack b1.1 < b2.3',
      '3->2 Heartbeat b2.3',
    ]);
    expect(sim.summary().leaders.map((l) => [l.node, l.term])).toEqual([
      [1, ballotOf(1, 1)],
      [3, ballotOf(2, 3)],
    ]);
    expect(sim.summaryOf(1)).toMatchObject({ role: 'follower', leader: null });
    expect(ctx(sim, 1).round).toBe(2);
    expect(errors(sim)).toEqual([]);
  });

  it('a client value: Accept to all, Accepted from a majority, then Decide', () => {
    const sim = run(3, [...at(10, timeout(1)), { at: 40, type: 'request', command: 42 }], 75);
    expect(deliveries(sim).slice(6)).toEqual([
      '1->2 Accept b1.1 s1=42',
      '1->3 Accept b1.1 s1=42',
      '2->1 Accepted b1.1 ×1',
      '3->1 Accepted b1.1 ×1',
      '1->2 Decide s1=42',
      '1->3 Decide s1=42',
    ]);
    for (const id of [1, 2, 3]) expect(ctx(sim, id).chosen).toEqual([42]);
  });
});

describe('Paxos: leader leases', () => {
  const leased = { ...slow, heartbeat: 50, leaseMs: 120 };
  const actions = [...at(10, timeout(1)), ...at(200, timeout(3))];

  it('with a lease, acceptors refuse a proposer that times out under a live leader', () => {
    const sim = run(3, actions, 320, leased);
    const seq = deliveries(sim);
    expect(seq).toContain('2->3 Nack b2.3 < b1.1');
    expect(seq).toContain('1->3 Nack b2.3 < b1.1');
    expect(seq).not.toContain('2->3 Promise b2.3');
    // the refused proposer still holds its own promise of 2.3 and refuses the leader's
    // next heartbeat; the leader runs phase 1 again in round 3, which node 2 (under its
    // lease) and node 3 (below 3.1) promise: it keeps its place
    expect(seq).toContain('3->1 Nack b1.1 < b2.3');
    expect(seq).toContain('2->1 Promise b3.1');
    expect(sim.summary().leaders.map((l) => [l.node, l.term])).toEqual([
      [1, ballotOf(1, 1)],
      [null, undefined],
      [1, ballotOf(3, 1)],
    ]);
    expect(sim.summaryOf(3)).toMatchObject({ role: 'follower', leader: 1 });
    expect(errors(sim)).toEqual([]);
  });

  it('without one, the same proposer deposes the leader', () => {
    const sim = run(3, actions, 260, { ...leased, leaseMs: 0 });
    expect(sim.summary().leaders.map((l) => l.node)).toEqual([1, null, 3]);
    expect(sim.summaryOf(1)).toMatchObject({ role: 'follower', leader: 3 });
  });

  it('once the leader is gone, its lease runs out and the next proposer wins', () => {
    const sim = run(3, [...actions, ...at(400, kill(1)), ...at(600, timeout(3))], 700, leased);
    expect(sim.summary().leaders.map((l) => l.node)).toEqual([1, null, 1, null, 3]);
    expect(sim.summaryOf(2)).toMatchObject({ role: 'follower', leader: 3 });
  });
});

describe('Paxos: recovery', () => {
  it('a value only a minority accepted before the leader died is recovered in phase 1 and chosen', () => {
    // 5 nodes; node 1 leads; its Accept of 9 reaches only node 2 (a minority: 1 and 2)
    const actions: Action[] = [
      ...at(10, timeout(1)),
      ...at(100, cutLink(1, 3, true), cutLink(1, 4, true), cutLink(1, 5, true)),
      { at: 110, type: 'request', command: 9, node: 1 },
      ...at(200, kill(1)),
      // node 3 campaigns; it cannot reach node 4, so its majority (3 of 5) must include
      // node 2, the acceptor that holds 9
      ...at(200, cutLink(3, 4)),
      ...at(210, timeout(3)),
      ...at(400, healAll()),
    ];
    const sim = run(5, actions, 1000);
    const accepted = (id: number) => ctx(sim, id).accepted[0];
    // before the crash, only nodes 1 and 2 hold 9; 3, 4 and 5 hold nothing
    const byNode = sim
      .trace()
      .filter((r) => r.kind === 'deliver' && r.label?.startsWith('Accept '));
    expect(byNode.filter((r) => r.t < 200_000).map((r) => r.node)).toEqual([2]);
    expect(sim.summary().leaders.map((l) => l.node)).toEqual([1, null, 3]);
    // node 3 leads ballot 2.3, above the 1.1 it promised, and proposes the recovered 9
    const leaderCtx = ctx(sim, 3);
    expect(leaderCtx.proposals).toEqual([9]);
    // the phase-1 majority {2, 3, 5} accepts it in the new ballot: it is chosen; node 4,
    // cut off until 400 ms, learns it from a heartbeat after the heal
    for (const id of [2, 3, 5])
      expect(accepted(id)).toEqual({ ballot: leaderCtx.ballot, value: 9 });
    expect(accepted(4)).toBeUndefined();
    for (const id of [2, 3, 4, 5]) expect(ctx(sim, id).chosen).toEqual([9]);
    expect(errors(sim)).toEqual([]);
  });

  it('values chosen before the leader crashes are kept by the next leader and the restarted node', () => {
    const p = paxosPresets.find((x) => x.name === 'paxos-leader-crash')!;
    const sim = createSimulation(p.scenario);
    sim.runUntil(3500);
    const leaders = sim
      .summary()
      .leaders.filter((l) => l.node !== null)
      .map((l) => l.node);
    expect(leaders.length).toBe(2);
    expect(leaders[0]).not.toBe(leaders[1]);
    for (const v of sim.state().nodes) {
      const c = v.context as PaxosContext;
      expect(c.chosen, `node ${v.id}`).toEqual([7, 8]);
      expect(c.accepted.map((a) => a?.value)).toEqual([7, 8]);
    }
    expect(errors(sim)).toEqual([]);
  });

  it('the promise and accepted values survive a crash; the proposer round too', () => {
    const sim = run(3, [...at(10, timeout(1)), ...at(40, { type: 'request', command: 5 })], 100);
    const before = ctx(sim, 2);
    sim.apply(kill(2));
    sim.apply(restart(2));
    const after = ctx(sim, 2);
    expect(after.promised).toBe(before.promised);
    expect(after.round).toBe(before.round);
    expect(after.accepted).toEqual([{ ballot: ballotOf(1, 1), value: 5 }]);
    expect(errors(sim)).toEqual([]);
  });
});

describe('Paxos: the acceptor rules', () => {
  const base = {
    id: 2,
    round: 1,
    promised: ballotOf(1, 3),
    accepted: [],
    leader: null,
    leased: false,
    ballot: NO_BALLOT,
    chosen: [],
  };
  it('promises a ballot at least as high as its promise, and no lower one', () => {
    expect(rules.promises(base, { type: 'Prepare', from: 4, ballot: ballotOf(1, 4) })).toBe(true);
    expect(rules.promises(base, { type: 'Prepare', from: 3, ballot: ballotOf(1, 3) })).toBe(true);
    expect(rules.promises(base, { type: 'Prepare', from: 1, ballot: ballotOf(1, 1) })).toBe(false);
    expect(rules.accepts(base, { ballot: ballotOf(1, 1) })).toBe(false);
    expect(rules.accepts(base, { ballot: ballotOf(2, 1) })).toBe(true);
  });
  it('a lease refuses other proposers, whatever their ballot', () => {
    const leased = { ...base, leader: 3, leased: true };
    expect(rules.promises(leased, { type: 'Prepare', from: 4, ballot: ballotOf(5, 4) })).toBe(
      false,
    );
    expect(rules.promises(leased, { type: 'Prepare', from: 3, ballot: ballotOf(2, 3) })).toBe(true);
  });
  it('ballots compare round first, then id; a new round is above everything seen', () => {
    expect(ballotOf(1, 999)).toBeLessThan(ballotOf(2, 1));
    expect(ballotOf(1, 2)).toBeLessThan(ballotOf(1, 3));
    expect(rules.nextRound({ ...base, round: 1, promised: ballotOf(4, 3) })).toBe(5);
  });
  it('recovery keeps, per slot, the value of the highest ballot', () => {
    const merged = rules.mergeAccepted(
      [{ ballot: ballotOf(1, 1), value: 1 }, null],
      [
        { ballot: ballotOf(2, 3), value: 2 },
        { ballot: ballotOf(1, 1), value: 3 },
      ],
    );
    expect(merged).toEqual([
      { ballot: ballotOf(2, 3), value: 2 },
      { ballot: ballotOf(1, 1), value: 3 },
    ]);
  });
});
