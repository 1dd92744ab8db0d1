/**
 * The panel's message-count experiment (the function its trial workers call) on
 * ZooKeeper: every trial of every n gives exactly the model's theory, for both recipes
 * and both metrics, and the new leader is the worker with the next znode.
 */
import { describe, expect, it } from 'vitest';
import { countElection, countingSimulation, messagesChunk } from '../experiments/messages';
import { internals } from '../sim/simulation';
import { ms } from '../sim/time';
import { messageSeries, metricOf, seriesById } from '../experiments/messagesTheory';
import { leaderChangeTheory, leadingWorker, wakeupsTheory } from './experiment';

describe('ZooKeeper in the message-count experiment', () => {
  it('declares both recipes as series of the panel', () => {
    const ids = messageSeries()
      .filter((s) => s.algorithm === 'zookeeper')
      .map((s) => s.id);
    expect(ids).toEqual(['zk-predecessor', 'zk-herd']);
  });

  for (const recipe of ['predecessor', 'herd'] as const)
    it(`${recipe}: every trial gives exactly the theory`, () => {
      const s = seriesById(`zk-${recipe}`)!;
      for (const n of [2, 4, 7, 12]) {
        const opts = { ...s.opts, nodes: n, trials: 3, seed: 7 + n, latency: 10 };
        const trials = messagesChunk(opts, 0, opts.trials);
        expect(trials).toHaveLength(3);
        for (const t of trials) {
          // n workers (2..n + 1) between the service (1) and the payment service (n + 2)
          expect(t.order).toEqual(Array.from({ length: n + 2 }, (_, i) => i + 1));
          expect(t.initiators).toEqual([]);
          // the first worker leads at boot, the second takes over
          expect(t.crashed).toBe(2);
          expect(t.leader).toBe(3);
          expect(t.total).toBe(leaderChangeTheory(recipe, n));
          expect(t.total).toBe(s.theory.value(n, 'all'));
          expect(metricOf(t, 'election', s.electionType)).toBe(wakeupsTheory(recipe, n));
          expect(metricOf(t, 'election', s.electionType)).toBe(s.theory.value(n, 'election'));
          // neither charges nor pings are counted
          expect(Object.keys(t.byType).filter((k) => /Charge|Ping|Pong/.test(k))).toEqual([]);
        }
      }
    });
});

describe('ZooKeeper counts only the election’s messages', () => {
  it('a charge answered during the leader change is not counted', () => {
    const n = 5;
    const opts = {
      algorithm: 'zookeeper',
      variant: 'herd',
      nodes: n,
      initiators: 'lowest' as const,
      trials: 1,
      seed: 3,
    };
    const sim = countingSimulation(
      opts,
      Array.from({ length: n + 2 }, (_, i) => i + 1),
      3,
    );
    const chargeInFlight = () =>
      internals(sim).world.queue.some((e) => e.kind === 'deliver' && e.msg.body.type === 'Charge');
    expect(sim.runWhileNot(chargeInFlight, ms(600_000))).toBe(true);
    const c = countElection(sim, leadingWorker(sim), []);
    // the payment service answered the dead leader's charge in the window
    expect(sim.counters().sentByType.ChargeResult ?? 0).toBeGreaterThan(0);
    expect(c.byType.ChargeResult).toBeUndefined();
    expect(c.total).toBe(leaderChangeTheory('herd', n));
  });
});
