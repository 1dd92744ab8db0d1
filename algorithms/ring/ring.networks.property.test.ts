/**
 * Ring (both variants) on every network a user can pick: latency one way anywhere in
 * 1-300 ms, loss up to 30%, duplicates on or off, FIFO or not, 3-9 nodes, default params
 * (derived from the network), and a random schedule of kills, restarts, pauses, resumes,
 * cuts and partitions that stops at T (see testing/electionNetworks.ts). What is claimed,
 * exactly:
 *
 * - Loss-free: from some moment within `settleBound` after T until well after it, every
 *   alive node names the highest alive id and that node alone believes it leads.
 * - With loss no bound can be guaranteed (every retry may be lost); in every sampled run
 *   that agreement held at some moment within 5 × `settleBound` after T.
 * - Loss-free, no partition, cut or pause: no split-brain warning at all without
 *   restarts; with restarts every split-brain interval ends within the wait for a result
 *   W (a node restarting while an election passes it may be skipped, so that election
 *   and the restarted node's own both win; the higher one's announcement reaches the
 *   other within W). With loss a false suspicion may briefly make a second leader.
 * - After the leader's crash: loss-free, the election is over within `electionBound` and
 *   costs at most `messageBound` (n² + 2n for Chang-Roberts, 4n² for collect-ids, ACKs
 *   included; twice that counted when the network duplicates); with loss, at most that ×
 *   (1 + messages lost meanwhile).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeNetworkRun, networkCaseArb, runNetworkCase } from '../testing/electionNetworks';
import { ms } from '../sim/time';
import type { RingParams } from './model';
import { electionBound, messageBound, resultWait, settleBound } from './rules';

for (const variant of ['chang-roberts', 'collect-ids'] as const) {
  describe(`Ring (${variant}) on every network (property)`, () => {
    it('settles on the highest alive id after faults, without split brain or storms', () => {
      const seen = { clean: 0, lossy: 0, elections: 0 };
      fc.assert(
        fc.property(networkCaseArb, (c) => {
          const n = c.order.length;
          const run = runNetworkCase(c, {
            algorithm: 'ring',
            params: { variant },
            agreeBound: (b) => 5 * settleBound(b.params as RingParams, n, b.maxLatency),
            stableFor: (b) => settleBound(b.params as RingParams, n, b.maxLatency),
          });
          const why = describeNetworkRun(c, run);
          const p = run.sim.params as RingParams;
          const L = c.latency.max;
          const bound = settleBound(p, n, L);
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
            for (const v of splits) {
              expect(v.until, why).toBeDefined();
              expect((v.until as number) - v.t, why).toBeLessThanOrEqual(ms(resultWait(p, n)));
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
            expect(e.quietAfter as number, why).toBeLessThanOrEqual(electionBound(p, n, L));
            expect(e.agreed, why).toBe(true);
            expect(e.total, why).toBeLessThanOrEqual(messageBound(variant, n) * copies);
          } else {
            expect(e.total, why).toBeLessThanOrEqual(
              messageBound(variant, n) * copies * (1 + e.lost),
            );
          }
        }),
        { numRuns: 80, seed: variant === 'chang-roberts' ? 20_240_612 : 20_240_613 },
      );
      expect(seen.clean).toBeGreaterThan(25);
      expect(seen.lossy).toBeGreaterThan(25);
      expect(seen.elections).toBeGreaterThan(50);
    }, 60_000);
  });
}
