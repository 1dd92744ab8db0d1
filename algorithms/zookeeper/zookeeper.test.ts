/**
 * The ZooKeeper election's stories as examples: who wakes up when the leader goes, a
 * session expiry that hands leadership on, restarts of the service, and fencing with the
 * zxid of a paused leader's znode.
 */
import { describe, expect, it } from 'vitest';
import { checkAgreement, createSimulation } from '../index';
import { at, kill, pause, restart, resume } from '../sim/faults';
import { ms } from '../sim/time';
import type { PaymentContext } from '../lease/payment';
import { contextOf, leading, nodeOf, workerOf, zkOf, zkScenario } from './zookeeper.testkit';
import { lowest } from './zk';
import type { Simulation } from '../sim/simulation';

/** Watch events delivered to workers, and the workers that got one, between two times (µs). */
function wakeups(sim: Simulation, from: number, to: number) {
  const events = sim
    .trace()
    .filter((r) => r.kind === 'deliver' && r.type === 'WatchEvent' && r.t >= from && r.t <= to);
  return { events: events.length, workers: new Set(events.map((r) => r.node)).size };
}

/** Reads of the children after a watch event (GetChildren requests served). */
function reads(sim: Simulation, from: number, to: number) {
  return sim
    .trace()
    .filter((r) => r.kind === 'deliver' && r.type === 'GetChildren' && r.t >= from && r.t <= to)
    .length;
}

describe('who wakes up when the leader goes', () => {
  // 7 nodes: the service, 5 workers, the payment service; the leader is killed at 5 s
  const story = (recipe: 'herd' | 'predecessor') => {
    const sim = createSimulation(zkScenario({ nodes: 7, params: { recipe }, seed: 3 }));
    sim.runUntil(5000);
    const [leader] = leading(sim);
    sim.apply(kill(leader));
    sim.runUntil(5000 + 4000 + 1000);
    // the service closes the silent session within a session timeout of the kill
    const expiredAt = sim
      .trace()
      .find((r) => r.kind === 'timer' && r.type === 'EXPIRE' && r.t > ms(5000))!.t;
    expect(expiredAt).toBeLessThanOrEqual(ms(5000 + 4000));
    return { sim, leader, expiredAt };
  };

  it('predecessor: the leader’s znode goes and exactly one worker wakes, reads once and leads', () => {
    const { sim, leader, expiredAt } = story('predecessor');
    // between the kill and the expiry nothing of the election moves
    expect(wakeups(sim, ms(5000), expiredAt - 1).events).toBe(0);
    expect(reads(sim, ms(5000), expiredAt - 1)).toBe(0);
    expect(wakeups(sim, expiredAt - 1, sim.now)).toEqual({ events: 1, workers: 1 });
    expect(reads(sim, expiredAt - 1, sim.now)).toBe(1);
    const [next] = leading(sim);
    expect(next).not.toBe(leader);
    expect(lowest(zkOf(sim))?.owner).toBe(next);
    expect(checkAgreement(sim).ok).toBe(true);
  });

  it('herd: the leader’s znode goes and all 4 other workers wake and read the children', () => {
    const { sim, leader } = story('herd');
    const t = ms(5000 + 1);
    expect(wakeups(sim, t, sim.now)).toEqual({ events: 4, workers: 4 });
    expect(reads(sim, t, sim.now)).toBe(4);
    const [next] = leading(sim);
    expect(next).not.toBe(leader);
    expect(lowest(zkOf(sim))?.owner).toBe(next);
    expect(checkAgreement(sim).ok).toBe(true);
  });
});

describe('session expiry', () => {
  it('a paused leader’s session expires: its ephemeral znode is deleted and the next worker leads', () => {
    const sim = createSimulation(zkScenario({ nodes: 5, actions: at(3000, pause(2)) }));
    sim.runUntil(2900);
    const [leader] = leading(sim);
    // the seed makes node 2 the first in line
    expect(leader).toBe(2);
    const z = workerOf(sim, 2).znode!;
    const next = zkOf(sim).znodes.find((x) => x.seq === z.seq + 1)!.owner;
    sim.runUntil(3000 + 4000 + 500);
    expect(zkOf(sim).znodes.some((x) => x.owner === 2)).toBe(false);
    expect(Object.values(zkOf(sim).sessions).some((s) => s.owner === 2)).toBe(false);
    expect(leading(sim)).toContain(next);
    expect(lowest(zkOf(sim))?.owner).toBe(next);
  });

  it('fencing: the paused leader wakes with its old zxid and the payment service rejects it', () => {
    const sim = createSimulation(
      zkScenario({
        nodes: 5,
        params: { customers: 1 },
        actions: [...at(2500, pause(2)), ...at(12_500, resume(2))],
      }),
    );
    sim.runUntil(20_000);
    const book = contextOf<PaymentContext>(sim, 5).book;
    expect(book.rejected).toBeGreaterThan(0);
    expect(book.duplicates).toBe(0);
    // node 2 learned its session was gone and queued again; one leader, named by the service
    expect(leading(sim)).toHaveLength(1);
    expect(checkAgreement(sim).ok).toBe(true);
    expect(sim.violations().filter((v) => v.severity === 'error')).toEqual([]);
  });

  it('without fencing or idempotency the same pause charges a customer twice', () => {
    const sim = createSimulation(
      zkScenario({
        nodes: 5,
        params: { customers: 1, fencing: false },
        actions: [...at(2500, pause(2)), ...at(12_500, resume(2))],
      }),
    );
    sim.runUntil(20_000);
    expect(contextOf<PaymentContext>(sim, 5).book.duplicates).toBeGreaterThan(0);
  });
});

describe('restarts', () => {
  it('the service comes back with its sessions, znodes and zxid: nobody loses leadership', () => {
    const sim = createSimulation(
      zkScenario({ nodes: 5, actions: [...at(3000, kill(1)), ...at(4000, restart(1))] }),
    );
    sim.runUntil(2900);
    const before = zkOf(sim);
    const [leader] = leading(sim);
    sim.runUntil(4001);
    const after = zkOf(sim);
    expect(after.zxid).toBe(before.zxid);
    expect(after.znodes).toEqual(before.znodes);
    expect(after.nextSeq).toBe(before.nextSeq);
    sim.runUntil(15_000);
    expect(leading(sim)).toEqual([leader]);
    expect(zkOf(sim).znodes.map((z) => z.seq)).toEqual(before.znodes.map((z) => z.seq));
    expect(checkAgreement(sim).ok).toBe(true);
  });

  it('a restarted worker opens a new session and queues behind the others with a higher token', () => {
    const sim = createSimulation(zkScenario({ nodes: 5, actions: at(3000, restart(3)) }));
    sim.runUntil(2900);
    const old = workerOf(sim, 3).token;
    sim.runUntil(12_000);
    expect(nodeOf(sim, 3).alive).toBe(true);
    expect(workerOf(sim, 3).token).toBeGreaterThan(old);
    expect(zkOf(sim).znodes.filter((z) => z.owner === 3)).toHaveLength(1);
  });
});
