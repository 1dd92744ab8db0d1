import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import { at, cutLink, healAll, kill, partition } from '../sim/faults';
import { ms } from '../sim/time';
import { raftScenario } from '../testing/scenarios';
import type { RaftContext } from './machine';

const ctx = (sim: ReturnType<typeof createSimulation>, id: number) =>
  sim.state().nodes.find((n) => n.id === id)!.context as RaftContext;

describe('Raft election, exact behaviour on small clusters', () => {
  it('the first node whose timer fires becomes candidate in term 1 and wins', () => {
    // the first seed whose two earliest timers are far enough apart for one clean round
    let seed = 1;
    let sim = createSimulation(raftScenario({ nodes: 3, seed }));
    const gap = () => {
      const due = sim
        .state()
        .nodes.map((n) => n.timers[0].due)
        .sort((a, b) => a - b);
      return due[1] - due[0];
    };
    while (gap() < ms(40)) sim = createSimulation(raftScenario({ nodes: 3, seed: ++seed }));
    const due = sim.state().nodes.map((n) => ({ id: n.id, due: n.timers[0].due }));
    const first = due.reduce((a, b) => (b.due < a.due ? b : a));

    const fired = sim.step()!;
    expect(fired).toMatchObject({
      kind: 'timer',
      node: first.id,
      t: first.due,
      before: 'follower',
      after: 'candidate',
      sent: 2,
    });
    expect(ctx(sim, first.id)).toMatchObject({ term: 1, votedFor: first.id, votes: [first.id] });

    // exactly: two RequestVotes arrive, two granted votes come back, the second is not needed
    const next = [sim.step()!, sim.step()!, sim.step()!];
    expect(next.map((r) => [r.kind, r.type, r.from])).toEqual([
      ['deliver', 'RequestVote', first.id],
      ['deliver', 'RequestVote', first.id],
      ['deliver', 'RequestVoteResponse', next[0].node],
    ]);
    expect(next[2]).toMatchObject({
      node: first.id,
      before: 'candidate',
      after: 'leader',
      sent: 2,
    });
    expect(sim.leader).toBe(first.id);
    expect(sim.summary().leaders).toEqual([{ timeMs: next[2].t / 1000, node: first.id, term: 1 }]);
    for (const n of sim.state().nodes) expect((n.context as RaftContext).term).toBe(1);
  });

  it('a leader that sees a higher term steps down', () => {
    const sim = createSimulation(raftScenario({ nodes: 5, seed: 3 }));
    sim.runUntil(1000);
    const old = sim.leader!;
    expect(old).not.toBeNull();
    const oldTerm = ctx(sim, old).term;
    const rest = [1, 2, 3, 4, 5].filter((id) => id !== old);
    sim.apply(partition([old], rest));
    sim.runUntil(2500);
    // the majority elected someone else in a higher term; the old leader still believes
    const fresh = sim.leader!;
    expect(fresh).not.toBe(old);
    expect(ctx(sim, fresh).term).toBeGreaterThan(oldTerm);
    expect(sim.summaryOf(old)).toMatchObject({ role: 'leader', term: oldTerm });

    sim.apply(healAll());
    sim.runUntil(3000);
    const stepDown = sim
      .trace()
      .find((r) => r.node === old && r.before === 'leader' && r.after === 'follower');
    expect(stepDown).toBeDefined();
    expect(stepDown!.kind).toBe('deliver');
    expect(sim.summaryOf(old).role).toBe('follower');
    expect(ctx(sim, old).term).toBe(ctx(sim, fresh).term);
    expect(sim.summary().violations).toEqual([]);
  });

  it('a one-node cluster is its own majority and leads after its first timeout', () => {
    const sim = createSimulation(raftScenario({ nodes: 1, seed: 3 }));
    const due = sim.state().nodes[0].timers[0].due;
    const rec = sim.step()!;
    expect(rec).toMatchObject({
      kind: 'timer',
      t: due,
      before: 'follower',
      after: 'leader',
      term: 1,
    });
    expect(sim.summary().leaders).toEqual([{ timeMs: due / 1000, node: 1, term: 1 }]);
  });

  it('a message to a dead node is dropped with reason "dead"', () => {
    const sim = createSimulation(raftScenario({ nodes: 3, seed: 5, actions: at(0, kill(3)) }));
    sim.runUntil(1000);
    const drops = sim.trace().filter((r) => r.kind === 'drop' && r.node === 3);
    expect(drops.length).toBeGreaterThan(0);
    expect(drops[0]).toMatchObject({ type: 'RequestVote', reason: 'dead' });
    expect(sim.summary().messages.dropped.dead).toBe(drops.length);
    // nodes 1 and 2 still form a majority of 3
    expect(sim.leader).not.toBeNull();
  });

  it('a message in flight across a link cut before delivery is dropped with reason "cut"', () => {
    const sim = createSimulation(raftScenario({ nodes: 3, seed: 5 }));
    const fired = sim.step()!;
    const candidate = fired.node;
    const victim = [1, 2, 3].find((id) => id !== candidate)!;
    // the RequestVote to `victim` is on the wire now; cutting the link must drop it
    const inFlight = sim.state().inFlight.find((m) => m.to === victim)!;
    expect(inFlight.deliverAt).toBeGreaterThan(sim.now);
    sim.apply(cutLink(candidate, victim));
    sim.runUntilTime(inFlight.deliverAt);
    const rec = sim.trace().find((r) => r.msg === inFlight.id)!;
    expect(rec).toMatchObject({
      kind: 'drop',
      reason: 'cut',
      node: victim,
      from: candidate,
      type: 'RequestVote',
    });
  });

  it('currentTerm and votedFor survive a restart, votes and leader do not', () => {
    const sim = createSimulation(raftScenario({ nodes: 3, seed: 5 }));
    sim.runUntil(1000);
    const id = sim.leader!;
    const before = ctx(sim, id);
    sim.apply({ type: 'restart', node: id });
    sim.step();
    const after = ctx(sim, id);
    expect(after).toMatchObject({
      term: before.term,
      votedFor: before.votedFor,
      log: before.log,
      votes: [],
      leader: null,
    });
    expect(sim.summaryOf(id).role).toBe('follower');
  });

  it('pre-vote keeps a rejoining node from bumping the cluster term', () => {
    for (const preVote of [false, true]) {
      const sim = createSimulation(raftScenario({ nodes: 5, seed: 11, preVote }));
      sim.runUntil(1000);
      const leader = sim.leader!;
      const loner = [1, 2, 3, 4, 5].find((id) => id !== leader)!;
      const others = [1, 2, 3, 4, 5].filter((id) => id !== loner);
      const term = ctx(sim, leader).term;
      sim.apply(partition([loner], others));
      sim.runUntil(3000);
      sim.apply(healAll());
      sim.runUntil(4000);
      const disrupted = ctx(sim, sim.leader!).term > term;
      expect(disrupted).toBe(!preVote);
    }
  });

  it('check-quorum makes an isolated leader step down by itself', () => {
    const sim = createSimulation(raftScenario({ nodes: 5, seed: 4, checkQuorum: true }));
    sim.runUntil(1000);
    const leader = sim.leader!;
    sim.apply(
      partition(
        [leader],
        [1, 2, 3, 4, 5].filter((id) => id !== leader),
      ),
    );
    sim.runUntilTime(sim.now + ms(700));
    expect(sim.summaryOf(leader).role).not.toBe('leader');
  });
});
