/** The Paxos lesson tells what happens: who leads which ballot, and when. */
import { describe, expect, it } from 'vitest';
import { createSimulation, narrate } from '../index';
import { ballotOf } from './messages';
import { paxosLessons } from './lessons';

describe('Paxos lessons', () => {
  it('duelling proposers: 1.5 beats 1.2, then 2.1 deposes 1.5', () => {
    const l = paxosLessons.find((x) => x.name === 'lesson-paxos-duelling')!;
    const sim = createSimulation(l.scenario);
    sim.runUntil(l.until);
    expect(sim.summary().leaders.map((x) => [x.node, x.term])).toEqual([
      [5, ballotOf(1, 5)],
      // between node 5 stepping down and node 1 winning, nobody leads
      [null, undefined],
      [1, ballotOf(2, 1)],
    ]);
    const lines = sim.trace().map((r) => narrate(r, 'paxos'));
    expect(lines).toContain("Node 3 refuses node 2's Prepare b1.2: it promised ballot 1.5");
    expect(lines).toContain(
      "Node 2 promises node 5's ballot 1.5 and gives up its own, which was lower, reporting the values it has accepted",
    );
    expect(sim.summary().violations).toEqual([]);
  });
});
