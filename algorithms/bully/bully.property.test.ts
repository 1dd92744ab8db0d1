import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeRun, faultCaseArb, runFaultCase } from '../invariants/faultSchedule.testkit';
import { bullyDefaults } from './model';
import { worstCase } from './rules';

describe('Bully under random faults (property)', () => {
  it('agrees on the highest alive id after heal + settle, and a later election stays within the worst case', () => {
    let measured = 0;
    fc.assert(
      fc.property(faultCaseArb, (c) => {
        // default timings: answer 50 ms > a round trip (≤ 30 ms), coordinator 150 ms > answer + round trip
        const run = runFaultCase('bully', { ...bullyDefaults }, c, false);
        const why = describeRun(c, run);
        expect(run.afterHeal.ok, why).toBe(true);
        expect(
          run.sim.violations().filter((v) => v.severity === 'error'),
          why,
        ).toEqual([]);
        if (!run.measured) return;
        measured++;
        const m = run.measured;
        const bound = worstCase(m.ids, m.alive);
        expect(m.byType.ELECTION ?? 0, why).toBeLessThanOrEqual(bound.ELECTION);
        expect(m.byType.ANSWER ?? 0, why).toBeLessThanOrEqual(bound.ANSWER);
        expect(m.byType.COORDINATOR ?? 0, why).toBeLessThanOrEqual(bound.COORDINATOR);
        expect(m.total, why).toBeLessThanOrEqual(bound.total);
        // every alive node above the lowest initiator held an election, and the winner
        // announced itself to every lower id
        expect(m.byType.COORDINATOR ?? 0, why).toBe(
          m.ids.filter((x) => x < m.alive[m.alive.length - 1]).length,
        );
        expect(m.after.ok, why).toBe(true);
      }),
      { numRuns: 200, seed: 4 },
    );
    // the measured election is not vacuous: most schedules leave two or more nodes alive
    expect(measured).toBeGreaterThan(100);
  });
});
