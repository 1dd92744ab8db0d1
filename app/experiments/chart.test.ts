import { describe, expect, it } from 'vitest';
import {
  labelLines,
  occupancy,
  placeLabel,
  screenPolyline,
  segmentHitsBox,
  type Box,
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
