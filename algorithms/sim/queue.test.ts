import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { heapPop, heapPush } from './queue';

describe('event queue', () => {
  it('pops in (time, seq) order whatever the insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const heap: { at: number; seq: number }[] = [];
        times.forEach((at, seq) => heapPush(heap, { at, seq }));
        const out: { at: number; seq: number }[] = [];
        for (let e = heapPop(heap); e; e = heapPop(heap)) out.push(e);
        const expected = times
          .map((at, seq) => ({ at, seq }))
          .sort((a, b) => a.at - b.at || a.seq - b.seq);
        expect(out).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
