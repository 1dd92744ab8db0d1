import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chargesOf, NO_CHARGES, withCharges, type ChargeCounts } from './counts';

const key = (customer: number, period: number) => `${customer}:${period}`;

describe('charge counts', () => {
  it('read back what was written, and every older version stays as it was', () => {
    const period = fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0, max: 5000 }),
      fc.integer({ min: 0, max: 0x7fffffff }),
    );
    const op = fc.record({
      customer: fc.integer({ min: 0, max: 6 }),
      period,
      count: fc.integer({ min: 0, max: 9 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const versions: { counts: ChargeCounts; model: Map<string, number> }[] = [
          { counts: NO_CHARGES, model: new Map() },
        ];
        for (const o of ops) {
          const last = versions[versions.length - 1];
          const model = new Map(last.model).set(key(o.customer, o.period), o.count);
          versions.push({ counts: withCharges(last.counts, o.customer, o.period, o.count), model });
        }
        const probes = [
          ...ops.map((o) => [o.customer, o.period]),
          ...ops.map((o) => [o.customer, o.period + 1]),
          ...ops.map((o) => [(o.customer + 1) % 7, o.period]),
          [3, 0],
          [0, 0x7fffffff],
        ];
        for (const v of versions)
          for (const [c, p] of probes)
            expect(chargesOf(v.counts, c, p)).toBe(v.model.get(key(c, p)) ?? 0);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('a charge copies a few short arrays, not the table: 100,000 periods in a row', () => {
    let c = NO_CHARGES;
    for (let p = 0; p < 100_000; p++) c = withCharges(c, 1, p, 1);
    const before = c;
    const after = withCharges(c, 1, 100_000, 2);
    // the new version shares every untouched level with the old one
    const t0 = before.customers[1]!;
    const t1 = after.customers[1]!;
    expect(t1.shift).toBe(t0.shift);
    expect(t1.root[0]).toBe(t0.root[0]);
    expect(chargesOf(after, 1, 100_000)).toBe(2);
    expect(chargesOf(before, 1, 100_000)).toBe(0);
    expect(chargesOf(after, 1, 99_999)).toBe(1);
  });

  it('refuses a period or customer that is not a whole number from 0 to 2^31 - 1', () => {
    expect(() => withCharges(NO_CHARGES, 1, -1, 1)).toThrow(/period -1/);
    expect(() => withCharges(NO_CHARGES, 1, 2.5, 1)).toThrow(/period 2.5/);
    expect(() => withCharges(NO_CHARGES, 1, 2 ** 31, 1)).toThrow(/period/);
    expect(() => withCharges(NO_CHARGES, -2, 0, 1)).toThrow(/customer -2/);
    expect(chargesOf(NO_CHARGES, 1, -1)).toBe(0);
  });
});
