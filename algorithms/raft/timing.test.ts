import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimulation } from '../index';
import { parseScenario } from '../scenario/parse';
import { presetNames, findPreset } from '../scenario/presets';
import { raftDefaults, raftTiming, raftTimingWarnings, resolveRaftParams } from './model';

const net = (min: number, max: number) => ({ latency: { min, max } });

const raft = (latency: [number, number], params: Record<string, unknown> = {}, seed = 1) => ({
  v: 1 as const,
  algorithm: 'raft' as const,
  params,
  nodes: [1, 2, 3, 4, 5].map((id) => ({ id })),
  network: { latency: { min: latency[0], max: latency[1] } },
  seed,
});

describe('Raft timing follows the network', () => {
  it("keeps the paper's 150-300 ms up to a 120 ms round trip, then scales with it", () => {
    expect(raftTiming(net(0, 0))).toEqual({
      electionTimeout: { min: 150, max: 300 },
      heartbeat: 75,
    });
    expect(raftTiming(net(10, 15)).electionTimeout).toEqual({ min: 150, max: 300 });
    expect(raftTiming(net(30, 60)).electionTimeout).toEqual({ min: 150, max: 300 });
    // 5/4 of the worst round trip, rounded up to a whole ms; the maximum twice the minimum
    expect(raftTiming(net(30, 61)).electionTimeout).toEqual({ min: 153, max: 306 });
    expect(raftTiming(net(80, 150))).toEqual({
      electionTimeout: { min: 375, max: 750 },
      heartbeat: 187.5,
    });
    expect(raftTiming(net(150, 300)).electionTimeout).toEqual({ min: 750, max: 1500 });
    // within what the params schema accepts, however slow the network
    expect(raftTiming(net(0, 60_000)).electionTimeout).toEqual({ min: 30_000, max: 60_000 });
  });

  it('fills only what the user left unset, and the scenario keeps it unset', () => {
    const { scenario, params } = parseScenario(raft([80, 150]));
    expect(scenario.params).toEqual({});
    expect(params).toEqual({
      electionTimeout: { min: 375, max: 750 },
      preVote: false,
      checkQuorum: false,
    });
    const explicit = { electionTimeout: { min: 200, max: 400 }, heartbeat: 20 };
    expect(parseScenario(raft([80, 150], explicit)).params).toMatchObject(explicit);
    // per-link latency counts: the slowest link sets the round trip
    const slowLink = {
      ...raft([10, 15]),
      network: {
        latency: { min: 10, max: 15 },
        links: [{ from: 1, to: 2, latency: { min: 5, max: 100 } }],
      },
    };
    expect(parseScenario(slowLink).params).toMatchObject({
      electionTimeout: { min: 250, max: 500 },
    });
    expect(raftDefaults).toEqual({
      electionTimeout: { min: 150, max: 300 },
      preVote: false,
      checkQuorum: false,
    });
  });

  it('every Raft preset and lesson keeps its timing (and so its trace)', () => {
    let raftScenarios = 0;
    for (const name of presetNames()) {
      const s = findPreset(name)!.scenario;
      if (s.algorithm !== 'raft') continue;
      raftScenarios++;
      const explicit = (s.params as { electionTimeout?: unknown } | undefined)?.electionTimeout;
      expect(parseScenario(s).params, name).toMatchObject({
        electionTimeout: explicit ?? { min: 150, max: 300 },
      });
    }
    expect(raftScenarios).toBeGreaterThanOrEqual(4);
  });

  it('warns about explicit timing that breaks broadcast time << election timeout, never about the defaults', () => {
    const paper = { electionTimeout: { min: 150, max: 300 } };
    expect(raftTimingWarnings(paper, net(10, 15))).toEqual([]);
    expect(raftTimingWarnings(paper, net(30, 60))).toEqual([]);
    const slow = raftTimingWarnings(paper, net(80, 150));
    expect(slow).toHaveLength(1);
    expect(slow[0]).toMatch(
      /^election timeout 150-300 ms is not above the round trip of up to 300 ms/,
    );
    expect(slow[0]).toMatch(/the default for this network is 375-750 ms/);
    expect(raftTimingWarnings({ electionTimeout: { min: 200, max: 400 } }, net(50, 90))[0]).toMatch(
      /^election timeout 200-400 ms is close to the round trip of up to 180 ms: expect split votes/,
    );
    expect(raftTimingWarnings({ electionTimeout: { min: 150, max: 160 } }, net(30, 60))).toEqual([
      'election timeout spread 10 ms is below the one-way latency of up to 60 ms: candidates often start together and split the vote',
    ]);
    expect(raftTimingWarnings({ electionTimeout: { min: 150, max: 150 } }, net(1, 2))[0]).toMatch(
      /no spread/,
    );
    expect(raftTimingWarnings({ ...paper, heartbeat: 148 }, net(10, 15))[0]).toMatch(
      /^heartbeat 148 ms plus up to 5 ms of latency jitter reaches the minimum election timeout of 150 ms/,
    );
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 10_000 })
          .chain((max) => fc.integer({ min: 0, max }).map((min) => net(min, max))),
        (n) => {
          expect(raftTimingWarnings(resolveRaftParams({}, n), n)).toEqual([]);
        },
      ),
    );
    // the engine reports them in the run summary
    expect(createSimulation(raft([80, 150], paper)).summary().warnings).toEqual(slow);
    expect(createSimulation(raft([80, 150])).summary().warnings).toEqual([]);
  });

  it('on slow networks the defaults elect one leader quickly and keep it', () => {
    // the paper's 150-300 ms at 80-150 ms one way took up to 14 terms for a first leader
    // and changed leader 20 times in 30 s on average (never elected one at 150-300 ms)
    for (const [latency, firstBy] of [
      [[80, 150], 3000],
      [[150, 300], 5000],
    ] as const) {
      for (let seed = 1; seed <= 6; seed++) {
        const sim = createSimulation(raft([latency[0], latency[1]], {}, seed), {
          keepTrace: false,
        });
        sim.runUntil(30_000);
        const leaders = sim.summary().leaders;
        expect(leaders.length, `latency ${latency}, seed ${seed}`).toBe(1);
        expect(leaders[0].timeMs).toBeLessThan(firstBy);
        expect(leaders[0].term).toBeLessThanOrEqual(4);
      }
      const old = createSimulation(
        raft([latency[0], latency[1]], { electionTimeout: { min: 150, max: 300 } }),
        {
          keepTrace: false,
        },
      );
      old.runUntil(30_000);
      expect(old.summary().leaders.length).not.toBe(1);
    }
  });
});
