import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRun, faultCaseArb, runFaultCase } from '../invariants/faultSchedule.testkit';
import { ringDefaults } from './model';
import { wastedBound, worstCase, type Variant } from './rules';

const announcement: Record<Variant, string> = {
  'chang-roberts': 'ELECTED',
  'collect-ids': 'COORDINATOR',
};

for (const variant of ['chang-roberts', 'collect-ids'] as const) {
  describe(`Ring (${variant}) under random faults (property)`, () => {
    it('agrees on the highest alive id after heal + settle, and a later election stays within the worst case', () => {
      let measured = 0;
      fc.assert(
        fc.property(faultCaseArb, (c) => {
          // FIFO links: the ring algorithms assume them (see README.md)
          const run = runFaultCase('ring', { ...ringDefaults, variant }, c, true);
          const why = describeRun(c, run);
          expect(run.afterHeal.ok, why).toBe(true);
          expect(
            run.sim.violations().filter((v) => v.severity === 'error'),
            why,
          ).toEqual([]);
          if (!run.measured) return;
          measured++;
          const m = run.measured;
          const ann = announcement[variant];
          // hops that reached an alive node, and hops lost to a dead one
          const lostElection = m.wasted.ELECTION ?? 0;
          const lostAnnouncement = m.wasted[ann] ?? 0;
          const election = (m.byType.ELECTION ?? 0) - lostElection;
          const announced = (m.byType[ann] ?? 0) - lostAnnouncement;
          const bound = worstCase(variant, m.alive.length);
          const lost = wastedBound(variant, m.alive.length, m.ids.length - m.alive.length);
          expect(election, why).toBeLessThanOrEqual(bound.ELECTION);
          expect(announced, why).toBeLessThanOrEqual(bound.announcement);
          expect(lostElection, why).toBeLessThanOrEqual(lost.ELECTION);
          expect(lostAnnouncement, why).toBeLessThanOrEqual(lost.announcement);
          // every hop that arrived was acknowledged, and nothing else was sent
          expect(m.byType.ACK ?? 0, why).toBe(election + announced);
          expect(Object.keys(m.byType).sort(), why).toEqual(
            ['ACK', 'ELECTION', ann].filter((t) => (m.byType[t] ?? 0) > 0).sort(),
          );
          // the news went all the way round (a lone survivor just leads)
          if (m.alive.length > 1) expect(announced, why).toBeGreaterThanOrEqual(m.alive.length);
          expect(m.after.ok, why).toBe(true);
        }),
        { numRuns: 200, seed: variant === 'chang-roberts' ? 7 : 8 },
      );
      expect(measured).toBeGreaterThan(100);
    });
  });
}
