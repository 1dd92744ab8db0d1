/**
 * Keeping the panels drawn over the network view (status, partition, legend, payment
 * board) off the nodes: the view is zoomed out a little and shifted until no node, and
 * no label of a node, lies under one of them. Pure geometry, so it is tested in Node.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';

/** An axis-aligned rectangle. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** How the view departs from its plain fit: zoom factor k <= 1 and a shift in CSS px. */
export interface FitAdjust {
  k: number;
  dx: number;
  dy: number;
}

export const NO_ADJUST: FitAdjust = { k: 1, dx: 0, dy: 0 };

/**
 * Something drawn in the view, in view-box units: a box around an anchor. A label (`grows`)
 * keeps a readable size on screen, so when the view zooms out below `floorK` its box
 * stops shrinking with the view.
 */
export interface Piece {
  ax: number;
  ay: number;
  /** The box relative to the anchor, at the label's size for k = 1. */
  box: Box;
  grows?: boolean;
}

export interface FitProblem {
  /** Container size, CSS px. */
  w: number;
  h: number;
  /** CSS px per view-box unit at k = 1. */
  scale: number;
  /** View-box point drawn at the container's centre at k = 1 with no shift. */
  cx: number;
  cy: number;
  pieces: readonly Piece[];
  /** Panels over the view, container px. */
  overlays: readonly Box[];
  /** Labels keep their screen size below this zoom (their font has reached its floor). */
  floorK: number;
}

export function intersects(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** How much larger than at k = 1 (in view units) a label is drawn at zoom k. */
export function labelGrowth(k: number, floorK: number): number {
  return Math.max(1, floorK / k) / Math.max(1, floorK);
}

/** Where a piece lands on screen (container px) under an adjustment. */
export function placePiece(p: FitProblem, piece: Piece, a: FitAdjust): Box {
  const s = p.scale * a.k;
  const g = piece.grows ? labelGrowth(a.k, p.floorK) : 1;
  const ox = p.w / 2 + (piece.ax - p.cx) * s + a.dx;
  const oy = p.h / 2 + (piece.ay - p.cy) * s + a.dy;
  return {
    x1: ox + piece.box.x1 * g * s,
    y1: oy + piece.box.y1 * g * s,
    x2: ox + piece.box.x2 * g * s,
    y2: oy + piece.box.y2 * g * s,
  };
}

/** Pairs of (piece, overlay) that overlap under an adjustment. */
export function collisions(p: FitProblem, a: FitAdjust, pad = 0): number {
  let n = 0;
  for (const piece of p.pieces) {
    const b = placePiece(p, piece, a);
    const padded = { x1: b.x1 - pad, y1: b.y1 - pad, x2: b.x2 + pad, y2: b.y2 + pad };
    for (const o of p.overlays) if (intersects(padded, o)) n++;
  }
  return n;
}

/**
 * The zooms tried, least first. Not below 0.6: labels keep their screen size, so a
 * smaller picture only crowds them into each other (at 0.4 a 7-node ring's labels ran
 * together).
 */
export const ZOOMS = [1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6];
export const MIN_ZOOM = ZOOMS[ZOOMS.length - 1];
/** Room kept between a node or label and a panel, CSS px. */
export const CLEARANCE = 6;
/** Margin kept inside the container when shifting, CSS px. */
const EDGE = 4;

/** The shifts worth trying at one zoom, smallest first (CSS px, whole pixels). */
function shiftsFor(p: FitProblem, boxes: readonly Box[], coarse = 1): { dx: number; dy: number }[] {
  const all = boxes.reduce((u, b) => ({
    x1: Math.min(u.x1, b.x1),
    y1: Math.min(u.y1, b.y1),
    x2: Math.max(u.x2, b.x2),
    y2: Math.max(u.y2, b.y2),
  }));
  const lo = { x: Math.min(0, EDGE - all.x1), y: Math.min(0, EDGE - all.y1) };
  const hi = { x: Math.max(0, p.w - EDGE - all.x2), y: Math.max(0, p.h - EDGE - all.y2) };
  const stepX = Math.max(6, (coarse * (hi.x - lo.x)) / 24);
  const stepY = Math.max(6, (coarse * (hi.y - lo.y)) / 16);
  const shifts: { dx: number; dy: number }[] = [];
  const xs = range(lo.x, hi.x, stepX);
  const ys = range(lo.y, hi.y, stepY);
  for (const dx of xs) for (const dy of ys) shifts.push({ dx: Math.round(dx), dy: Math.round(dy) });
  shifts.sort((a, b) => Math.abs(a.dx) + Math.abs(a.dy) - (Math.abs(b.dx) + Math.abs(b.dy)));
  return shifts;
}

/** How many (box, overlay) pairs overlap with the boxes shifted and padded by CLEARANCE; stops at `enough`. */
function hitsOf(
  boxes: readonly Box[],
  dx: number,
  dy: number,
  overlays: readonly Box[],
  enough = Infinity,
): number {
  let hits = 0;
  for (const b of boxes) {
    // no allocation here: this runs for every piece at every shift tried
    const x1 = b.x1 + dx - CLEARANCE;
    const y1 = b.y1 + dy - CLEARANCE;
    const x2 = b.x2 + dx + CLEARANCE;
    const y2 = b.y2 + dy + CLEARANCE;
    for (const o of overlays)
      if (x1 < o.x2 && o.x1 < x2 && y1 < o.y2 && o.y1 < y2 && ++hits >= enough) return hits;
  }
  return hits;
}

/**
 * The adjustment that keeps every piece clear of every overlay: the least zoom-out
 * first, then the smallest shift, never pushing the picture further out of the container
 * than it already was. When nothing is clear, the one with the fewest overlaps.
 */
export function avoidOverlays(p: FitProblem): FitAdjust {
  if (p.overlays.length === 0 || p.pieces.length === 0) return NO_ADJUST;
  let best: FitAdjust = NO_ADJUST;
  let bestHits = Infinity;
  for (const k of ZOOMS) {
    const boxes = p.pieces.map((piece) => placePiece(p, piece, { k, dx: 0, dy: 0 }));
    for (const { dx, dy } of shiftsFor(p, boxes)) {
      const hits = hitsOf(boxes, dx, dy, p.overlays, bestHits);
      if (hits === 0) return { k, dx, dy };
      if (hits < bestHits) {
        bestHits = hits;
        best = { k, dx, dy };
      }
    }
  }
  return best;
}

/**
 * A panel over the view that may be moved out of the picture's way (the payment board),
 * container px: its size, where the style sheet puts it, and the spot it stands on now.
 */
export interface Floating {
  w: number;
  h: number;
  home: Box;
  spot: Spot;
  /** Where it stands now. */
  at: Box;
}

/** Where a floating panel may stand: where the style sheet puts it, a corner, or an edge's middle. */
export type Spot =
  | 'home'
  | 'top-right'
  | 'bottom-right'
  | 'top-left'
  | 'bottom-left'
  | 'right'
  | 'left'
  | 'top'
  | 'bottom';

/** The spots tried after the current one: home, the corners, then the edges' middles. */
export const SPOTS: readonly Spot[] = [
  'home',
  'top-right',
  'bottom-right',
  'top-left',
  'bottom-left',
  'right',
  'left',
  'top',
  'bottom',
];

/** Room kept between a floating panel and another panel, CSS px. */
const PANEL_GAP = 6;

/** The box of a floating panel on `spot` in a w x h container, keeping its home's margin; null if it does not fit. */
export function spotBox(spot: Spot, f: Floating, w: number, h: number): Box | null {
  if (spot === 'home') return f.home;
  const mx = Math.max(EDGE, Math.min(f.home.x1, w - f.home.x2));
  const my = Math.max(EDGE, Math.min(f.home.y1, h - f.home.y2));
  if (f.w + 2 * mx > w || f.h + 2 * my > h) return null;
  const left = spot.endsWith('left') ? mx : spot.endsWith('right') ? w - mx - f.w : (w - f.w) / 2;
  const top = spot.startsWith('top')
    ? my
    : spot.startsWith('bottom')
      ? h - my - f.h
      : (h - f.h) / 2;
  const x1 = Math.round(left);
  const y1 = Math.round(top);
  return { x1, y1, x2: x1 + f.w, y2: y1 + f.h };
}

/** Where the view and its floating panels go: the view's adjustment and each panel's spot and box. */
export interface Arrangement {
  adjust: FitAdjust;
  spots: Spot[];
  boxes: Box[];
}

/**
 * Places the floating panels and fits the view together. At each zoom (the least
 * zoom-out first) and shift (the smallest first) that clears the fixed panels, each
 * floating panel takes the first spot (its current one, then SPOTS in order) whose box
 * covers no node, no label, no other panel and no floating panel placed before it. So a
 * panel moves to another corner before the picture shifts, and the picture shrinks only
 * when no shift and no spot clears everything. When nothing does, the panels stay where
 * they are and the view makes the fewest overlaps it can.
 */
export function arrange(p: FitProblem, floats: readonly Floating[]): Arrangement {
  const current = floats.map((f) => spotBox(f.spot, f, p.w, p.h) ?? f.home);
  if (floats.length === 0 || p.pieces.length === 0)
    return {
      adjust: avoidOverlays({ ...p, overlays: [...p.overlays, ...current] }),
      spots: floats.map((f) => f.spot),
      boxes: current,
    };
  const panels = p.overlays.filter((o) => o.x1 >= 0 && o.y1 >= 0 && o.x2 <= p.w && o.y2 <= p.h);
  const pad = (b: Box): Box => ({
    x1: b.x1 - PANEL_GAP,
    y1: b.y1 - PANEL_GAP,
    x2: b.x2 + PANEL_GAP,
    y2: b.y2 + PANEL_GAP,
  });
  // each panel's spots that fit in the container and cover no fixed panel, in order
  const options = floats.map((f) =>
    [f.spot, ...SPOTS.filter((s) => s !== f.spot)]
      .map((spot) => ({ spot, box: spotBox(spot, f, p.w, p.h) }))
      .filter(
        (o): o is { spot: Spot; box: Box } =>
          o.box !== null &&
          o.box.x1 >= 0 &&
          o.box.y1 >= 0 &&
          o.box.x2 <= p.w &&
          o.box.y2 <= p.h &&
          !panels.some((q) => intersects(pad(o.box!), q)),
      ),
  );
  if (options.every((o) => o.length > 0))
    for (const k of ZOOMS) {
      const boxes = p.pieces.map((piece) => placePiece(p, piece, { k, dx: 0, dy: 0 }));
      // a coarser grid of shifts than avoidOverlays: each shift is tried with every spot
      for (const { dx, dy } of shiftsFor(p, boxes, 2)) {
        if (hitsOf(boxes, dx, dy, p.overlays, 1) > 0) continue;
        const spots: Spot[] = [];
        const placed: Box[] = [];
        for (const opts of options) {
          const o = opts.find(
            ({ box }) =>
              !placed.some((q) => intersects(pad(box), q)) && hitsOf(boxes, dx, dy, [box], 1) === 0,
          );
          if (!o) break;
          spots.push(o.spot);
          placed.push(o.box);
        }
        if (spots.length === floats.length) return { adjust: { k, dx, dy }, spots, boxes: placed };
      }
    }
  // nothing clears everything: the spot (for the first panel; the others stay) under
  // which the best adjustment leaves the fewest overlaps
  let best: Arrangement = {
    adjust: avoidOverlays({ ...p, overlays: [...p.overlays, ...current] }),
    spots: floats.map((f) => f.spot),
    boxes: current,
  };
  let bestHits = collisions(
    { ...p, overlays: [...p.overlays, ...current] },
    best.adjust,
    CLEARANCE,
  );
  for (const o of options[0] ?? []) {
    const boxes = [o.box, ...current.slice(1)];
    const q = { ...p, overlays: [...p.overlays, ...boxes] };
    const adjust = avoidOverlays(q);
    const hits = collisions(q, adjust, CLEARANCE);
    if (hits < bestHits) {
      bestHits = hits;
      best = { adjust, spots: [o.spot, ...floats.slice(1).map((f) => f.spot)], boxes };
    }
  }
  return best;
}
/** 0 and the multiples of step between lo and hi, plus both ends. */
function range(lo: number, hi: number, step: number): number[] {
  const out = [0, lo, hi];
  for (let v = step; v < hi; v += step) out.push(v);
  for (let v = -step; v > lo; v -= step) out.push(v);
  return [...new Set(out)];
}

export type ViewAdjustStore = StoreApi<{ adjust: FitAdjust }>;

const adjusts = new WeakMap<object, ViewAdjustStore>();

/**
 * The adjustment in force in one network view, for the layers drawn over it that are not
 * the renderer's own. Each view has its own, keyed by the store it draws (compare mode's
 * two views fit apart: one zooming out leaves the other as it is).
 */
export function viewAdjustOf(view: object): ViewAdjustStore {
  let a = adjusts.get(view);
  if (!a) {
    a = createStore<{ adjust: FitAdjust }>()(() => ({ adjust: NO_ADJUST }));
    adjusts.set(view, a);
  }
  return a;
}
