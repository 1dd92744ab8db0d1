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
