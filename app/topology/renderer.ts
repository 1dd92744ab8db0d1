/**
 * The D3 network view. It draws a SimView (plain data from the store) and never owns
 * simulation state: user gestures go out through callbacks, which call store actions.
 *
 * Drawing is split in two so that a playing simulation costs little:
 * - `render(frame)` runs when the picture changed (an event was processed, selection,
 *   a drag, a resize). Keyed joins add and remove elements; each element keeps a
 *   signature of what it shows and is only touched when that changed.
 * - `tick(now)` runs every animation frame while time moves: it only moves the message
 *   dots (positioned by (now - sentAt) / (deliverAt - sentAt) in simulated time) and
 *   shortens the countdown rings, and only writes attributes whose value changed.
 */
import { drag } from 'd3-drag';
import { polygonContains, polygonHull } from 'd3-polygon';
import { pointer, select, type Selection } from 'd3-selection';
import { termWords, type AlgorithmDefinition } from '../../algorithms/index';
import { holdsMajority, isBlocked, linkKey, type NodeVM, type SimView } from '../store/view';
import type { DropEffect } from '../store/store';
import { CANVAS, fitView, nodeRadius, r1, type Point } from './layout';
import { roleLook } from './palette';
import { MIN_LABEL_PX, MotionLayer } from './motion';
import {
  arrange,
  collisions,
  intersects,
  NO_ADJUST,
  spotBox,
  type Arrangement,
  type Box,
  type FitAdjust,
  type FitProblem,
  type Floating,
  type Piece,
  type Spot,
} from './fit';
import { drawLogStrip, epochText, logSig, showLogStrips, stripRoom } from './annotations';
import { presenterScale } from '../presenter/mode';

export interface RenderFrame {
  view: SimView;
  def: AlgorithmDefinition;
  positions: ReadonlyMap<number, Point>;
  selected: ReadonlySet<number>;
  link: { from: number; to: number } | null;
  reducedMotion: boolean;
}

export interface Anchor {
  /** Client (viewport) coordinates of the element the menu belongs to. */
  x: number;
  y: number;
}

export interface RendererCallbacks {
  nodeClick(id: number, ev: MouseEvent | KeyboardEvent, anchor: Anchor): void;
  nodeDrag(id: number, x: number, y: number): void;
  /** `near` is the endpoint closer to the click (shift-click cuts near -> far only). */
  linkClick(from: number, to: number, ev: MouseEvent, anchor: Anchor, near: number): void;
  /** Enter or Space on a focused link: cut it, or heal it when it is cut (the C key). */
  linkToggle(from: number, to: number): void;
  backgroundClick(): void;
  lasso(ids: number[]): void;
  /** The panels drawn over the view, in CSS px of the container (kept clear of the nodes). */
  overlays?(): Box[];
  /** The view zoomed or shifted to keep clear of the panels. */
  fitChanged?(adjust: FitAdjust): void;
  /** The panels over the view that may be moved out of its way (container px). */
  floating?(): Floating[];
  /** Moves those panels to these spots and boxes (container px). */
  placeFloating?(spots: Spot[], boxes: Box[]): void;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/**
 * While the labels beside the nodes keep their words and places, a render checks the
 * overlays at most this often (each check measures the panels, which forces a layout);
 * panels that appear or resize are checked at once by the view's observers.
 */
const OVERLAY_RECHECK_MS = 250;

type G = Selection<SVGGElement, unknown, null, undefined>;

interface LinkDatum {
  key: string;
  a: number;
  b: number;
}

interface Sig {
  __sig?: string;
}

/** A link's accessible name without the messages on it. */
interface Named {
  __name?: string;
}

function el<K extends keyof SVGElementTagNameMap>(
  parent: Element,
  tag: K,
  cls?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, tag);
  if (cls) e.setAttribute('class', cls);
  parent.appendChild(e);
  return e;
}

function setAttr(e: Element, name: string, value: string): void {
  if (e.getAttribute(name) !== value) e.setAttribute(name, value);
}

function setText(e: Element, value: string): void {
  if (e.textContent !== value) e.textContent = value;
}

export class TopologyRenderer {
  private readonly host: HTMLElement;
  private readonly svgs: SVGSVGElement[] = [];
  private readonly cb: RendererCallbacks;
  private readonly root: G;
  private readonly zones: G;
  private readonly links: G;
  private readonly motion: MotionLayer;
  private readonly nodes: G;
  private readonly lassoPath: SVGPathElement;
  private frame: RenderFrame | null = null;
  private radius = 52;
  private lastDrops: readonly DropEffect[] = [];
  private half = { w: CANVAS / 2, h: CANVAS / 2 };
  /** View-box point at the container's centre. */
  private cx = 0;
  private cy = 0;
  /** CSS px per view-box unit, as drawn. */
  private scale = 1;
  /** How the view departs from its plain fit to keep clear of the panels over it. */
  private adjust: FitAdjust = NO_ADJUST;
  /** Font size (view units) of the smallest label beside a node, from the style sheet. */
  private labelFont = 19;
  private dragging = false;
  private searched: { key: string; found: Arrangement | null } = { key: '', found: null };
  /** What the last overlay check after a render saw of the labels, and when. */
  private overlaysSeen = { key: '', at: -Infinity };
  private nodeCount = -1;
  private size = { w: 0, h: 0 };
  private presenting = false;
  private lastNow = -1;
  private showLabels = true;
  private linksKey = '';
  private linksPositions: ReadonlyMap<number, Point> | null = null;
  /**
   * The view's one tab stop (roving focus): a node (`n3`) or a link (`l2-3`). Arrow keys
   * move it; the element holding it has tabindex 0, every other node and link -1.
   */
  private stop = '';
  private stopEl: SVGElement | null = null;
  /** The node whose links ← / → walk through while a link has focus. */
  private linkHome: number | null = null;
  /**
   * The link with keyboard focus (`2-3`), if any: the messages on it are named in its
   * accessible name and their labels are drawn first, however crowded the view.
   */
  private focusLink: string | null = null;

  constructor(host: HTMLElement, cb: RendererCallbacks) {
    this.host = host;
    this.cb = cb;
    host.replaceChildren();
    // Three stacked SVGs, each its own compositing layer: what moves every frame (timer
    // rings, messages, drop marks) repaints alone; links and nodes repaint on events only.
    const layer = (name: string) => {
      const svg = el(host as unknown as Element, 'svg', `layer layer-${name}`);
      const g = el(svg, 'g', 'topo-root');
      this.svgs.push(svg);
      return select(g) as unknown as G;
    };
    this.root = layer('back');
    this.motion = new MotionLayer(host);
    const front = layer('front');
    const bg = this.root
      .append('rect')
      .attr('class', 'topo-bg')
      .attr('x', -5000)
      .attr('y', -5000)
      .attr('width', 10000)
      .attr('height', 10000);
    this.zones = this.root.append('g').attr('class', 'zones') as unknown as G;
    this.links = this.root.append('g').attr('class', 'links') as unknown as G;
    this.nodes = front.append('g').attr('class', 'nodes') as unknown as G;
    this.lassoPath = front.append('path').attr('class', 'lasso').node() as SVGPathElement;
    this.installLasso(bg.node() as SVGRectElement);
    host.addEventListener('keydown', (ev) => this.onKey(ev));
    host.addEventListener('focusin', (ev) => {
      const key = this.keyOf(ev.target as Element);
      if (key) this.setStop(key);
      this.focusOn(key.startsWith('l') ? key.slice(1) : null);
    });
    host.addEventListener('focusout', () => this.focusOn(null));
    this.installHover(bg.node() as SVGRectElement);
  }

  /** Fits the layout square into a container of w x h CSS pixels, keeping its aspect. */
  resize(w: number, h: number): void {
    if (w <= 0 || h <= 0) return;
    const changed = w !== this.size.w || h !== this.size.h;
    this.size = { w, h };
    const presenting = presenterScale() !== 1;
    if (changed || presenting !== this.presenting) this.adjust = NO_ADJUST;
    this.presenting = presenting;
    this.labelFont = this.readLabelFont();
    this.applyFit();
  }

  private applyFit(): void {
    const { w, h } = this.size;
    if (w <= 0 || h <= 0) return;
    const fit = fitView(w, h, this.presenting, this.adjust);
    this.half = { w: fit.halfW, h: fit.halfH };
    this.cx = fit.cx;
    this.cy = fit.cy;
    this.scale = fit.scale;
    for (const svg of this.svgs) setAttr(svg, 'viewBox', fit.viewBox);
    this.motion.resize(w, h, fit.scale, fit.cy, fit.cx);
    this.cb.fitChanged?.(this.adjust);
  }

  private readLabelFont(): number {
    const t = this.host.querySelector('.vote-text');
    const f = t ? parseFloat(getComputedStyle(t).fontSize) : NaN;
    return Number.isFinite(f) && f > 0 ? f : 19;
  }

  /** Zoom below which labels stop shrinking with the view (their smallest font hits the floor). */
  private floorK(): number {
    const base = this.scale / this.adjust.k;
    return MIN_LABEL_PX / (this.labelFont * base);
  }

  /** How much the labels beside the nodes are enlarged to stay readable on screen. */
  private labelScale(): number {
    return Math.max(1, MIN_LABEL_PX / (this.labelFont * this.scale));
  }

  /**
   * Keeps the panels over the view off the nodes and their labels: when one covers
   * something (or `force`, after the container or the cluster changed), zooms out and
   * shifts the view as little as clears them all.
   */
  checkOverlays(force = false): void {
    const frame = this.frame;
    if (!frame || !this.cb.overlays || this.size.w <= 0 || this.dragging) return;
    // the container's edges count as panels: nothing is pushed out of sight either
    const { w, h } = this.size;
    const far = 1e5;
    const edges: Box[] = [
      { x1: -far, y1: -far, x2: far, y2: 0 },
      { x1: -far, y1: h, x2: far, y2: far },
      { x1: -far, y1: -far, x2: 0, y2: far },
      { x1: w, y1: -far, x2: far, y2: far },
    ];
    const fixed = this.cb.overlays();
    const problem = this.fitProblem(frame, [...fixed, ...edges]);
    const floats = this.cb.floating?.() ?? [];
    const at = floats.map((f) => spotBox(f.spot, f, w, h) ?? f.home);
    // a floating panel is off its spot when the container or the panel changed size
    const offSpot = floats.some(
      (f, i) => Math.abs(f.at.x1 - at[i].x1) > 1 || Math.abs(f.at.y1 - at[i].y1) > 1,
    );
    const clear =
      !offSpot &&
      collisions({ ...problem, overlays: [...problem.overlays, ...at] }, this.adjust, 2) === 0 &&
      !at.some((b) => fixed.some((o) => intersects(b, o)));
    if (!force && clear) return;
    // the same picture under the same panels has the same answer (a crowded view that
    // cannot be cleared entirely is not searched again on every frame)
    const key = `${problemKey(problem)}|${floats.map((f) => `${f.spot}:${f.w}x${f.h}@${f.home.x1},${f.home.y1}`).join(';')}`;
    const next =
      key === this.searched.key && this.searched.found
        ? this.searched.found
        : arrange(problem, floats);
    this.searched = { key, found: next };
    if (
      next.boxes.some(
        (b, i) => Math.abs(b.x1 - floats[i].at.x1) > 1 || Math.abs(b.y1 - floats[i].at.y1) > 1,
      )
    )
      this.cb.placeFloating?.(next.spots, next.boxes);
    const a = this.adjust;
    const adjust = next.adjust;
    if (adjust.k === a.k && adjust.dx === a.dx && adjust.dy === a.dy) return;
    this.adjust = adjust;
    this.applyFit();
    this.linksKey = '';
    this.render(frame, this.lastDrops, this.lastNow < 0 ? 0 : this.lastNow, false);
  }

  /** The nodes, their labels and log strips as pieces to keep clear of the overlays. */
  private fitProblem(frame: RenderFrame, overlays: Box[]): FitProblem {
    const R = this.radius;
    const ring = R + 12;
    const base = this.scale / this.adjust.k;
    const s1 = Math.max(1, this.floorK());
    const s = this.labelScale();
    const pieces: Piece[] = [];
    for (const g of this.nodes.selectAll<SVGGElement, NodeVM>('g.node').nodes()) {
      const id = Number(g.getAttribute('data-node'));
      const P = this.pos(id);
      pieces.push({ ax: P.x, ay: P.y, box: { x1: -ring, y1: -ring, x2: ring, y2: ring } });
      const outer = g.querySelector<SVGGElement>('.outer');
      if (outer && outer.getAttribute('display') !== 'none') {
        const b = outer.getBBox();
        const o = outer as SVGGElement & { __at?: Point };
        const at = o.__at ?? { x: 0, y: 0 };
        // the box at k = 1: labels are drawn s times their font, s1 times at k = 1
        const f = s1 / s;
        pieces.push({
          ax: P.x + at.x,
          ay: P.y + at.y,
          box: {
            x1: b.x * s * f,
            y1: b.y * s * f,
            x2: (b.x + b.width) * s * f,
            y2: (b.y + b.height) * s * f,
          },
          grows: true,
        });
      }
      const strip = g.querySelector<SVGGElement>('.logstrip');
      if (strip && strip.getAttribute('display') !== 'none') {
        const b = strip.getBBox();
        pieces.push({
          ax: P.x,
          ay: P.y,
          box: { x1: b.x, y1: b.y, x2: b.x + b.width, y2: b.y + b.height },
        });
      }
    }
    return {
      w: this.size.w,
      h: this.size.h,
      scale: base,
      cx: 0,
      cy: fitView(this.size.w, this.size.h, this.presenting).cy,
      pieces,
      overlays,
      floorK: this.floorK(),
    };
  }

  destroy(): void {
    this.motion.destroy();
    this.host.replaceChildren();
  }

  // ---- structural render ---------------------------------------------------------------

  render(frame: RenderFrame, drops: readonly DropEffect[], now: number, check = true): void {
    const before = this.frame?.positions;
    this.frame = frame;
    this.lastDrops = drops;
    const n = frame.view.nodes.length;
    this.radius = nodeRadius(n) * presenterScale();
    let force = false;
    // presenter mode toggled without a size change: refit
    if ((presenterScale() !== 1) !== this.presenting) {
      this.resize(this.size.w, this.size.h);
      force = true;
    }
    if (n !== this.nodeCount || frame.positions !== before) {
      this.nodeCount = n;
      force = true;
    }
    this.showLabels = n <= 16;
    this.host.classList.toggle('reduced-motion', frame.reducedMotion);
    const hadFocus = this.host.contains(document.activeElement);
    // links and zones change only with cuts, partitions, positions or the selected link
    const linksKey = `${frame.view.netKey}|${frame.link?.from}-${frame.link?.to}|${this.radius}|${frame.def.name}|${r1(this.labelScale())}`;
    if (frame.positions !== this.linksPositions || linksKey !== this.linksKey) {
      this.linksPositions = frame.positions;
      this.linksKey = linksKey;
      this.renderZones(frame);
      this.renderLinks(frame);
    }
    this.renderNodes(frame);
    this.syncStop(hadFocus);
    this.motion.join(
      {
        view: frame.view,
        positions: frame.positions,
        radius: this.radius,
        labels: this.showLabels && frame.view.inFlight.length <= 40,
        reducedMotion: frame.reducedMotion,
        obstacles: this.nodes
          .selectAll<SVGGElement & { __labels?: Box[] }, NodeVM>('g.node')
          .nodes()
          .flatMap((g) => g.__labels ?? []),
      },
      drops,
    );
    if (this.focusLink) this.nameLink(this.focusLink);
    this.tick(now, true);
    if (check) this.checkOverlaysAfterRender(force);
  }

  /**
   * The overlay check after a render: skipped while nothing it measures can have moved
   * (same size, fit and node labels, strips and their words) and the last one is recent,
   * so a playing run does not force a layout on every frame.
   */
  private checkOverlaysAfterRender(force: boolean): void {
    const parts: string[] = [`${this.size.w}x${this.size.h}|${this.presenting}`];
    for (const g of this.nodes.node()!.children) {
      const outer = g.querySelector('.outer');
      const strip = g.querySelector('.logstrip');
      parts.push(
        `${g.getAttribute('data-node')}:${outer?.getAttribute('display')}:${outer?.getAttribute('transform')}:${outer?.textContent}:${strip?.getAttribute('display')}:${strip?.getAttribute('data-log-length')}:${strip?.textContent}`,
      );
    }
    const key = parts.join('\n');
    const now = performance.now();
    if (!force && key === this.overlaysSeen.key && now - this.overlaysSeen.at < OVERLAY_RECHECK_MS)
      return;
    this.overlaysSeen = { key, at: now };
    this.checkOverlays(force);
  }

  private pos(id: number): Point {
    return this.frame?.positions.get(id) ?? { x: 0, y: 0 };
  }

  private renderZones(frame: RenderFrame): void {
    const groups = frame.view.groups;
    const data: { key: string; ids: number[]; index: number }[] = [];
    if (groups) {
      const by = new Map<number, number[]>();
      for (const nd of frame.view.nodes) {
        const g = groups[nd.id];
        if (!by.has(g)) by.set(g, []);
        by.get(g)!.push(nd.id);
      }
      [...by.entries()]
        .sort((a, b) => a[0] - b[0])
        .forEach(([, ids], index) => data.push({ key: ids.join(','), ids, index }));
    }
    const R = this.radius;
    this.zones
      .selectAll<SVGGElement, (typeof data)[number]>('g.zone')
      .data(data, (d) => d.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'zone');
        g.append('path').attr('class', 'zone-shape');
        const b = g.append('g').attr('class', 'zone-badge');
        b.append('circle').attr('r', 21);
        b.append('text').attr('y', 8);
        return g;
      })
      .each((d, i, els) => {
        const g = els[i];
        const pts = d.ids.map((id) => frame.positions.get(id) ?? { x: 0, y: 0 });
        const hull =
          pts.length >= 3
            ? (polygonHull(pts.map((p) => [p.x, p.y] as [number, number])) ?? [])
            : pts.map((p) => [p.x, p.y] as [number, number]);
        const path =
          hull.length === 0 ? '' : `M${hull.map(([x, y]) => `${r1(x)},${r1(y)}`).join('L')}Z`;
        const shape = g.firstElementChild as SVGPathElement;
        const majority = holdsMajority(frame.view, d.ids);
        setAttr(g, 'class', `zone zone-${d.index % 4}${majority ? ' has-majority' : ''}`);
        setAttr(g, 'data-testid', `zone-${String.fromCharCode(65 + d.index)}`);
        setAttr(shape, 'd', path);
        setAttr(shape, 'stroke-width', String(Math.round(2 * (R + 28))));
        // a letter badge: inside big groups, towards the centre for one or two nodes
        let cx = pts.reduce((s, p) => s + p.x, 0) / pts.length;
        let cy = pts.reduce((s, p) => s + p.y, 0) / pts.length;
        if (pts.length <= 2) {
          const len = Math.hypot(cx, cy);
          const k = len > 1 ? (R + 46) / len : 0;
          cx -= cx * k;
          cy -= len > 1 ? cy * k : -(R + 46);
        }
        const badge = g.lastElementChild as SVGGElement;
        setAttr(
          badge,
          'transform',
          `translate(${r1(cx)},${r1(cy)}) scale(${r1(this.labelScale())})`,
        );
        setText(badge.lastElementChild!, String.fromCharCode(65 + d.index));
      });
  }

  private renderLinks(frame: RenderFrame): void {
    const ids = frame.view.nodes.map((n) => n.id);
    const data: LinkDatum[] = [];
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const a = Math.min(ids[i], ids[j]);
        const b = Math.max(ids[i], ids[j]);
        data.push({ key: `${a}-${b}`, a, b });
      }
    const view = frame.view;
    const sel = frame.link;
    const dense = ids.length > 16;
    // a ring algorithm only talks to its neighbours in ring order: draw that ring stronger
    const ring = new Set<string>();
    if (frame.def.ringOrder && ids.length > 2)
      ids.forEach((id, i) => {
        const next = ids[(i + 1) % ids.length];
        ring.add(`${Math.min(id, next)}-${Math.max(id, next)}`);
      });
    this.links
      .selectAll<SVGGElement, LinkDatum>('g.link')
      .data(data, (d) => d.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'link');
        g.append('line').attr('class', 'link-vis');
        g.append('line')
          .attr('class', 'link-hit')
          .on('click', (ev: MouseEvent, d) => {
            ev.stopPropagation();
            const [px, py] = pointer(ev, this.root.node());
            const A = this.pos(d.a);
            const B = this.pos(d.b);
            const near =
              Math.hypot(px - A.x, py - A.y) <= Math.hypot(px - B.x, py - B.y) ? d.a : d.b;
            this.cb.linkClick(d.a, d.b, ev, { x: ev.clientX, y: ev.clientY }, near);
          });
        g.append('g').attr('class', 'cut-mark');
        // the focus outline: a rounded band along the link, drawn when the link has focus
        g.append('path').attr('class', 'link-focus').attr('aria-hidden', 'true');
        return g;
      })
      .each((d, i, els) => {
        const A = this.pos(d.a);
        const B = this.pos(d.b);
        const ab = view.cuts.has(linkKey(d.a, d.b));
        const ba = view.cuts.has(linkKey(d.b, d.a));
        const part = !ab && !ba && isBlocked(view, d.a, d.b) === 'partition';
        const isSel =
          !!sel && ((sel.from === d.a && sel.to === d.b) || (sel.from === d.b && sel.to === d.a));
        const onRing = ring.size === 0 ? '' : ring.has(d.key) ? ' ring-edge' : ' off-ring';
        const sig = `${r1(A.x)},${r1(A.y)},${r1(B.x)},${r1(B.y)}|${ab}|${ba}|${part}|${isSel}|${dense}|${onRing}`;
        const node = els[i] as SVGGElement & Sig;
        if (node.__sig === sig) return;
        node.__sig = sig;
        const state = ab && ba ? 'cut' : ab || ba ? 'cut one-way' : part ? 'partitioned' : 'ok';
        setAttr(
          node,
          'class',
          `link${ab || ba ? ' is-cut' : ''}${part ? ' is-part' : ''}${isSel ? ' is-selected' : ''}${dense ? ' dense' : ''}${onRing}`,
        );
        const [vis, hit] = [node.children[0], node.children[1]] as SVGLineElement[];
        for (const line of [vis, hit]) {
          setAttr(line, 'x1', String(r1(A.x)));
          setAttr(line, 'y1', String(r1(A.y)));
          setAttr(line, 'x2', String(r1(B.x)));
          setAttr(line, 'y2', String(r1(B.y)));
        }
        setAttr(node.children[3], 'd', bandPath(A, B, this.radius + 6, dense ? 8 : 13));
        setAttr(node, 'data-testid', `link-${d.a}-${d.b}`);
        setAttr(node, 'data-state', state);
        setAttr(hit, 'role', 'button');
        setAttr(hit, 'data-link', d.key);
        if (!hit.hasAttribute('tabindex')) hit.setAttribute('tabindex', '-1');
        const dirText =
          ab && ba
            ? 'cut both ways'
            : ab
              ? `cut from ${d.a} to ${d.b} only`
              : ba
                ? `cut from ${d.b} to ${d.a} only`
                : part
                  ? 'blocked by the partition'
                  : 'up';
        (hit as SVGLineElement & Named).__name = `Link ${d.a}-${d.b}, ${dirText}`;
        if (d.key === this.focusLink) this.nameLink(d.key);
        else setAttr(hit, 'aria-label', `Link ${d.a}-${d.b}, ${dirText}`);
        setAttr(hit, 'aria-pressed', String(isSel));
        let title = hit.firstElementChild as SVGTitleElement | null;
        if (!title) title = el(hit, 'title');
        setText(
          title,
          `Link ${d.a} ↔ ${d.b}: ${dirText}. Click to select (C cuts or heals it), shift-click to cut one way; Enter or Space on a focused link cuts or heals it.`,
        );
        const mark = node.children[2] as SVGGElement;
        mark.replaceChildren();
        if (ab || ba) {
          const mx = (A.x + B.x) / 2;
          const my = (A.y + B.y) / 2;
          // arrow points the way messages are dropped
          const [fx, fy, tx, ty] = ab && !ba ? [A.x, A.y, B.x, B.y] : [B.x, B.y, A.x, A.y];
          const angle = (Math.atan2(ty - fy, tx - fx) * 180) / Math.PI;
          setAttr(mark, 'transform', `translate(${r1(mx)},${r1(my)}) rotate(${r1(angle)})`);
          const s = dense ? 0.6 : 1;
          if (ab && ba) {
            const c = el(mark, 'circle', 'cut-badge');
            c.setAttribute('r', String(15 * s));
            const t = el(mark, 'path', 'cut-x');
            const k = 7 * s;
            t.setAttribute('d', `M${-k},${-k}L${k},${k}M${-k},${k}L${k},${-k}`);
          } else {
            const c = el(mark, 'circle', 'cut-badge');
            c.setAttribute('r', String(15 * s));
            const arrow = el(mark, 'path', 'cut-arrow');
            arrow.setAttribute('d', `M${-8 * s},${-9 * s}L${10 * s},0L${-8 * s},${9 * s}Z`);
          }
        }
      });
  }

  private renderNodes(frame: RenderFrame): void {
    const R = this.radius;
    const labels = this.showLabels;
    const small = R < 30;
    const logs = showLogStrips(frame.def, frame.view.nodes);
    // text never smaller on screen than MIN_LABEL_PX, however far the view is zoomed out
    const minFont = MIN_LABEL_PX / this.scale;
    const ls = this.labelScale();
    this.nodes
      .selectAll<SVGGElement, NodeVM>('g.node')
      .data(frame.view.nodes, (d) => String(d.id))
      .join((enter) => {
        const g = enter
          .append('g')
          .attr('class', 'node')
          .attr('tabindex', -1)
          .attr('role', 'button')
          .attr('data-testid', (d) => `node-${d.id}`)
          .attr('data-node', (d) => d.id);
        g.append('circle').attr('class', 'focus-ring');
        g.append('circle').attr('class', 'sel-ring');
        g.append('circle').attr('class', 'body');
        const dead = g.append('g').attr('class', 'dead-badge');
        dead.append('circle');
        dead.append('path').attr('class', 'cross');
        g.append('text').attr('class', 'glyph');
        g.append('text').attr('class', 'nid');
        g.append('text').attr('class', 'term');
        const p = g.append('g').attr('class', 'pause-badge');
        p.append('circle');
        p.append('rect');
        p.append('rect');
        const lab = g.append('g').attr('class', 'outer');
        lab.append('text').attr('class', 'role-text');
        lab.append('text').attr('class', 'vote-text');
        g.append('g').attr('class', 'logstrip');
        g.append('title');
        const anchor = (ev: Event): Anchor => {
          const b = (ev.currentTarget as SVGGElement)
            .querySelector('.body')!
            .getBoundingClientRect();
          return { x: b.left + b.width / 2, y: b.top + b.height / 2 };
        };
        g.on('click', (ev: MouseEvent, d) => {
          ev.stopPropagation();
          this.cb.nodeClick(d.id, ev, anchor(ev));
        });
        g.on('keydown', (ev: KeyboardEvent, d) => {
          if (ev.key !== 'Enter') return;
          ev.preventDefault();
          this.cb.nodeClick(d.id, ev, anchor(ev));
        });
        g.call(
          drag<SVGGElement, NodeVM>()
            .clickDistance(5)
            .subject((_ev, d) => this.pos(d.id))
            .on('start', (ev) => {
              this.dragging = true;
              (ev.sourceEvent?.currentTarget as Element | null)?.classList?.add('dragging');
            })
            .on('drag', (ev, d) => {
              const x = Math.max(
                this.cx - this.half.w + R,
                Math.min(this.cx + this.half.w - R, ev.x),
              );
              const y = Math.max(
                this.cy - this.half.h + R,
                Math.min(this.cy + this.half.h - R, ev.y),
              );
              this.cb.nodeDrag(d.id, x, y);
            })
            .on('end', () => {
              this.dragging = false;
              this.nodes.selectAll('.dragging').classed('dragging', false);
            }),
        );
        return g;
      })
      .each((d, i, els) => {
        const g = els[i] as SVGGElement & Sig;
        const P = this.pos(d.id);
        const look = roleLook(d, frame.def);
        const sel = frame.selected.has(d.id);
        const isLeader = frame.view.leader === d.id;
        const votes = d.votes ? d.votes.length : -1;
        const sig = [
          r1(P.x),
          r1(P.y),
          R,
          look.text,
          d.term,
          d.votedFor,
          d.leader,
          d.alive,
          d.paused,
          sel,
          isLeader,
          votes,
          labels,
          d.timer?.id,
          d.label,
          logSig(frame.def, d, logs),
          r1(minFont),
          r1(ls),
        ].join('|');
        setAttr(g, 'transform', `translate(${r1(P.x)},${r1(P.y)})`);
        if (g.__sig === sig) return;
        g.__sig = sig;
        const q = (s: string) => g.querySelector(s) as SVGElement;
        setAttr(
          g,
          'class',
          `node role-${look.key}${d.paused ? ' is-paused' : ''}${sel ? ' is-selected' : ''}${small ? ' small' : ''}`,
        );
        setAttr(g, 'data-role', look.key);
        setAttr(g, 'data-term', d.term === undefined ? '' : String(d.term));
        setAttr(g, 'data-alive', String(d.alive));
        setAttr(g, 'data-paused', String(d.paused));
        setAttr(g, 'aria-pressed', String(sel));
        const termText = d.term !== undefined ? `, ${termWords(frame.def, d.term)}` : '';
        const voteText =
          d.votedFor !== undefined && d.votedFor !== null ? `, voted for node ${d.votedFor}` : '';
        const name = d.label ? `${d.label} (node ${d.id})` : `Node ${d.id}`;
        const status = `${name}: ${look.text.toLowerCase()}${d.paused ? ' (paused)' : ''}${termText}${voteText}`;
        setAttr(g, 'aria-label', status);
        setText(
          q('title'),
          `${status}. Click for actions, drag to move, shift-click to add to the selection.`,
        );
        for (const [cls, r] of [
          ['.focus-ring', R + 22],
          ['.sel-ring', R + 17],
          ['.body', R],
        ] as const)
          setAttr(q(cls), 'r', String(r1(r)));
        const glyph = q('.glyph');
        setText(glyph, small ? '' : look.glyph);
        setAttr(glyph, 'y', String(r1(-R * 0.47)));
        // the role's icon (★ leader, ⚑ candidate) says something: as readable as a label
        setAttr(glyph, 'font-size', String(r1(Math.max(R * 0.4, minFont))));
        // the term under the id keeps a readable size: when that is larger than its share
        // of the node, it moves down and, if wider than the node there, is squeezed to fit
        const innerText = small ? '' : d.alive ? epochText(d, frame.def) : 'DEAD';
        const tf = Math.max(R * 0.3, minFont);
        const ty = Math.min(R * 0.8, R * 0.62 + (tf - R * 0.3) * 0.6);
        const chord = 2 * Math.sqrt(Math.max(0, R * R - ty * ty)) - R * 0.12;
        const nid = q('.nid');
        setText(nid, String(d.id));
        setAttr(nid, 'y', String(r1(small ? R * 0.36 : Math.min(R * 0.16, ty - tf * 0.78))));
        setAttr(nid, 'font-size', String(r1(small ? R * 1.05 : R * 0.66)));
        const term = q('.term');
        // a dead node says so in words; its id stays clear
        setText(term, innerText);
        setAttr(term, 'y', String(r1(ty)));
        setAttr(term, 'font-size', String(r1(tf)));
        // about 0.6 em a character in the bold sans the view uses
        if (innerText.length * tf * 0.6 > chord) {
          setAttr(term, 'textLength', String(r1(chord)));
          setAttr(term, 'lengthAdjust', 'spacingAndGlyphs');
        } else {
          term.removeAttribute('textLength');
          term.removeAttribute('lengthAdjust');
        }
        drawLogStrip(q('.logstrip') as SVGGElement, frame.def, d, R, logs, minFont);
        // the cross of a dead node sits in a badge on its ring, clear of the id
        const deadBadge = q('.dead-badge');
        const cr = Math.max(8, R * 0.3);
        setAttr(deadBadge, 'display', d.alive ? 'none' : 'inline');
        setAttr(deadBadge, 'transform', `translate(${r1(-R * 0.74)},${r1(-R * 0.74)})`);
        setAttr(deadBadge.children[0], 'r', String(r1(cr)));
        const k = cr * 0.5;
        setAttr(
          q('.cross'),
          'd',
          `M${r1(-k)},${r1(-k)}L${r1(k)},${r1(k)}M${r1(-k)},${r1(k)}L${r1(k)},${r1(-k)}`,
        );
        const badge = q('.pause-badge');
        const br = Math.max(8, R * 0.32);
        setAttr(badge, 'transform', `translate(${r1(R * 0.74)},${r1(-R * 0.74)})`);
        setAttr(badge, 'display', d.paused ? 'inline' : 'none');
        setAttr(badge.children[0], 'r', String(r1(br)));
        const bars = [badge.children[1], badge.children[2]];
        bars.forEach((b, i) => {
          setAttr(b, 'x', String(r1(i === 0 ? -br * 0.45 : br * 0.12)));
          setAttr(b, 'y', String(r1(-br * 0.5)));
          setAttr(b, 'width', String(r1(br * 0.33)));
          setAttr(b, 'height', String(r1(br)));
        });
        // labels outside the node, on the side away from the centre of the canvas (below a
        // node at the centre); drawn `ls` times their font size so they stay readable
        const outer = q('.outer') as SVGElement & { __at?: Point };
        setAttr(outer, 'display', labels ? 'inline' : 'none');
        if (labels) {
          const len = Math.hypot(P.x, P.y);
          const ux = len < 1 ? 0 : P.x / len;
          const uy = len < 1 ? 1 : P.y / len;
          const dist = R + 26 + (uy > 0.45 ? stripRoom(R, logs) : 0);
          const ox = ux * dist;
          const oy = uy * dist;
          outer.__at = { x: ox, y: oy };
          setAttr(
            outer,
            'transform',
            `translate(${r1(ox)},${r1(oy)}) scale(${r1(ls * 100) / 100})`,
          );
          const anchor = ux > 0.45 ? 'start' : ux < -0.45 ? 'end' : 'middle';
          const role = q('.role-text');
          const vote = q('.vote-text');
          const lines: [SVGElement, string][] = [
            [role, `${d.label ? `${d.label} · ` : ''}${look.text}${d.paused ? ' · PAUSED' : ''}`],
          ];
          const voteLine =
            d.votes !== undefined
              ? `${d.votes.length} of ${frame.view.quorum} votes`
              : d.votedFor !== undefined && d.votedFor !== null && d.role !== 'leader'
                ? `voted for ${d.votedFor}`
                : d.leader && d.role !== 'leader' && d.alive
                  ? `follows ${d.leader}`
                  : '';
          lines.push([vote, voteLine]);
          // the two lines stack outward: above the node on top, below it at the bottom
          const lh = 24;
          const y0 = uy < -0.45 ? -lh * 0.3 : uy > 0.45 ? lh * 0.75 : 6 - lh / 2;
          lines.forEach(([t, text], i) => {
            const y = uy < -0.45 ? y0 - (lines.length - 1 - i) * lh : y0 + i * lh;
            setText(t, text);
            setAttr(t, 'x', '0');
            setAttr(t, 'y', String(r1(y)));
            setAttr(t, 'text-anchor', anchor);
          });
          // where these labels lie in the view, for the message labels to keep off them
          const sc = r1(ls * 100) / 100;
          (g as SVGGElement & { __labels?: Box[] }).__labels = lines
            .filter(([, text]) => text !== '')
            .map(([t]) => {
              const b = (t as SVGTextElement).getBBox();
              return {
                x1: P.x + ox + b.x * sc - 3,
                y1: P.y + oy + b.y * sc - 3,
                x2: P.x + ox + (b.x + b.width) * sc + 3,
                y2: P.y + oy + (b.y + b.height) * sc + 3,
              };
            });
        } else (g as SVGGElement & { __labels?: Box[] }).__labels = [];
      });
  }

  // ---- keyboard: one tab stop, arrows inside ------------------------------------------

  /** The roving key of a node or link element, or '' for anything else. */
  private keyOf(e: Element | null): string {
    if (!e || !this.host.contains(e)) return '';
    const node = e.getAttribute('data-node');
    if (node !== null && e.classList.contains('node')) return `n${node}`;
    const link = e.getAttribute('data-link');
    return link !== null ? `l${link}` : '';
  }

  private elOf(key: string): SVGElement | null {
    if (key.startsWith('n'))
      return this.nodes.node()!.querySelector<SVGElement>(`g.node[data-node="${key.slice(1)}"]`);
    if (key.startsWith('l'))
      return this.links.node()!.querySelector<SVGElement>(`[data-link="${key.slice(1)}"]`);
    return null;
  }

  /** Makes `key` the view's tab stop (tabindex 0); the previous stop leaves the Tab order. */
  private setStop(key: string): boolean {
    if (key === this.stop && this.stopEl?.isConnected) return true;
    const next = this.elOf(key);
    if (!next) return false;
    if (this.stopEl && this.stopEl !== next) this.stopEl.setAttribute('tabindex', '-1');
    next.setAttribute('tabindex', '0');
    this.stop = key;
    this.stopEl = next;
    return true;
  }

  /** After a render: the stop still exists (or falls back to the first node); focus stays in. */
  private syncStop(hadFocus: boolean): void {
    const first = this.frame?.view.nodes[0];
    if (!this.setStop(this.stop) && first) {
      this.linkHome = null;
      this.setStop(`n${first.id}`);
    }
    const active = document.activeElement;
    if (hadFocus && (!active || active === document.body || !this.host.contains(active)))
      this.stopEl?.focus({ preventScroll: true });
  }

  /** Keyboard focus moved to link `link` (or off the links). */
  private focusOn(link: string | null): void {
    if (link === this.focusLink) return;
    const old = this.focusLink;
    this.focusLink = link;
    if (old) this.nameLink(old);
    if (link) this.nameLink(link);
    this.motion.setFocus(link);
  }

  /**
   * A link's accessible name: its state, and while it has focus the messages on it (a
   * label the crowded view leaves out is otherwise only named by hovering its dot).
   */
  private nameLink(key: string): void {
    const hit = this.links.node()!.querySelector<SVGElement & Named>(`[data-link="${key}"]`);
    if (!hit?.__name) return;
    let name = hit.__name;
    if (key === this.focusLink && this.frame) {
      const [a, b] = key.split('-').map(Number);
      const on = this.frame.view.inFlight.filter(
        (m) => (m.from === a && m.to === b) || (m.from === b && m.to === a),
      );
      if (on.length > 0)
        name += `; in flight: ${on.map((m) => `${m.label} from node ${m.from} to node ${m.to}`).join(', ')}`;
    }
    setAttr(hit, 'aria-label', name);
  }

  private moveTo(key: string): void {
    if (this.setStop(key)) this.stopEl!.focus({ preventScroll: true });
  }

  /**
   * ← / → move between nodes; ↓ goes to the focused node's links, where ← / → walk
   * through them and ↑ goes back to the node. Enter or Space on a link cuts or heals it.
   */
  private onKey(ev: KeyboardEvent): void {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || !this.frame) return;
    const key = this.keyOf(ev.target as Element);
    if (!key) return;
    const ids = this.frame.view.nodes.map((n) => n.id);
    if (ids.length === 0) return;
    const step = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 : 0;
    // the links of `home` in order of the other end, starting after `home`
    const linksOf = (home: number) => {
      const at = ids.indexOf(home);
      const out: string[] = [];
      for (let k = 1; k < ids.length; k++) {
        const other = ids[(at + k) % ids.length];
        out.push(`l${Math.min(home, other)}-${Math.max(home, other)}`);
      }
      return out;
    };
    if (key.startsWith('n')) {
      const id = Number(key.slice(1));
      const at = Math.max(0, ids.indexOf(id));
      if (step !== 0) this.moveTo(`n${ids[(at + step + ids.length) % ids.length]}`);
      else if (ev.key === 'ArrowDown' && ids.length > 1) {
        this.linkHome = id;
        this.moveTo(linksOf(id)[0]);
      } else if (ev.key !== 'ArrowUp') return;
    } else {
      const [a, b] = key.slice(1).split('-').map(Number);
      const home = this.linkHome === a || this.linkHome === b ? this.linkHome : a;
      if (step !== 0) {
        const list = linksOf(home);
        const at = Math.max(0, list.indexOf(key));
        this.linkHome = home;
        this.moveTo(list[(at + step + list.length) % list.length]);
      } else if (ev.key === 'ArrowUp') this.moveTo(`n${home}`);
      else if (ev.key === 'Enter' || ev.key === ' ') {
        if (ev.repeat) return;
        this.cb.linkToggle(a, b);
      } else if (ev.key !== 'ArrowDown') return;
    }
    ev.preventDefault();
  }

  // ---- per-frame work ------------------------------------------------------------------

  /** Moves messages and countdown rings to simulated time `now` (µs). */
  tick(now: number, force = false): void {
    if (!this.frame || (!force && now === this.lastNow)) return;
    this.lastNow = now;
    this.motion.draw(now);
  }

  // ---- hover ---------------------------------------------------------------------------

  /** Hovering a message names it in a tooltip, whether or not its label has room on screen. */
  private installHover(bg: SVGRectElement): void {
    const title = el(bg, 'title');
    const root = this.root.node()!;
    bg.addEventListener('pointermove', (ev) => {
      const [x, y] = pointer(ev, root);
      const m = this.motion.messageAt(x, y, 16 / this.scale + 4);
      setText(title, m ? `${m.label}: node ${m.from} → node ${m.to}` : '');
    });
  }

  // ---- lasso ---------------------------------------------------------------------------

  private installLasso(bg: SVGRectElement): void {
    let points: [number, number][] | null = null;
    const root = this.root.node()!;
    bg.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      points = [pointer(ev, root)];
      bg.setPointerCapture(ev.pointerId);
    });
    bg.addEventListener('pointermove', (ev) => {
      if (!points) return;
      points.push(pointer(ev, root));
      this.lassoPath.setAttribute(
        'd',
        `M${points.map(([x, y]) => `${r1(x)},${r1(y)}`).join('L')}Z`,
      );
    });
    const finish = (ev: PointerEvent) => {
      if (!points) return;
      const pts = points;
      points = null;
      this.lassoPath.setAttribute('d', '');
      if (bg.hasPointerCapture(ev.pointerId)) bg.releasePointerCapture(ev.pointerId);
      let extent = 0;
      for (const [x, y] of pts) extent = Math.max(extent, Math.hypot(x - pts[0][0], y - pts[0][1]));
      if (pts.length < 4 || extent < 20) {
        this.cb.backgroundClick();
        return;
      }
      const inside = (this.frame?.view.nodes ?? [])
        .filter((n) => {
          const p = this.pos(n.id);
          return polygonContains(pts, [p.x, p.y]);
        })
        .map((n) => n.id);
      this.cb.lasso(inside);
    };
    bg.addEventListener('pointerup', finish);
    bg.addEventListener('pointercancel', finish);
  }
}

/**
 * The outline of a link: a band of half-width `h` around the segment from A to B, with
 * round ends, kept `inset` away from each centre so that it shows between the nodes.
 */
export function bandPath(A: Point, B: Point, inset: number, h: number): string {
  const dx = B.x - A.x;
  const dy = B.y - A.y;
  const len = Math.hypot(dx, dy);
  if (len === 0) return '';
  const ux = dx / len;
  const uy = dy / len;
  const cut = Math.min(inset, len / 2);
  const p1 = { x: A.x + ux * cut, y: A.y + uy * cut };
  const p2 = { x: B.x - ux * cut, y: B.y - uy * cut };
  const nx = -uy * h;
  const ny = ux * h;
  const pt = (x: number, y: number) => `${r1(x)},${r1(y)}`;
  return (
    `M${pt(p1.x + nx, p1.y + ny)}L${pt(p2.x + nx, p2.y + ny)}` +
    `A${h},${h} 0 0 0 ${pt(p2.x - nx, p2.y - ny)}` +
    `L${pt(p1.x - nx, p1.y - ny)}` +
    `A${h},${h} 0 0 0 ${pt(p1.x + nx, p1.y + ny)}Z`
  );
}

function problemKey(p: FitProblem): string {
  const b = (x: Box) =>
    `${Math.round(x.x1)},${Math.round(x.y1)},${Math.round(x.x2)},${Math.round(x.y2)}`;
  return [
    p.w,
    p.h,
    r1(p.scale),
    r1(p.cy),
    r1(p.floorK),
    p.overlays.map(b).join(';'),
    p.pieces.map((q) => `${r1(q.ax)},${r1(q.ay)}:${b(q.box)}${q.grows ? 'g' : ''}`).join(';'),
  ].join('|');
}
