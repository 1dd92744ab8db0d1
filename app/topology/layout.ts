/**
 * Node positions in the view's virtual canvas: a 1000 x 1000 square centred on 0 that
 * the SVG viewBox always contains. Nodes sit on a circle in ring (scenario) order,
 * starting at the top and going clockwise, unless the scenario gives them x / y (a
 * node the user dragged).
 */
export const CANVAS = 1000;
const TAU = 2 * Math.PI;

export interface Point {
  x: number;
  y: number;
}

/** Radius of the layout circle for n nodes. */
export function ringRadius(n: number): number {
  return n <= 1 ? 0 : n <= 3 ? 240 : n <= 16 ? 300 : 390;
}

/** Node body radius: large for a handful of nodes, shrinking so 64 still fit the ring. */
export function nodeRadius(n: number): number {
  if (n <= 7) return 64;
  const gap = (TAU * ringRadius(n)) / n;
  return Math.max(9, Math.min(54, gap * 0.34));
}

export function layout(
  nodes: readonly { id: number; x?: number; y?: number }[],
): Map<number, Point> {
  const n = nodes.length;
  const r = ringRadius(n);
  const out = new Map<number, Point>();
  nodes.forEach((node, i) => {
    if (node.x !== undefined && node.y !== undefined) out.set(node.id, { x: node.x, y: node.y });
    else {
      const a = -Math.PI / 2 + (TAU * i) / n;
      out.set(node.id, { x: r * Math.cos(a), y: r * Math.sin(a) });
    }
  });
  return out;
}

/** A coordinate rounded to 0.1 view-box unit, for attributes (shorter DOM, same picture). */
export const r1 = (v: number) => Math.round(v * 10) / 10;

/** Labels outside the layout square need this much room around it. */
const VIEW_MARGIN = 0.9;
/**
 * Presenter mode: how far (view-box units) the view looks above the layout's centre.
 * Presenter labels are larger and the top node's label stacks upwards, so it would be cut
 * at the top edge while the bottom labels have room to spare.
 */
const PRESENTER_SHIFT = -35;

export interface ViewFit {
  /** CSS px per view-box unit. */
  scale: number;
  /** View-box point at the container's centre. */
  cx: number;
  cy: number;
  /** Half the visible width and height, view-box units. */
  halfW: number;
  halfH: number;
  viewBox: string;
}

/**
 * Fits the layout square into a w x h CSS px container, keeping its aspect: one rule for
 * every layer drawn over the network view. `adjust` zooms out (k) and shifts (dx, dy CSS
 * px) the picture to keep it clear of the panels over the view (fit.ts).
 */
export function fitView(
  w: number,
  h: number,
  presenting: boolean,
  adjust: { k: number; dx: number; dy: number } = { k: 1, dx: 0, dy: 0 },
): ViewFit {
  const side = CANVAS * VIEW_MARGIN;
  const scale = Math.min(w / side, h / side) * adjust.k;
  const vw = w / scale;
  const vh = h / scale;
  const cx = -adjust.dx / scale;
  const cy = (presenting ? PRESENTER_SHIFT : 0) - adjust.dy / scale;
  return {
    scale,
    cx,
    cy,
    halfW: vw / 2,
    halfH: vh / 2,
    viewBox: `${r1(cx - vw / 2)} ${r1(cy - vh / 2)} ${r1(vw)} ${r1(vh)}`,
  };
}
