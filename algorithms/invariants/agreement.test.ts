import { describe, expect, it } from 'vitest';
import { createSimulation, faults } from '../index';
import { checkAgreement, components, recordAgreement, settleAndCheck } from './agreement';

const bully = (actions: object[] = []) =>
  createSimulation({
    v: 1,
    algorithm: 'bully',
    nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
    network: { latency: { min: 5, max: 15 } },
    seed: 1,
    actions,
  });

describe('agreement invariant', () => {
  it('holds once a leader is settled, and names the highest id', () => {
    const sim = bully();
    const r = settleAndCheck(sim, 500);
    expect(r.ok).toBe(true);
    expect(r.components).toEqual([
      { nodes: [1, 2, 3, 4, 5], expected: 5, beliefs: { 1: 5, 2: 5, 3: 5, 4: 5, 5: 5 }, ok: true },
    ]);
    expect(sim.violations().filter((v) => v.invariant === 'agreement')).toEqual([]);
  });

  it('splits components on partitions and two-way cuts, leaves out dead and paused nodes', () => {
    const sim = bully([
      {
        at: 100,
        type: 'partition',
        groups: [
          [1, 2],
          [3, 4, 5],
        ],
      },
      { at: 100, type: 'cut', from: 3, to: 4, oneWay: true },
      { at: 100, type: 'kill', node: 5 },
      { at: 100, type: 'pause', node: 1 },
    ]);
    sim.runUntil(100);
    // 3 -> 4 is cut one way: a link must work both ways to join a component
    expect(components(sim)).toEqual([[2], [3], [4]]);
  });

  it('fails, naming the component and beliefs, while a side still follows a leader it cannot reach', () => {
    const sim = bully([
      {
        at: 500,
        type: 'partition',
        groups: [
          [1, 2, 3],
          [4, 5],
        ],
      },
    ]);
    sim.runUntil(510);
    const r = checkAgreement(sim);
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      'component {1, 2, 3} should all name 3 (its highest id) as leader: 1→5 2→5 3→5',
    ]);
    const v = recordAgreement(sim, r);
    expect(v).toMatchObject({ invariant: 'agreement', severity: 'error', nodes: [1, 2, 3] });
    expect(sim.violations()).toContain(v);
    // after failure detection, each side agrees on its own highest id
    expect(settleAndCheck(sim, 1000).ok).toBe(true);
  });

  it('fails when the named leader does not believe it leads', () => {
    const sim = bully();
    sim.runUntil(500);
    sim.apply(faults.timeout(5)); // the top id re-runs its election: for a moment it names nobody
    sim.runUntilTime(sim.now);
    // the top node holds an election it wins at once (nobody is higher): still fine
    expect(checkAgreement(sim).ok).toBe(true);
    sim.apply(faults.pause(5));
    sim.runUntilTime(sim.now);
    // 5 is paused, so it is left out: the others should name 4
    expect(checkAgreement(sim).ok).toBe(false);
  });

  it('for Raft it only asks for one common leader per component, and the monitor keeps its Raft rules', () => {
    const sim = createSimulation({
      v: 1,
      algorithm: 'raft',
      nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
      network: { latency: { min: 5, max: 15 } },
      seed: 2,
      actions: [
        {
          at: 1000,
          type: 'partition',
          groups: [
            [1, 2],
            [3, 4, 5],
          ],
        },
        { at: 3000, type: 'healAll' },
      ],
    });
    sim.runUntil(900);
    const r = checkAgreement(sim);
    expect(r.ok).toBe(true);
    expect(r.components[0].expected).toBe(null);
    sim.runUntil(5000);
    expect(checkAgreement(sim).ok).toBe(true);
    // termSafety: leaders in different terms during the partition are not split brain
    expect(sim.violations().filter((v) => v.invariant === 'split-brain')).toEqual([]);
    expect(sim.violations().filter((v) => v.invariant === 'election-safety')).toEqual([]);
  });

  it('naming nobody is not agreement: a Raft cluster with no leader fails, a minority side may have none', () => {
    const sim = createSimulation({
      v: 1,
      algorithm: 'raft',
      nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
      network: { latency: { min: 5, max: 15 } },
      seed: 2,
      actions: [
        {
          at: 1000,
          type: 'partition',
          groups: [
            [1, 2],
            [3, 4, 5],
          ],
        },
      ],
    });
    // before the first election every node names nobody
    const start = checkAgreement(sim);
    expect(start.ok).toBe(false);
    expect(start.problems).toEqual([
      'component {1, 2, 3, 4, 5} has no leader: 1→- 2→- 3→- 4→- 5→-',
    ]);
    sim.runUntil(3000);
    // the majority side has its leader; the minority side cannot elect one and names nobody
    const split = checkAgreement(sim);
    expect(split.components.map((c) => c.nodes)).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(split.components[0].beliefs).toEqual({ 1: null, 2: null });
    expect(split.ok).toBe(true);
    // asked to, every component must have a leader, the minority side too
    expect(checkAgreement(sim, { quorum: false }).problems).toEqual([
      'component {1, 2} has no leader: 1→- 2→-',
    ]);
  });
});
