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
});
