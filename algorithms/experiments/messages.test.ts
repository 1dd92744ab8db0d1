import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countElection,
  countingSimulation,
  messagesChunk,
  messagesTrials,
  runMessagesExperiment,
  summarizeMessages,
  type MessagesOptions,
} from './messages';

/** H_n, the n-th harmonic number. */
const harmonic = (n: number) => {
  let h = 0;
  for (let k = 1; k <= n; k++) h += 1 / k;
  return h;
};

describe('experiment messages', () => {
  it('Chang-Roberts, all initiating on random rings: mean ELECTION within 10% of n·H_n (n = 32, 500 trials)', () => {
    // 33 nodes: the leader crashes and the n = 32 others all detect it at once
    const r = runMessagesExperiment({
      algorithm: 'ring',
      variant: 'chang-roberts',
      nodes: 33,
      initiators: 'all',
      trials: 500,
      seed: 1,
    });
    const nHn = 32 * harmonic(32); // 129.87
    expect(r.trials).toBe(500);
    expect(Math.abs(r.byType.ELECTION - nHn) / nHn).toBeLessThan(0.1);
    // and the bounds: at least 2n - 1, at most n(n+1)/2 in every trial
    expect(r.byType.ELECTED).toBe(32);
    expect(r.min).toBeGreaterThanOrEqual(2 * (2 * 32 - 1 + 32));
    expect(r.max).toBeLessThanOrEqual(2 * ((32 * 33) / 2 + 32));
  }, 180_000); // 500 elections on 33-node rings: ~20 s alone, more on a busy machine

  it('collect-ids uses more messages than Chang-Roberts on the same rings when all initiate', () => {
    const base: Omit<MessagesOptions, 'variant'> = {
      algorithm: 'ring',
      nodes: 13,
      initiators: 'all',
      trials: 60,
      seed: 42,
    };
    const cr = messagesTrials({ ...base, variant: 'chang-roberts' });
    const ci = messagesTrials({ ...base, variant: 'collect-ids' });
    expect(ci.map((t) => t.order)).toEqual(cr.map((t) => t.order));
    const m = 12;
    for (let i = 0; i < cr.length; i++) {
      // m² ELECTION and m² COORDINATOR, each acknowledged, against about m·H_m + m
      expect(ci[i].byType).toEqual({ ELECTION: m * m, COORDINATOR: m * m, ACK: 2 * m * m });
      expect(ci[i].total).toBeGreaterThan(cr[i].total);
      expect(ci[i].byType.ELECTION).toBeGreaterThan(cr[i].byType.ELECTION);
    }
    const a = summarizeMessages(cr);
    const b = summarizeMessages(ci);
    expect(b.mean).toBeGreaterThan(2 * a.mean);
  });

  it('with a single initiator collect-ids never needs more ELECTION hops than Chang-Roberts', () => {
    // its list goes once round (m hops); Chang-Roberts first carries ever higher ids to
    // the top (d hops), then the top's id goes once round
    const base: Omit<MessagesOptions, 'variant'> = {
      algorithm: 'ring',
      nodes: 9,
      initiators: 'random',
      trials: 40,
      seed: 3,
    };
    const cr = messagesTrials({ ...base, variant: 'chang-roberts' });
    const ci = messagesTrials({ ...base, variant: 'collect-ids' });
    for (let i = 0; i < cr.length; i++) {
      expect(ci[i].initiators).toEqual(cr[i].initiators);
      expect(ci[i].byType.ELECTION).toBeLessThanOrEqual(cr[i].byType.ELECTION);
    }
  });

  it('Bully: exactly n² - n - 1 when the lowest detects the crash, n - 1 when the second-highest does', () => {
    for (const n of [5, 8]) {
      const opts = { algorithm: 'bully' as const, nodes: n, trials: 5, seed: 9 };
      expect(runMessagesExperiment({ ...opts, initiators: 'lowest' })).toEqual({
        trials: 5,
        mean: n * n - n - 1,
        p50: n * n - n - 1,
        min: n * n - n - 1,
        max: n * n - n - 1,
        byType: {
          ANSWER: ((n - 1) * (n - 2)) / 2,
          COORDINATOR: n - 2,
          ELECTION: (n * (n - 1)) / 2,
        },
      });
      expect(runMessagesExperiment({ ...opts, initiators: 'highest' })).toMatchObject({
        mean: n - 1,
        byType: { COORDINATOR: n - 2, ELECTION: 1 },
      });
      // every alive node detecting it costs the same as the lowest alone: all hold elections
      expect(runMessagesExperiment({ ...opts, initiators: 'all' }).mean).toBe(n * n - n - 1);
    }
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const opts: MessagesOptions = {
      algorithm: 'ring',
      variant: 'chang-roberts',
      nodes: 10,
      initiators: 'random',
      trials: 20,
      seed: 77,
    };
    const a = runMessagesExperiment(opts);
    expect(runMessagesExperiment(opts)).toEqual(a);
    expect(Object.keys(a)).toEqual(['trials', 'mean', 'p50', 'min', 'max', 'byType']);
    const orders = (seed: number) => messagesTrials({ ...opts, seed }).map((t) => t.order);
    expect(orders(78)).not.toEqual(orders(77));
  });

  it('rejects bad options with a clear message', () => {
    const ok: MessagesOptions = {
      algorithm: 'ring',
      nodes: 5,
      initiators: 'all',
      trials: 1,
      seed: 1,
    };
    expect(() => runMessagesExperiment({ ...ok, nodes: 1 })).toThrow(
      /nodes must be an integer from 2 to 64/,
    );
    expect(() => runMessagesExperiment({ ...ok, nodes: 65 })).toThrow(/nodes/);
    expect(() => runMessagesExperiment({ ...ok, trials: 0 })).toThrow(/trials/);
    expect(() => runMessagesExperiment({ ...ok, seed: -1 })).toThrow(/seed/);
    expect(() =>
      runMessagesExperiment({ ...ok, initiators: 'some' as MessagesOptions['initiators'] }),
    ).toThrow(/initiators must be one of lowest, highest, random, all/);
    expect(() =>
      runMessagesExperiment({ ...ok, algorithm: 'bully', variant: 'collect-ids' }),
    ).toThrow(/variant applies to the ring/);
    expect(() =>
      runMessagesExperiment({ ...ok, algorithm: 'raft' as MessagesOptions['algorithm'] }),
    ).toThrow(/algorithm must be bully, ring or zookeeper/);
  });

  it('works on the smallest cluster: two nodes, one left after the crash', () => {
    for (const algorithm of ['bully', 'ring'] as const) {
      const r = runMessagesExperiment({
        algorithm,
        nodes: 2,
        initiators: 'all',
        trials: 3,
        seed: 1,
      });
      expect(r.trials).toBe(3);
      // Bully: one ELECTION to the dead top; Ring: one hop to the dead successor... none, it is suspected
      expect(r.mean).toBe(algorithm === 'bully' ? 1 : 0);
    }
  });

  it('a ring trial seated in its order on the settled cluster counts what a ring booted in that order counts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('chang-roberts', 'collect-ids'),
        fc.constantFrom('lowest', 'highest', 'random', 'all' as const),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (variant, initiators, nodes, latency, seed) => {
          const opts: MessagesOptions = {
            algorithm: 'ring',
            variant,
            initiators,
            nodes,
            latency,
            trials: 2,
            seed,
          };
          for (const t of messagesTrials(opts)) {
            // the same ring, crash and initiators, on a cluster booted in that ring order
            const booted = countingSimulation(opts, t.order, seed);
            const counted = countElection(booted, t.crashed, t.initiators);
            expect({ total: t.total, byType: t.byType }).toEqual(counted);
            expect(t.leader).toBe(nodes - 1);
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 120_000);

  it('gives the same trials however they are split into chunks (any number of workers, any order)', () => {
    for (const opts of [
      {
        algorithm: 'ring',
        variant: 'chang-roberts',
        initiators: 'random',
        nodes: 9,
        trials: 12,
        seed: 5,
      },
      {
        algorithm: 'ring',
        variant: 'collect-ids',
        initiators: 'all',
        nodes: 6,
        trials: 12,
        seed: 6,
      },
      { algorithm: 'bully', initiators: 'lowest', nodes: 7, trials: 12, seed: 7 },
    ] as MessagesOptions[]) {
      const whole = messagesTrials(opts);
      // later chunks first: a trial must leave the settled cluster it forks as it was
      const split = [
        ...messagesChunk(opts, 8, 12),
        ...messagesChunk(opts, 3, 8),
        ...messagesChunk(opts, 0, 3),
      ];
      expect([...split.slice(9), ...split.slice(4, 9), ...split.slice(0, 4)]).toEqual(whole);
      expect(messagesTrials(opts)).toEqual(whole);
    }
  });

  it('the settled cluster a trial starts from is the same snapshot for a seed', () => {
    const opts: MessagesOptions = {
      algorithm: 'ring',
      variant: 'chang-roberts',
      initiators: 'all',
      nodes: 8,
      trials: 1,
      seed: 3,
    };
    const settle = (seed: number) => {
      const sim = countingSimulation({ ...opts, seed }, [1, 2, 3, 4, 5, 6, 7, 8], seed);
      countElection(sim, null, []); // runs until the boot election is over
      return sim;
    };
    const a = settle(3);
    const b = settle(3);
    expect(b.traceHash()).toBe(a.traceHash());
    expect(b.state()).toEqual(a.state());
    expect(a.state().nodes.every((n) => n.leader === 8)).toBe(true);
  });
});
