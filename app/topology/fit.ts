/**
 * Keeping the panels drawn over the network view (status, partition, legend, payment
 * board) off the nodes: the view is zoomed out a little and shifted until no node, and
 * no label of a node, lies under one of them. Pure geometry, so it is tested in Node.
 */
import { createStore } from 'zustand/vanilla';

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
    const all = boxes.reduce((u, b) => ({
      x1: Math.min(u.x1, b.x1),
      y1: Math.min(u.y1, b.y1),
      x2: Math.max(u.x2, b.x2),
      y2: Math.max(u.y2, b.y2),
    }));
    const lo = { x: Math.min(0, EDGE - all.x1), y: Math.min(0, EDGE - all.y1) };
    const hi = { x: Math.max(0, p.w - EDGE - all.x2), y: Math.max(0, p.h - EDGE - all.y2) };
    const stepX = Math.max(6, (hi.x - lo.x) / 24);
    const stepY = Math.max(6, (hi.y - lo.y) / 16);
    const shifts: { dx: number; dy: number }[] = [];
    const xs = range(lo.x, hi.x, stepX);
    const ys = range(lo.y, hi.y, stepY);
    for (const dx of xs) for (const dy of ys) shifts.push({ dx, dy });
    shifts.sort((a, b) => Math.abs(a.dx) + Math.abs(a.dy) - (Math.abs(b.dx) + Math.abs(b.dy)));
    for (const { dx, dy } of shifts) {
      let hits = 0;
      for (const b of boxes) {
        const m = {
          x1: b.x1 + dx - CLEARANCE,
          y1: b.y1 + dy - CLEARANCE,
          x2: b.x2 + dx + CLEARANCE,
          y2: b.y2 + dy + CLEARANCE,
        };
        for (const o of p.overlays) if (intersects(m, o)) hits++;
        if (hits >= bestHits) break;
      }
      if (hits === 0) return { k, dx: Math.round(dx), dy: Math.round(dy) };
      if (hits < bestHits) {
        bestHits = hits;
        best = { k, dx: Math.round(dx), dy: Math.round(dy) };
      }
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

/** The adjustment in force, for the layers drawn over the view that are not the renderer's own. */
export const viewAdjust = createStore<{ adjust: FitAdjust }>()(() => ({ adjust: NO_ADJUST }));
