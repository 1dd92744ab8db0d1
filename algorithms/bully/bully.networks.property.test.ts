/**
 * Bully on every network a user can pick: latency one way anywhere in 1-300 ms, loss up
 * to 30%, duplicates on or off, FIFO or not, 3-9 nodes, default params (derived from the
 * network), and a random schedule of kills, restarts, pauses, resumes, cuts and
 * partitions that stops at T (see testing/electionNetworks.ts). What is claimed, exactly:
 *
 * - Loss-free: from some moment within `settleBound` after T until well after it, every
 *   alive node names the highest alive id and that node alone believes it leads.
 * - With loss no bound can be guaranteed (every retry may be lost); in every sampled run
 *   that agreement held at some moment within 5 × `settleBound` after T.
 * - Loss-free, no partition, cut or pause: no split-brain warning at all without
 *   restarts; with restarts every split-brain interval ends, within the worst one-way
 *   latency (a restarted node that outranks the coordinator takes over at once, and the
 *   old one steps down when its COORDINATOR arrives). With loss a false suspicion may
 *   briefly make a second coordinator; nothing is claimed then.
 * - After the leader's crash: loss-free, the election is over within `electionBound` and
 *   costs at most `messageBound(n)` = n² messages (twice that counted, when the network
 *   duplicates); with loss, at most n² × (1 + messages lost meanwhile).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNetworkRun, networkCaseArb, runNetworkCase } from '../testing/electionNetworks';
import { ms } from '../sim/time';
import type { BullyParams } from './model';
import { electionBound, messageBound, settleBound } from './rules';

describe('Bully on every network (property)', () => {
  it('settles on the highest alive id after faults, without split brain or storms', () => {
    const seen = { clean: 0, lossy: 0, elections: 0, restartsOnly: 0 };
    fc.assert(
      fc.property(networkCaseArb, (c) => {
        const run = runNetworkCase(c, {
          algorithm: 'bully',
          params: {},
          agreeBound: (b) => 5 * settleBound(b.params as BullyParams, b.maxLatency),
          stableFor: (b) => settleBound(b.params as BullyParams, b.maxLatency),
        });
        const why = describeNetworkRun(c, run);
        const p = run.sim.params as BullyParams;
        const L = c.latency.max;
        const n = c.order.length;
        const bound = settleBound(p, L);
        if (c.loss === 0) {
          seen.clean++;
          expect(run.settledAfter, why).not.toBeNull();
          expect(run.settledAfter as number, why).toBeLessThanOrEqual(bound);
        } else {
          seen.lossy++;
          expect(run.agreedAfter, why).not.toBeNull();
          expect(run.agreedAfter as number, why).toBeLessThanOrEqual(5 * bound);
        }

        const splits = run.sim.violations().filter((v) => v.invariant === 'split-brain');
        if (c.loss === 0 && !run.had.partitionOrCut && !run.had.pause) {
          if (!run.had.restart) expect(splits, why).toEqual([]);
          else seen.restartsOnly++;
          for (const v of splits) {
            expect(v.until, why).toBeDefined();
            expect((v.until as number) - v.t, why).toBeLessThanOrEqual(ms(L));
          }
        }
        expect(
          run.sim.violations().filter((v) => v.severity === 'error'),
          why,
        ).toEqual([]);

        const e = run.election;
        if (!e) return;
        seen.elections++;
        const copies = c.duplicate > 0 ? 2 : 1;
        if (c.loss === 0) {
          expect(e.quietAfter, why).not.toBeNull();
          expect(e.quietAfter as number, why).toBeLessThanOrEqual(electionBound(p, L));
          expect(e.agreed, why).toBe(true);
          expect(e.total, why).toBeLessThanOrEqual(messageBound(n) * copies);
        } else {
          expect(e.total, why).toBeLessThanOrEqual(messageBound(n) * copies * (1 + e.lost));
        }
      }),
      { numRuns: 150, seed: 20_240_611 },
    );
    // not vacuous: both kinds of network, and most runs measure an election
    expect(seen.clean).toBeGreaterThan(50);
    expect(seen.lossy).toBeGreaterThan(50);
    expect(seen.elections).toBeGreaterThan(100);
  }, 60_000);
});
