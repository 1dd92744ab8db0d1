/**
 * The part of the network view that moves every frame: countdown rings, messages in
 * flight and the marks of dropped messages. It is a canvas between the links (SVG below)
 * and the nodes (SVG above), so that animating it costs a redraw of a few dots and arcs
 * and no style, layout or SVG repaint.
 *
 * Messages are still joined by key: `join()` keeps one sprite per message id (enter /
 * update / exit, like a D3 keyed join), and `draw(now)` places each sprite at
 * (now - sentAt) / (deliverAt - sentAt) of its link in simulated time.
 */
import type { MessageView } from '../../algorithms/index';
import { isBlocked, type NodeVM, type SimView } from '../store/view';
import type { DropEffect } from '../store/store';
import type { Point } from './layout';
import { toneOf } from './palette';
import { intersects, type Box } from './fit';

/** The smallest a label may be on screen, CSS px. */
export const MIN_LABEL_PX = 12.5;

const DROP_FX_MS = 1400;
const TAU = 2 * Math.PI;

interface Sprite {
  m: MessageView;
  tone: string;
}

interface Effect {
  fx: DropEffect;
  born: number;
  x: number;
  y: number;
  label: boolean;
}

interface Colors {
  stage: string;
  text: string;
  cut: string;
  track: string;
  ringFollower: string;
  ringLeader: string;
  ringCandidate: string;
  tones: Record<string, string>;
  font: string;
}

export interface MotionFrame {
  view: SimView;
  positions: ReadonlyMap<number, Point>;
  radius: number;
  labels: boolean;
  reducedMotion: boolean;
  /** The nodes' outer labels (role, vote), view units: message labels keep off them. */
  obstacles?: readonly Box[];
}

export class MotionLayer {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private sprites = new Map<number, Sprite>();
  private effects: Effect[] = [];
  private seenDrops = 0;
  private frame: MotionFrame | null = null;
  private colors: Colors | null = null;
  private theme = '';
  private box = { w: 0, h: 0, scale: 1, dpr: 1, cx: 0, cy: 0 };
  /** Where each message was drawn last (view units), for hover titles. */
  private dots: { x: number; y: number; m: MessageView }[] = [];
  private now = 0;
  private fxRaf = 0;
  private lastDraw = 0;
  /** The link with keyboard focus: its messages are labelled first, even where labels are off. */
  private focus: { a: number; b: number } | null = null;

  constructor(host: HTMLElement) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'layer layer-anim';
    this.canvas.setAttribute('aria-hidden', 'true');
    host.appendChild(this.canvas);
    this.ctx = this.canvas.getContext('2d')!;
  }

  /**
   * Container size in CSS px, CSS px per view-box unit, and (`cx`, `cy`), the view-box
   * point at the container's centre (the SVG layers' view box agrees: layout.ts fitView).
   */
  resize(w: number, h: number, scale: number, cy = 0, cx = 0): void {
    const dpr = window.devicePixelRatio || 1;
    this.box = { w, h, scale, dpr, cx, cy };
    this.canvas.width = Math.round(w * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.draw(this.now);
  }

  destroy(): void {
    if (this.fxRaf) cancelAnimationFrame(this.fxRaf);
    this.canvas.remove();
  }

  /** Keyed join of the messages in flight; queues new drop marks. */
  join(frame: MotionFrame, drops: readonly DropEffect[]): void {
    this.frame = frame;
    const next = new Map<number, Sprite>();
    for (const m of frame.view.inFlight) {
      if (m.from === m.to) continue;
      const old = this.sprites.get(m.id);
      next.set(m.id, old && old.m === m ? old : { m, tone: toneOf(m.kind) });
    }
    this.sprites = next;
    this.addDrops(drops);
  }

  /** Sets the link with keyboard focus (`2-3`, or null) and redraws. */
  setFocus(link: string | null): void {
    const [a, b] = link ? link.split('-').map(Number) : [];
    this.focus = link ? { a, b } : null;
    this.draw(this.now);
  }

  private palette(): Colors {
    const theme = document.documentElement.dataset.theme ?? '';
    if (this.colors && theme === this.theme) return this.colors;
    this.theme = theme;
    const cs = getComputedStyle(this.canvas);
    const v = (name: string) => cs.getPropertyValue(name).trim();
    this.colors = {
      stage: v('--stage'),
      text: v('--text'),
      cut: v('--cut'),
      track: v('--track'),
      ringFollower: v('--ring-follower'),
      ringLeader: v('--ring-leader'),
      ringCandidate: v('--ring-candidate'),
      tones: {
        vote: v('--oi-orange'),
        yes: v('--oi-green'),
        no: v('--oi-vermillion'),
        beat: theme === 'dark' ? '#2b9be6' : v('--oi-blue'),
        ack: v('--oi-sky'),
        other: v('--oi-purple'),
      },
      font: v('--font') || 'sans-serif',
    };
    return this.colors;
  }

  /** Where a message is drawn at fraction p of its link, on its own lane. */
  private place(from: Point, to: Point, p: number): { x: number; y: number; inner: number } {
    const R = this.frame!.radius;
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    const inner = Math.max(0, len - 2 * R);
    const lane = Math.max(4, R * 0.16);
    return {
      x: from.x + ux * (R + inner * p) - uy * lane,
      y: from.y + uy * (R + inner * p) + ux * lane,
      inner,
    };
  }

  /** Redraws everything that moves, at simulated time `now` (µs). */
  draw(now: number): void {
    this.now = now;
    this.lastDraw = performance.now();
    const { ctx, frame } = this;
    const { w, h, scale, dpr, cx, cy } = this.box;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (!frame || w === 0) return;
    const c = this.palette();
    const k = dpr * scale;
    ctx.setTransform(k, 0, 0, k, (w * dpr) / 2 - cx * k, (h * dpr) / 2 - cy * k);
    const R = frame.radius;
    const steps = frame.reducedMotion;
    const small = R < 30;

    // countdown rings: the earliest timer of each live node
    ctx.lineCap = 'round';
    const ringW = small ? 3 : 6;
    for (const n of frame.view.nodes) {
      if (!n.alive) continue;
      const P = frame.positions.get(n.id);
      if (!P) continue;
      ctx.lineWidth = ringW;
      ctx.strokeStyle = c.track;
      ctx.beginPath();
      ctx.arc(P.x, P.y, R + 9, 0, TAU);
      ctx.stroke();
      const f = timerFraction(n, now, steps);
      if (f <= 0) continue;
      ctx.strokeStyle =
        n.role === 'candidate'
          ? c.ringCandidate
          : n.timer?.id === 'heartbeat'
            ? c.ringLeader
            : c.ringFollower;
      ctx.beginPath();
      ctx.arc(P.x, P.y, R + 9, -Math.PI / 2, -Math.PI / 2 + TAU * f);
      ctx.stroke();
    }

    // messages
    const view = frame.view;
    // a label is never smaller on screen than the node labels' floor
    const fontSize = Math.max(18, MIN_LABEL_PX / scale);
    ctx.font = `700 ${fontSize}px ${c.font}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    ctx.lineJoin = 'round';
    const labels: [string, number, number, string, number][] = [];
    const focused: { text: string; x: number; y: number; color: string; id: number }[] = [];
    const fl = this.focus;
    const dots: { x: number; y: number; m: MessageView }[] = [];
    for (const { m, tone } of this.sprites.values()) {
      const A = frame.positions.get(m.from);
      const B = frame.positions.get(m.to);
      if (!A || !B) continue;
      const span = m.deliverAt - m.sentAt;
      let p = span > 0 ? (now - m.sentAt) / span : 1;
      p = Math.max(0, Math.min(1, p));
      if (steps) p = Math.round(p * 4) / 4;
      const blocked = isBlocked(view, m.from, m.to);
      let state = '';
      if (m.lost && p >= 0.5) {
        p = 0.5;
        state = 'lost';
      } else if (blocked && p >= 0.5) {
        p = 0.5;
        state = 'stuck';
      } else if (blocked) state = 'doomed';
      const { x, y, inner } = this.place(A, B, p);
      const color = c.tones[tone] ?? c.tones.other;
      dots.push({ x, y, m });
      if (state === 'lost') {
        cross(ctx, x, y, 7, c.cut, 4);
      } else if (state === 'stuck' || state === 'doomed') {
        ctx.beginPath();
        ctx.arc(x, y, 9, 0, TAU);
        ctx.fillStyle = c.stage;
        ctx.fill();
        ctx.lineWidth = 3.5;
        ctx.strokeStyle = state === 'stuck' ? c.cut : color;
        if (state === 'stuck') ctx.setLineDash([3, 3]);
        ctx.stroke();
        ctx.setLineDash([]);
      } else {
        ctx.beginPath();
        ctx.arc(x, y, 10, 0, TAU);
        ctx.fillStyle = color;
        ctx.fill();
        ctx.lineWidth = 2.5;
        ctx.strokeStyle = c.stage;
        ctx.stroke();
      }
      // labels of messages just leaving or arriving pile up on a node: show them in flight
      const quiet = state === '' && (inner * p < 46 || inner * (1 - p) < 46) && inner > 140;
      // the focused link's messages are named whatever else the view leaves out
      if (fl && ((m.from === fl.a && m.to === fl.b) || (m.from === fl.b && m.to === fl.a)))
        focused.push({ text: m.label, x, y, color: state ? c.cut : c.text, id: m.id });
      else if (frame.labels && !quiet) labels.push([m.label, x, y, state ? c.cut : c.text, m.id]);
    }
    this.dots = dots;
    // the reason a message was dropped, beside its mark, and then the messages' labels go
    // where they cover no node, no node label and no other label; when the view is crowded
    // some are left out (hovering a dot still names it)
    const fade = performance.now();
    const dropLabels = this.effects
      .filter((e) => e.label && fade - e.born < DROP_FX_MS)
      .map((e) => ({
        text: e.fx.reason,
        x: e.x,
        y: e.y,
        color: c.cut,
        alpha: steps ? 1 : Math.max(0, 1 - ((fade - e.born) / DROP_FX_MS) ** 2),
        kind: 'drop',
        id: undefined as number | undefined,
      }));
    const all = [
      ...focused.map((f) => ({ ...f, alpha: 1, kind: 'focused' })),
      ...dropLabels,
      ...labels.map(([text, x, y, color, id]) => ({
        text,
        x,
        y,
        color,
        alpha: 1,
        kind: 'message',
        id: id as number | undefined,
      })),
    ];
    const placed = placeLabels(
      all.map(({ text, x, y, kind }) => ({
        x,
        y,
        w: ctx.measureText(text).width,
        far: kind === 'focused',
      })),
      frame.view.nodes.map((n) => frame.positions.get(n.id)).filter((p) => p !== undefined),
      R + 9 + 4,
      fontSize,
      frame.obstacles ?? [],
    );
    ctx.lineWidth = 5;
    ctx.strokeStyle = c.stage;
    ctx.textBaseline = 'middle';
    type Shown = Box & { text: string; kind: string; id?: number };
    const shown: Shown[] = [];
    all.forEach(({ text, color, alpha, kind, id, x: px, y: py }, i) => {
      const b = placed[i];
      if (!b) return;
      const x = (b.x1 + b.x2) / 2;
      const y = (b.y1 + b.y2) / 2;
      if (kind === 'focused') {
        // a ring round the focused link's message and a line to its label, which may
        // have gone farther out than labels usually do
        ctx.globalAlpha = 1;
        ctx.lineWidth = 2;
        ctx.strokeStyle = color;
        ctx.beginPath();
        ctx.arc(px, py, 15, 0, TAU);
        const ex = Math.max(b.x1, Math.min(px, b.x2));
        const ey = Math.max(b.y1, Math.min(py, b.y2));
        const d = Math.hypot(ex - px, ey - py);
        if (d > 17) {
          ctx.moveTo(px + ((ex - px) * 15) / d, py + ((ey - py) * 15) / d);
          ctx.lineTo(ex, ey);
        }
        ctx.stroke();
        ctx.lineWidth = 5;
        ctx.strokeStyle = c.stage;
      }
      ctx.globalAlpha = alpha;
      ctx.strokeText(text, x, y);
      ctx.fillStyle = color;
      ctx.fillText(text, x, y);
      shown.push({ ...b, text, kind, id });
    });
    ctx.globalAlpha = 1;
    ctx.textBaseline = 'alphabetic';
    // for tests: the labels' boxes in CSS px of the container, with the message's id
    const toPx = (b: Shown) => ({
      x1: (b.x1 - cx) * scale + w / 2,
      y1: (b.y1 - cy) * scale + h / 2,
      x2: (b.x2 - cx) * scale + w / 2,
      y2: (b.y2 - cy) * scale + h / 2,
      text: b.text,
      kind: b.kind,
      id: b.id,
    });
    (this.canvas as HTMLCanvasElement & { labelBoxes?: Box[] }).labelBoxes = shown.map(toPx);

    // dropped messages: a cross where they failed, fading out in real time
    if (this.effects.length > 0) {
      const t = performance.now();
      for (const e of this.effects) {
        const age = (t - e.born) / DROP_FX_MS;
        ctx.globalAlpha = steps ? 1 : Math.max(0, 1 - age * age);
        ctx.beginPath();
        ctx.arc(e.x, e.y, 13, 0, TAU);
        ctx.fillStyle = c.stage;
        ctx.fill();
        ctx.lineWidth = 2;
        ctx.strokeStyle = c.cut;
        ctx.stroke();
        cross(ctx, e.x, e.y, 8, c.cut, 4);
      }
      ctx.globalAlpha = 1;
    }
  }

  /** The message drawn nearest to view point (x, y), within `r` view units. */
  messageAt(x: number, y: number, r: number): MessageView | null {
    let best: MessageView | null = null;
    let bd = r * r;
    for (const d of this.dots) {
      const q = (d.x - x) * (d.x - x) + (d.y - y) * (d.y - y);
      if (q <= bd) {
        bd = q;
        best = d.m;
      }
    }
    return best;
  }

  /** Number of drop marks on screen (for tests and the inspector). */
  get dropMarks(): number {
    return this.effects.length;
  }

  private addDrops(drops: readonly DropEffect[]): void {
    const frame = this.frame;
    if (!frame) return;
    const fresh = drops.filter((d) => d.key > this.seenDrops);
    if (fresh.length === 0) return;
    this.seenDrops = Math.max(...fresh.map((d) => d.key));
    const born = performance.now();
    for (const fx of fresh.slice(-20)) {
      const A = frame.positions.get(fx.from);
      const B = frame.positions.get(fx.to);
      if (!A || !B) continue;
      // a message refused by its receiver fails just outside the receiver's ring, not under it
      const inner = this.place(A, B, 0).inner;
      const at = fx.at < 1 || inner === 0 ? fx.at : Math.max(0.5, 1 - 34 / inner);
      const { x, y } = this.place(A, B, at);
      // one word per place and reason is enough when several fail together
      const twin = this.effects.some(
        (e) =>
          e.fx.reason === fx.reason &&
          born - e.born < 700 &&
          (Math.hypot(e.x - x, e.y - y) < 60 ||
            (fx.at === 1 && e.fx.at === 1 && e.fx.to === fx.to)),
      );
      this.effects.push({ fx, born, x, y, label: !twin });
    }
    if (this.effects.length > 24) this.effects.splice(0, this.effects.length - 24);
    if (!this.fxRaf) this.fxRaf = requestAnimationFrame(this.fade);
  }

  private fade = (ts: number): void => {
    this.fxRaf = 0;
    this.effects = this.effects.filter((e) => ts - e.born < DROP_FX_MS);
    // while playing, the store's frame has already redrawn this frame
    if (ts - this.lastDraw > 12) this.draw(this.now);
    if (this.effects.length > 0) this.fxRaf = requestAnimationFrame(this.fade);
  };
}

function timerFraction(n: NodeVM, now: number, steps: boolean): number {
  if (!n.timer) return 0;
  const span = n.timer.due - n.timer.start;
  let f = span > 0 ? Math.max(0, Math.min(1, (n.timer.due - now) / span)) : 0;
  if (steps) f = Math.ceil(f * 8) / 8;
  return f;
}

function cross(
  ctx: CanvasRenderingContext2D,
  x: number,
  y: number,
  r: number,
  color: string,
  width: number,
): void {
  ctx.beginPath();
  ctx.moveTo(x - r, y - r);
  ctx.lineTo(x + r, y + r);
  ctx.moveTo(x - r, y + r);
  ctx.lineTo(x + r, y - r);
  ctx.lineWidth = width;
  ctx.strokeStyle = color;
  ctx.lineCap = 'round';
  ctx.stroke();
}

/** How far from its dot a label may go, in steps of the first spots' distance. */
const NEAR = [1];
const FAR = [1, 1.8, 2.6, 3.6, 5, 7, 9.5];

/**
 * Places message labels (centred boxes of width w) beside their dots: above, below, right
 * or left, then diagonally, whichever first covers no node disc (radius r), no obstacle
 * (the nodes' own labels) and no label placed before it. A label marked `far` (one the
 * user asked for) also tries the same spots farther out. A label with no free place gets
 * null.
 */
export function placeLabels(
  labels: readonly { x: number; y: number; w: number; far?: boolean }[],
  nodes: readonly { x: number; y: number }[],
  r: number,
  size: number,
  obstacles: readonly Box[] = [],
): (Box | null)[] {
  const h = size * 1.1;
  const gap = 14;
  const taken: Box[] = [];
  const hitsNode = (b: Box) =>
    nodes.some((p) => {
      // the disc against the box: nearest point of the box to the centre
      const nx = Math.max(b.x1, Math.min(p.x, b.x2));
      const ny = Math.max(b.y1, Math.min(p.y, b.y2));
      return (nx - p.x) * (nx - p.x) + (ny - p.y) * (ny - p.y) < r * r;
    });
  return labels.map(({ x, y, w, far }) => {
    const spots: [number, number][] = [];
    for (const k of far ? FAR : NEAR) {
      const g = gap * k;
      const dx = g * 0.7 + w / 2;
      const dy = g * 0.7 + h / 2;
      spots.push(
        [x, y - g - h / 2],
        [x, y + g + h / 2],
        [x + g + w / 2, y],
        [x - g - w / 2, y],
        [x + dx, y - dy],
        [x - dx, y - dy],
        [x + dx, y + dy],
        [x - dx, y + dy],
      );
    }
    for (const [sx, sy] of spots) {
      const b = { x1: sx - w / 2, y1: sy - h / 2, x2: sx + w / 2, y2: sy + h / 2 };
      if (
        hitsNode(b) ||
        obstacles.some((t) => intersects(t, b)) ||
        taken.some((t) => intersects(t, b))
      )
        continue;
      taken.push(b);
      return b;
    }
    return null;
  });
}
