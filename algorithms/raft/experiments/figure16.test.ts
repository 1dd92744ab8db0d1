import { describe, expect, it } from 'vitest';
import { FIG16_BOTTOM, FIG16_TOP, runLine, runLineChunk } from './figure16';

const line = (label: string) => [...FIG16_TOP, ...FIG16_BOTTOM].find((l) => l.label === label)!;

describe("Figure 16 reproduction keeps the paper's shape (smaller trial counts, fixed seeds)", () => {
  it('more randomness lowers the tail: p99 of 150-300 is below p99 of 150-155', () => {
    const wide = runLine(line('150-300 ms'), 300, 1).summary;
    const narrow = runLine(line('150-155 ms'), 300, 1).summary;
    expect(wide.p99).toBeLessThan(narrow.p99);
    expect(wide.splitVotes).toBeLessThan(narrow.splitVotes);
  });

  it('shorter timeouts lower the mean: 12-24 is well below 150-300', () => {
    const short = runLine(line('12-24 ms'), 300, 2).summary;
    const long = runLine(line('150-300 ms'), 300, 2).summary;
    expect(short.mean).toBeLessThan(long.mean);
    expect(short.p50).toBeLessThan(long.p50 / 1.3);
  });

  it('150-150 shows split votes', () => {
    const s = runLine(line('150-150 ms'), 60, 3).summary;
    expect(s.splitVotes).toBeGreaterThan(30);
  });

  it('the CDF is monotone and ends at 1', () => {
    const { cdf } = runLine(line('150-200 ms'), 100, 4);
    expect(cdf[cdf.length - 1].p).toBe(1);
    for (let i = 1; i < cdf.length; i++) expect(cdf[i].ms).toBeGreaterThanOrEqual(cdf[i - 1].ms);
  });

  it('results are identical however the trials are split (as across workers)', () => {
    const l = line('150-175 ms');
    const whole = runLineChunk(l, 40, 9, 0, 40);
    const parts = [
      ...runLineChunk(l, 40, 9, 0, 13),
      ...runLineChunk(l, 40, 9, 13, 29),
      ...runLineChunk(l, 40, 9, 29, 40),
    ];
    expect(parts).toEqual(whole);
  });
});
