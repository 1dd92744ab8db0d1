import { describe, expect, it } from 'vitest';
import {
  frameKey,
  labelLines,
  logAxisDomain,
  occupancy,
  placeLabel,
  screenPolyline,
  segmentHitsBox,
  stepDown125,
  stepUp125,
  type Box,
  type ChartSpec,
  type Theme,
} from './chart';

const box: Box = { x0: 10, y0: 10, x1: 20, y1: 20 };

describe('annotation labels keep clear of the curves and of each other', () => {
  it('segment and box: crossing, inside, touching a corner, beside', () => {
    expect(segmentHitsBox([0, 15], [30, 15], box)).toBe(true);
    expect(segmentHitsBox([12, 12], [13, 13], box)).toBe(true);
    expect(segmentHitsBox([0, 0], [10, 10], box)).toBe(true);
    expect(segmentHitsBox([0, 0], [30, 5], box)).toBe(false);
    expect(segmentHitsBox([21, 0], [21, 30], box)).toBe(false);
    expect(segmentHitsBox([0, 30], [30, 21], box)).toBe(false);
  });

  it('a step curve holds its value until the next point', () => {
    const id = (v: number) => v;
    expect(
      screenPolyline(
        [
          { x: 0, y: 0 },
          { x: 5, y: 1 },
        ],
        id,
        id,
        true,
      ),
    ).toEqual([
      [0, 0],
      [5, 0],
      [5, 1],
    ]);
  });

  it('places each label where nothing crosses it, beside its mark', () => {
    // a diagonal curve through the mark, a horizontal one just under it
    const curves: [number, number][][] = [
      [
        [0, 400],
        [600, 0],
      ],
      [
        [0, 215],
        [600, 215],
      ],
    ];
    const placed: Box[] = [];
    for (const [ax, ay] of [
      [300, 200],
      [310, 205],
      [290, 195],
    ]) {
      const occ = occupancy(curves, 600, 400);
      const spot = placeLabel({
        ax,
        ay,
        w: 140,
        h: 16,
        pw: 600,
        ph: 400,
        blocked: occ.hits,
        placed,
      });
      expect(spot.free).toBe(true);
      const b = spot.box;
      for (const c of curves)
        for (let i = 1; i < c.length; i++) expect(segmentHitsBox(c[i - 1], c[i], b)).toBe(false);
      for (const p of placed)
        expect(p.x0 < b.x1 && b.x0 < p.x1 && p.y0 < b.y1 && b.y0 < p.y1).toBe(false);
      expect(b.x0).toBeGreaterThanOrEqual(0);
      expect(b.x1).toBeLessThanOrEqual(600);
      // near its mark, not anywhere on the chart
      expect(Math.abs((b.y0 + b.y1) / 2 - ay)).toBeLessThan(140);
      placed.push(b);
    }
  });

  it('the occupancy grid sees every segment that meets a box, and nothing far from one', () => {
    const curves: [number, number][][] = [
      [
        [0, 300],
        [100, 300],
        [100, 50],
        [400, 20],
      ],
    ];
    const occ = occupancy(curves, 400, 300);
    // boxes on a grid over the plot: where a segment meets one, the grid must say so;
    // where the box is more than a cell (2 px) from every segment, it must not
    for (let y0 = 0; y0 < 300; y0 += 7)
      for (let x0 = 0; x0 < 400; x0 += 11) {
        const b: Box = { x0, y0, x1: x0 + 30, y1: y0 + 12 };
        const l = curves[0];
        const exact = l.slice(1).some((p, i) => segmentHitsBox(l[i], p, b));
        const grown: Box = { x0: x0 - 3, y0: y0 - 3, x1: x0 + 33, y1: y0 + 15 };
        const nearby = l.slice(1).some((p, i) => segmentHitsBox(l[i], p, grown));
        if (exact) expect(occ.hits(b)).toBe(true);
        if (!nearby) expect(occ.hits(b)).toBe(false);
      }
  });

  it('with no room for one line beside a crowded mark, the label wraps rather than cross a curve', () => {
    expect(labelLines('Paper: worst 513 ms (150–200)')).toEqual([
      ['Paper: worst 513 ms (150–200)'],
      ['Paper: worst 513', 'ms (150–200)'],
      ['Paper: worst', '513 ms', '(150–200)'],
    ]);
    // vertical curves every 120 px: a 200 px box fits nowhere, a 100 px one between them
    const curves: [number, number][][] = [60, 180, 300, 420].map((x) => [
      [x, 0],
      [x, 300],
    ]);
    const occ = occupancy(curves, 480, 300);
    const wide = placeLabel({
      ax: 200,
      ay: 100,
      w: 200,
      h: 16,
      pw: 480,
      ph: 300,
      blocked: occ.hits,
      placed: [],
    });
    expect(wide.free).toBe(false);
    const narrow = placeLabel({
      ax: 200,
      ay: 100,
      w: 100,
      h: 31,
      pw: 480,
      ph: 300,
      blocked: occ.hits,
      placed: [],
    });
    expect(narrow.free).toBe(true);
    expect(narrow.near).toBe(true);
    for (const c of curves) expect(segmentHitsBox(c[0], c[1], narrow.box)).toBe(false);
  });
});

describe('a draft redraw keeps the frame only when nothing but the curves changed', () => {
  const theme: Theme = { text: '#000', muted: '#555', grid: '#ddd', bg: '#fff', font: 'sans' };
  const spec = (over: Partial<ChartSpec> = {}, points = [{ x: 1, y: 2 }]): ChartSpec => ({
    title: 'Downtime',
    xLabel: 'ms',
    yLabel: '%',
    xScale: 'log',
    yScale: 'linear',
    series: [
      { id: 'a', label: '150-300 ms', color: '#0072b2', points },
      { id: 'a-band', label: 'band of 20 trials', color: '#0072b2', points, legend: false },
    ],
    annotations: [{ x: 283, y: 50, label: 'Paper: median 283 ms', color: '#111' }],
    draft: true,
    ...over,
  });
  const key = (s: ChartSpec, xDomain = [100, 1000], xTicks = [100, 1000]) =>
    frameKey(s, 800, 360, theme, xDomain, [0, 100], xTicks, [0, 50, 100]);

  it('new points, or a new label of a series the legend does not show, keep the frame', () => {
    const k = key(spec());
    expect(key(spec({}, [{ x: 5, y: 60 }]))).toBe(k);
    const s = spec();
    s.series[1] = { ...s.series[1], label: 'band of 40 trials' };
    expect(key(s)).toBe(k);
  });

  it('a new domain, ticks, legend entry, colour, annotation, title or size redraws it all', () => {
    const k = key(spec());
    expect(key(spec(), [100, 2000])).not.toBe(k);
    expect(key(spec(), [100, 1000], [100, 500, 1000])).not.toBe(k);
    const s = spec();
    s.series[0] = { ...s.series[0], label: '150-151 ms' };
    expect(key(s)).not.toBe(k);
    const c = spec();
    c.series[0] = { ...c.series[0], color: '#d55e00' };
    expect(key(c)).not.toBe(k);
    expect(key(spec({ annotations: [] }))).not.toBe(k);
    expect(key(spec({ title: 'Other' }))).not.toBe(k);
    expect(
      frameKey(spec(), 801, 360, theme, [100, 1000], [0, 100], [100, 1000], [0, 50, 100]),
    ).not.toBe(k);
    expect(
      frameKey(
        spec(),
        800,
        360,
        { ...theme, bg: '#000' },
        [100, 1000],
        [0, 100],
        [100, 1000],
        [0, 50, 100],
      ),
    ).not.toBe(k);
  });

  it('a growing log axis ends at 1, 2 or 5 times a power of ten beyond its data', () => {
    const cases: [number, number][] = [
      [1000, 1000],
      [1000.5, 2000],
      [2000, 2000],
      [2001, 5000],
      [4999, 5000],
      [5001, 10_000],
      [9999, 10_000],
      [150, 200],
      [0.3, 0.5],
      [7, 10],
    ];
    for (const [v, want] of cases) expect(stepUp125(v)).toBe(want);
    const down: [number, number][] = [
      [1000, 1000],
      [999, 500],
      [4158, 2000],
      [3, 2],
      [1.5, 1],
      [0.5, 0.5],
      [0.07, 0.05],
    ];
    for (const [v, want] of down) expect(stepDown125(v)).toBeCloseTo(want, 12);
    // a run of growing maxima crosses few steps: the frame changes a handful of times
    const steps = new Set<number>();
    for (let v = 1000; v <= 12_000; v += 7) steps.add(stepUp125(v));
    expect([...steps]).toEqual([1000, 2000, 5000, 10_000, 20_000]);
  });
});

describe('a log time axis', () => {
  it("starts at the paper's 100 ms, lower for a line that elects sooner, so no point is clamped to its edge", () => {
    expect(logAxisDomain([160, 420, 3100], 100, 1000, false)).toEqual([100, 3100]);
    expect(logAxisDomain([160, 420, 3100], 100, 1000, true)).toEqual([100, 5000]);
    // a 12-24 ms line's fastest elections: the axis reaches below them
    const [lo, hi] = logAxisDomain([0, 31, 48, 95, 260], 100, 1000, false);
    expect(lo).toBe(20);
    expect(lo).toBeLessThanOrEqual(31);
    expect(hi).toBe(1000);
    expect(logAxisDomain([9.5], 100, 1000, true)).toEqual([5, 1000]);
  });
});
