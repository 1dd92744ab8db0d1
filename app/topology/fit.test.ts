import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  arrange,
  avoidOverlays,
  CLEARANCE,
  collisions,
  intersects,
  labelGrowth,
  MIN_ZOOM,
  NO_ADJUST,
  placePiece,
  spotBox,
  viewAdjustOf,
  type FitAdjust,
  type Floating,
  type FitProblem,
  type Piece,
} from './fit';
import { placeLabels } from './motion';

/** Five nodes on a ring of 300 units, radius 64, each with a label box beside it. */
function ring(n = 5): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < n; i++) {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    const x = 300 * Math.cos(a);
    const y = 300 * Math.sin(a);
    out.push({ ax: x, ay: y, box: { x1: -76, y1: -76, x2: 76, y2: 76 } });
    out.push({
      ax: x * 1.35,
      ay: y * 1.35,
      box: { x1: -60, y1: -14, x2: 60, y2: 14 },
      grows: true,
    });
  }
  return out;
}

const problem = (overlays: FitProblem['overlays'], w = 745, h = 420): FitProblem => ({
  w,
  h,
  scale: Math.min(w, h) / 900,
  cx: 0,
  cy: 0,
  pieces: ring(),
  overlays,
  floorK: 0,
});

describe('avoidOverlays', () => {
  it('leaves the view alone when nothing covers it', () => {
    expect(avoidOverlays(problem([]))).toEqual(NO_ADJUST);
    // a panel in an empty corner needs nothing either
    expect(avoidOverlays(problem([{ x1: 0, y1: 380, x2: 60, y2: 420 }]))).toEqual(NO_ADJUST);
  });

  it('shifts or zooms out from under a status panel in the top-left corner', () => {
    const p = problem([{ x1: 14, y1: 12, x2: 316, y2: 180 }]);
    expect(collisions(p, NO_ADJUST)).toBeGreaterThan(0);
    const a = avoidOverlays(p);
    expect(a).not.toEqual(NO_ADJUST);
    expect(collisions(p, a, CLEARANCE)).toBe(0);
  });

  it('keeps labels at their floor size while the view zooms out', () => {
    expect(labelGrowth(1, 0.5)).toBe(1);
    expect(labelGrowth(0.5, 1)).toBe(2);
    expect(labelGrowth(0.8, 1.2)).toBeCloseTo(1.5 / 1.2);
    const p = { ...problem([]), floorK: 1 };
    const label = ring()[1];
    const at1 = placePiece(p, label, NO_ADJUST);
    const at08 = placePiece(p, label, { k: 0.8, dx: 0, dy: 0 });
    // the same size on screen, not 0.8 of it
    expect(at08.x2 - at08.x1).toBeCloseTo(at1.x2 - at1.x1);
  });

  it('never leaves more of the picture under a panel than it found, and moves nothing when all is clear', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 40, max: 320 }),
        fc.integer({ min: 20, max: 160 }),
        (x, y, w, h) => {
          const p = problem([{ x1: x, y1: y, x2: x + w, y2: y + h }]);
          const a = avoidOverlays(p);
          expect(a.k).toBeGreaterThanOrEqual(MIN_ZOOM);
          expect(a.k).toBeLessThanOrEqual(1);
          // never worse than leaving the view as it was (counting the room kept around panels)
          const before = collisions(p, NO_ADJUST, CLEARANCE);
          expect(collisions(p, a, CLEARANCE)).toBeLessThanOrEqual(before);
          if (before === 0) expect(a).toEqual(NO_ADJUST);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('placeLabels', () => {
  it('puts crowded labels where they cover no node and no other label, and drops the rest', () => {
    const nodes = [
      { x: 0, y: 0 },
      { x: 400, y: 0 },
    ];
    // six labels on top of each other between the two nodes
    const labels = Array.from({ length: 6 }, () => ({ x: 200, y: 0, w: 80 }));
    const placed = placeLabels(labels, nodes, 77, 18);
    const shown = placed.filter((b) => b !== null);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(shown.length).toBeLessThan(6);
    shown.forEach((a, i) =>
      shown.forEach((b, j) => {
        if (i < j) expect(intersects(a, b)).toBe(false);
      }),
    );
    for (const b of shown)
      for (const n of nodes) {
        const nx = Math.max(b.x1, Math.min(n.x, b.x2));
        const ny = Math.max(b.y1, Math.min(n.y, b.y2));
        expect(Math.hypot(nx - n.x, ny - n.y)).toBeGreaterThanOrEqual(77);
      }
  });
});

describe('arrange', () => {
  const board = (p: FitProblem, x1: number, y1: number, w: number, h: number): Floating => {
    const home = { x1, y1, x2: x1 + w, y2: y1 + h };
    return { w, h, home, spot: 'home', at: home };
  };
  const hitsAt = (p: FitProblem, a: { adjust: FitAdjust; boxes: FitProblem['overlays'] }) =>
    collisions({ ...p, overlays: [...p.overlays, ...a.boxes] }, a.adjust, CLEARANCE);

  it('moves a panel that covers a node to a free corner before it zooms the picture out', () => {
    // one node at the top right, under the board; the bottom right is free
    const p: FitProblem = {
      ...problem([], 900, 420),
      pieces: [{ ax: 350, ay: -250, box: { x1: -76, y1: -76, x2: 76, y2: 76 } }],
    };
    const f = board(p, 900 - 12 - 300, 12, 300, 150);
    expect(collisions({ ...p, overlays: [f.home] }, NO_ADJUST, CLEARANCE)).toBeGreaterThan(0);
    const a = arrange(p, [f]);
    expect(a.adjust).toEqual(NO_ADJUST);
    expect(a.spots[0]).toBe('bottom-right');
    expect(hitsAt(p, a)).toBe(0);
    // the board keeps its margin and stays inside the view
    const b = a.boxes[0];
    expect(b.x1).toBeGreaterThanOrEqual(0);
    expect(b.y1).toBeGreaterThanOrEqual(0);
    expect(b.x2).toBeLessThanOrEqual(900);
    expect(b.y2).toBeLessThanOrEqual(420);
  });

  it('keeps a panel where it is when nothing is under it, and never lays it over another panel', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 600, max: 1400 }),
        fc.integer({ min: 380, max: 900 }),
        fc.integer({ min: 120, max: 320 }),
        fc.integer({ min: 60, max: 240 }),
        (w, h, bw, bh) => {
          const status = { x1: 12, y1: 12, x2: 300, y2: 50 };
          const legend = { x1: 12, y1: h - 40, x2: 110, y2: h - 12 };
          const p = problem([status, legend], w, h);
          const f = board(p, w - 12 - bw, 12, bw, bh);
          const a = arrange(p, [f]);
          const before = collisions(
            { ...p, overlays: [...p.overlays, f.home] },
            NO_ADJUST,
            CLEARANCE,
          );
          expect(hitsAt(p, a)).toBeLessThanOrEqual(
            Math.max(
              before,
              hitsAt(p, {
                adjust: avoidOverlays({ ...p, overlays: [...p.overlays, f.home] }),
                boxes: [f.home],
              }),
            ),
          );
          const gap = {
            x1: f.home.x1 - 6,
            y1: f.home.y1 - 6,
            x2: f.home.x2 + 6,
            y2: f.home.y2 + 6,
          };
          const homeFree = f.home.y2 <= h && !intersects(gap, legend) && !intersects(gap, status);
          if (before === 0 && homeFree) {
            expect(a.spots).toEqual(['home']);
            expect(a.adjust).toEqual(NO_ADJUST);
          }
          if (hitsAt(p, a) === 0 && a.spots[0] !== 'home')
            for (const o of [status, legend]) expect(intersects(a.boxes[0], o)).toBe(false);
          const again = spotBox(a.spots[0], f, w, h) ?? f.home;
          expect(again).toEqual(a.boxes[0]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('placeLabels and the nodes’ own labels', () => {
  it('puts a label beside its dot where it covers no node label, or leaves it out', () => {
    const nodes = [{ x: 0, y: 0 }];
    // a role label right above the dot: the message label goes below, or elsewhere
    const role = { x1: 150, y1: -40, x2: 260, y2: -10 };
    const [b] = placeLabels([{ x: 200, y: 0, w: 60 }], nodes, 40, 18, [role]);
    expect(b).not.toBeNull();
    expect(intersects(b!, role)).toBe(false);
    // boxed in on every side: no place
    const wall = { x1: 100, y1: -100, x2: 300, y2: 100 };
    expect(placeLabels([{ x: 200, y: 0, w: 60 }], nodes, 40, 18, [wall])).toEqual([null]);
  });

  it('a label asked for (far) goes farther out when every near spot is taken, still off every node', () => {
    // a dot between two nodes that nearly touch, with their role labels above and below
    const nodes = [
      { x: -45, y: 0 },
      { x: 45, y: 0 },
    ];
    const roles = [
      { x1: -100, y1: -75, x2: 100, y2: -45 },
      { x1: -100, y1: 45, x2: 100, y2: 75 },
    ];
    const label = { x: 0, y: 0, w: 120 };
    expect(placeLabels([label], nodes, 40, 18, roles)).toEqual([null]);
    const [b] = placeLabels([{ ...label, far: true }], nodes, 40, 18, roles);
    expect(b).not.toBeNull();
    for (const r of roles) expect(intersects(b!, r)).toBe(false);
    for (const p of nodes) {
      const nx = Math.max(b!.x1, Math.min(p.x, b!.x2));
      const ny = Math.max(b!.y1, Math.min(p.y, b!.y2));
      expect(Math.hypot(nx - p.x, ny - p.y)).toBeGreaterThanOrEqual(40);
    }
  });
});

describe('viewAdjustOf', () => {
  it('gives each view its own fit: setting one leaves the other as it was', () => {
    const left = {};
    const right = {};
    expect(viewAdjustOf(left)).toBe(viewAdjustOf(left));
    viewAdjustOf(left).setState({ adjust: { k: 0.8, dx: 12, dy: -4 } });
    expect(viewAdjustOf(right).getState().adjust).toEqual(NO_ADJUST);
    expect(viewAdjustOf(left).getState().adjust).toEqual({ k: 0.8, dx: 12, dy: -4 });
  });
});
