import { describe, expect, it } from 'vitest';
import { createSimulation } from './index';
import { narrate } from './narration';
import { at, cutLink, kill } from './sim/faults';
import { raftScenario } from './testing/scenarios';

describe('narration', () => {
  it('tells a Raft election in plain words', () => {
    const sim = createSimulation(raftScenario({ nodes: 5, seed: 2 }));
    sim.runUntil(400);
    const lines = sim.trace().map((r) => narrate(r, 'raft'));
    const first = sim.trace()[0];
    expect(lines[0]).toBe(
      `Node ${first.node}'s election timer fired: it becomes a candidate for term 1 and asks 4 peers for votes`,
    );
    expect(lines).toContain(
      `Node ${sim.trace()[1].node} votes for node ${first.node} in term 1 (its log is at least as up to date)`,
    );
    expect(lines.some((l) => /becomes the leader of term 1$/.test(l))).toBe(true);
    expect(
      lines.some((l) => /accepts a heartbeat from node \d, the leader of term 1/.test(l)),
    ).toBe(true);
  });

  it('says so when a candidate times out and tries again', () => {
    // equal timeouts: everyone stands at once, the vote splits, and the candidates retry
    const sim = createSimulation(raftScenario({ nodes: 3, seed: 1, electionTimeout: [150, 150] }));
    sim.runUntil(320);
    const retry = sim
      .trace()
      .find((r) => r.kind === 'timer' && r.before === 'candidate' && r.after === 'candidate');
    expect(retry).toBeDefined();
    expect(narrate(retry!, 'raft')).toBe(
      `Node ${retry!.node}'s election timer fired: still no leader, so it starts a new election for term 2 and asks 2 peers for votes`,
    );
  });

  it('says why a message was dropped, and narrates faults', () => {
    const sim = createSimulation(
      raftScenario({ nodes: 3, seed: 5, actions: [...at(0, kill(3)), ...at(0, cutLink(1, 2))] }),
    );
    sim.runUntil(500);
    const lines = sim.trace().map((r) => narrate(r, 'raft'));
    expect(lines).toContain('You crash node 3');
    expect(
      lines.some((l) =>
        /^RequestVote t1 from node \d to node 3 was dropped: the receiver is down$/.test(l),
      ),
    ).toBe(true);
    expect(lines.some((l) => /was dropped: the link is cut$/.test(l))).toBe(true);
  });

  it('narrates Bully, Ring and the lease story in their own words', () => {
    const bully = createSimulation({
      v: 1,
      algorithm: 'bully',
      nodes: [1, 2, 3].map((id) => ({ id })),
      network: { latency: { min: 10, max: 15 } },
      seed: 1,
      actions: at(500, kill(3)),
    });
    bully.runUntil(1500);
    const b = bully.trace().map((r) => narrate(r, 'bully'));
    expect(
      b.some((l) =>
        /hears no heartbeat from the coordinator in time: it holds an election/.test(l),
      ),
    ).toBe(true);
    expect(b.some((l) => /declares itself coordinator and tells/.test(l))).toBe(true);
    const ring = createSimulation({
      v: 1,
      algorithm: 'ring',
      nodes: [1, 2, 3].map((id) => ({ id })),
      network: { latency: { min: 10, max: 15 } },
      seed: 1,
    });
    ring.runUntil(500);
    expect(
      ring
        .trace()
        .map((r) => narrate(r, 'ring'))
        .some((l) =>
          /made it all the way round, and it is the highest, so it is the leader/.test(l),
        ),
    ).toBe(true);
    const lease = createSimulation({
      v: 1,
      algorithm: 'lease',
      nodes: [1, 2, 3].map((id) => ({ id })),
      network: { latency: { min: 5, max: 10 } },
      seed: 1,
    });
    lease.runUntil(1500);
    const l = lease.trace().map((r) => narrate(r, 'lease'));
    expect(
      l.some((x) =>
        /^The store \(node 1\) tells node 2 .*lowest create revision: it is the leader/.test(x),
      ),
    ).toBe(true);
    expect(
      l.some((x) =>
        /The payment service \(node 3\) charges customer 1 for period 1 \(token 1\) for node 2/.test(
          x,
        ),
      ),
    ).toBe(true);
  });
});
