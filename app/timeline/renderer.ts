/**
 * The space-time diagram (D3): one lane per node, time running left to right. Messages
 * are arrows from the sender's lane at the send time to the receiver's lane at the
 * delivery time (dropped ones end in a cross), role bands run along each lane (leader,
 * candidate, down, paused), faults are marked on their lane (network-wide ones across all
 * lanes), violations are red spans, and a cursor marks the current event. The explored
 * future after the cursor is shaded.
 *
 * It draws only the visible time window: the events in it are found by binary search in
 * the trace (times never decrease), so a million-event run costs what its window shows.
 * Zoom and pan with d3-zoom (wheel, drag); a click seeks; hovering shows the narration.
 */
import { axisTop } from 'd3-axis';
import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { pointer, select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import type { MessageView, TraceRecord, TraceView } from '../../algorithms/index';
import { firstAtOrAfter, type Marker, type RoleChange } from '../debug/runIndex';
import type { Violation } from '../../algorithms/index';
import { toneOf } from '../topology/palette';

export interface TimelineData {
  /** The kept records (read by index; a long run keeps only its last events). */
  trace: TraceView;
  /** End of the explored run (records [trace.start, end) exist). */
  end: number;
  /** Current event index: events [0, index) have happened. */
  index: number;
  /** Simulated clock, µs. */
  now: number;
  nodes: number[];
  roles: ReadonlyMap<number, readonly RoleChange[]>;
  paused: ReadonlyMap<number, readonly [number, number | undefined][]>;
  markers: readonly Marker[];
  violations: readonly Violation[];
  maxLatency: number;
  sendOf(id: number, before: number): number;
  /** Messages in flight now (drawn when at the end of the explored run). */
  inFlight: readonly MessageView[];
  /** An event to ring (the log's hovered line). */
  hover: number | null;
}

export interface TimelineCallbacks {
  seek(index: number): void;
  /** The user zoomed or panned: stop following the cursor. */
  manual(): void;
  narrate(r: TraceRecord): string;
}

type G = Selection<SVGGElement, unknown, null, undefined>;

interface Arrow {
  key: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  tone: string;
  drop: boolean;
  future: boolean;
  current: boolean;
  pending: boolean;
}

/** Margins (px): the left one holds a 12 px lane label ("node 41"), the right one an axis tick's end. */
const M = { left: 70, right: 22, top: 20, bottom: 6 };
/** The base scale maps one simulated second onto the plot's width; zoom rescales it. */
const BASE_SPAN = 1_000_000;
const MAX_ARROWS = 2500;
const MAX_DOTS = 3000;
/**
 * Lane labels' font size (px): a classroom reads 12 px at the least, so with many lanes the
 * labels keep their size and only every k-th lane is labelled (hovering a lane names it).
 */
const LABEL_PX = 12;

const LABEL =
  'Space-time diagram: one lane per node, messages as arrows (up and down arrows name the lanes)';

const fmtTick = (us: number) =>
  Math.abs(us) >= 10_000_000 ? `${(us / 1_000_000).toFixed(1)} s` : `${Math.round(us / 1000)} ms`;

export class TimelineRenderer {
  private readonly host: HTMLElement;
  private readonly cb: TimelineCallbacks;
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly plot: G;
  private readonly gBands: G;
  private readonly gViol: G;
  private readonly gLanes: G;
  private readonly gArrows: G;
  private readonly gDots: G;
  private readonly gFaults: G;
  private readonly gShade: G;
  private readonly gCursor: G;
  private readonly gHover: G;
  private readonly gAxis: G;
  private readonly tip: HTMLDivElement;
  private readonly note: HTMLDivElement;
  private readonly zoomer: ZoomBehavior<SVGSVGElement, unknown>;
  private w = 600;
  private h = 160;
  private base: ScaleLinear<number, number> = scaleLinear();
  private x: ScaleLinear<number, number> = scaleLinear();
  /** The first view spans 600 ms: an election fills it. */
  private transform: ZoomTransform = zoomIdentity.scale(BASE_SPAN / 600_000);
  private data: TimelineData | null = null;
  private follow = true;
  private programmatic = false;
  private hoverRec: TraceRecord | null = null;
  /** The lane under the pointer: its label shows even where labels are thinned out. */
  private hoverLane = -1;
  /** Every how many lanes a label is drawn (1 unless lanes are too thin for a label each). */
  private labelStep = 1;

  constructor(host: HTMLElement, cb: TimelineCallbacks) {
    this.host = host;
    this.cb = cb;
    host.replaceChildren();
    this.svg = select(host)
      .append('svg')
      .attr('class', 'timeline-svg')
      .attr('role', 'img')
      .attr('aria-label', LABEL) as never;
    const defs = this.svg.append('defs');
    for (const tone of ['vote', 'yes', 'no', 'beat', 'ack', 'other', 'current'])
      defs
        .append('marker')
        .attr('id', `tl-head-${tone}`)
        .attr('viewBox', '0 0 10 10')
        .attr('refX', 9)
        .attr('refY', 5)
        .attr('markerWidth', 5)
        .attr('markerHeight', 5)
        .attr('orient', 'auto')
        .append('path')
        .attr('d', 'M0 0 10 5 0 10z')
        .attr('class', `tl-head tone-${tone}`);
    const clip = defs.append('clipPath').attr('id', 'tl-clip').append('rect');
    this.clipRect = clip;
    this.gAxis = this.svg.append('g').attr('class', 'tl-axis') as never;
    this.gLanes = this.svg.append('g').attr('class', 'tl-lanes') as never;
    this.plot = this.svg
      .append('g')
      .attr('class', 'tl-plot')
      .attr('clip-path', 'url(#tl-clip)') as never;
    this.gBands = this.plot.append('g').attr('class', 'tl-bands') as never;
    this.gViol = this.plot.append('g').attr('class', 'tl-viol') as never;
    this.gArrows = this.plot.append('g').attr('class', 'tl-arrows') as never;
    this.gDots = this.plot.append('g').attr('class', 'tl-dots') as never;
    this.gFaults = this.plot.append('g').attr('class', 'tl-faults') as never;
    this.gShade = this.plot.append('g').attr('class', 'tl-shade') as never;
    this.gCursor = this.plot.append('g').attr('class', 'tl-cursor') as never;
    this.gHover = this.plot.append('g').attr('class', 'tl-hover') as never;
    this.tip = document.createElement('div');
    this.tip.className = 'tl-tip';
    this.tip.hidden = true;
    host.appendChild(this.tip);
    this.note = document.createElement('div');
    this.note.className = 'tl-note';
    this.note.hidden = true;
    host.appendChild(this.note);

    this.zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([1 / 600, 2000])
      .filter((ev: Event) => (ev.type === 'wheel' ? true : !(ev as MouseEvent).button))
      .on('zoom', (ev: { transform: ZoomTransform; sourceEvent: Event | null }) => {
        this.transform = ev.transform;
        if (ev.sourceEvent && !this.programmatic) {
          if (this.follow) {
            this.follow = false;
            this.cb.manual();
          }
        }
        this.x = this.transform.rescaleX(this.base);
        this.draw();
      });
    this.svg.call(this.zoomer).on('dblclick.zoom', null);

    let down: { x: number; y: number } | null = null;
    this.svg
      .on('pointerdown.seek', (ev: PointerEvent) => {
        down = { x: ev.clientX, y: ev.clientY };
      })
      .on('click.seek', (ev: MouseEvent) => {
        if (down && Math.hypot(ev.clientX - down.x, ev.clientY - down.y) > 4) return;
        this.clickAt(ev);
      })
      .on('pointermove.hover', (ev: PointerEvent) => this.hoverAt(ev))
      .on('pointerleave.hover', () => {
        this.laneAt(null);
        this.hideTip();
      });

    // the keyboard names lanes too: ↓ / ↑ on the focused diagram walk through them, each
    // showing its label however thinned out the labels are
    this.svg
      .attr('tabindex', 0)
      .on('keydown.lane', (ev: KeyboardEvent) => {
        const n = this.data?.nodes.length ?? 0;
        if ((ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') || n === 0) return;
        ev.preventDefault();
        const step = ev.key === 'ArrowDown' ? 1 : -1;
        const k = this.hoverLane < 0 ? 0 : this.hoverLane + step;
        this.setLane(Math.max(0, Math.min(n - 1, k)));
      })
      .on('blur.lane', () => this.setLane(-1));
  }

  private readonly clipRect: Selection<SVGRectElement, unknown, null, undefined>;

  setFollow(on: boolean): void {
    this.follow = on;
    if (on) this.recenter();
  }

  resize(w: number, h: number): void {
    if (w <= 0 || h <= 0) return;
    this.w = w;
    this.h = h;
    this.svg.attr('width', w).attr('height', h);
    this.base = scaleLinear()
      .domain([0, BASE_SPAN])
      .range([M.left, Math.max(M.left + 10, w - M.right)]);
    this.x = this.transform.rescaleX(this.base);
    this.clipRect
      .attr('x', M.left)
      .attr('y', 0)
      .attr('width', Math.max(0, w - M.left - M.right))
      .attr('height', h);
    if (this.follow) this.recenter();
    else this.draw();
  }

  update(data: TimelineData): void {
    this.data = data;
    if (this.follow) this.recenter();
    else this.draw();
  }

  destroy(): void {
    this.svg.on('.zoom', null);
    this.host.replaceChildren();
  }

  /** Keeps the cursor at 80 % of the width (the window's span unchanged). */
  private recenter(): void {
    if (!this.data) return this.draw();
    const [t0, t1] = this.x.domain();
    const span = t1 - t0;
    const cursor = this.cursorTime();
    const start = Math.max(0, cursor - span * 0.8);
    if (Math.abs(start - t0) < span * 0.002) return this.draw();
    // transform such that rescaleX(base).domain()[0] === start with the same k
    const k = this.transform.k;
    const tx = M.left - k * this.base(start);
    this.programmatic = true;
    this.svg.call(this.zoomer.transform, zoomIdentity.translate(tx, 0).scale(k));
    this.programmatic = false;
  }

  private cursorTime(): number {
    const d = this.data!;
    if (d.index >= d.end) return d.now;
    if (d.index > d.trace.start) return d.trace.time(d.index - 1);
    return d.index > 0 ? d.now : 0;
  }

  private laneY(k: number): number {
    const n = Math.max(1, this.data?.nodes.length ?? 1);
    const lane = (this.h - M.top - M.bottom) / n;
    return M.top + lane * (k + 0.5);
  }

  private laneH(): number {
    const n = Math.max(1, this.data?.nodes.length ?? 1);
    return (this.h - M.top - M.bottom) / n;
  }

  draw(): void {
    const d = this.data;
    if (!d) return;
    const x = this.x;
    const [t0, t1] = x.domain();
    const laneIndex = new Map(d.nodes.map((id, k) => [id, k]));
    const lh = this.laneH();
    const endT =
      d.end > d.trace.start
        ? Math.max(d.trace.time(d.end - 1), d.index === d.end ? d.now : 0)
        : d.now;

    // axis
    this.gAxis.attr('transform', `translate(0,${M.top - 2})`).call(
      axisTop(x)
        .ticks(Math.max(2, Math.floor((this.w - M.left) / 90)))
        .tickFormat((v) => fmtTick(Number(v)))
        .tickSizeOuter(0) as never,
    );

    // lanes and their labels: where lanes are too thin for a label each, every second
    // (third...) lane is labelled; the lane under the pointer is always named
    const labelStep = Math.max(1, Math.ceil((LABEL_PX * 1.2) / lh));
    this.labelStep = labelStep;
    this.gLanes
      .selectAll<SVGGElement, number>('g.tl-lane')
      .data(d.nodes, (id) => String(id))
      .join((enter) => {
        const g = enter.append('g').attr('class', 'tl-lane');
        g.append('line');
        g.append('text')
          .attr('class', 'tl-lane-label')
          .attr('x', M.left - 6)
          .attr('text-anchor', 'end');
        return g;
      })
      .attr('transform', (_, k) => `translate(0,${this.laneY(k)})`)
      .attr('class', (_, k) => `tl-lane${k % labelStep !== 0 ? ' thin' : ''}${this.hotClass(k)}`)
      .call((g) =>
        g
          .select('line')
          .attr('x1', M.left)
          .attr('x2', this.w - M.right),
      )
      .call((g) =>
        g
          .select('text')
          .attr('dy', '0.35em')
          .text((id) => `node ${id}`),
      );

    // role bands (leader / candidate / down) and paused stretches
    type Band = { key: string; x: number; w: number; y: number; h: number; role: string };
    const bands: Band[] = [];
    const bh = Math.min(14, lh * 0.5);
    for (const [node, list] of d.roles) {
      const k = laneIndex.get(node);
      if (k === undefined) continue;
      for (let j = 0; j < list.length; j++) {
        const c = list[j];
        if (c.role !== 'leader' && c.role !== 'candidate' && c.role !== 'dead') continue;
        const from = c.t;
        const to = j + 1 < list.length ? list[j + 1].t : endT;
        if (to < t0 || from > t1) continue;
        const xa = x(Math.max(from, t0 - 1));
        const xb = x(Math.min(to, t1 + 1));
        bands.push({
          key: `${node}-${c.i}`,
          x: xa,
          w: Math.max(1.5, xb - xa),
          y: this.laneY(k) - bh / 2,
          h: bh,
          role: c.role,
        });
      }
    }
    for (const [node, list] of d.paused) {
      const k = laneIndex.get(node);
      if (k === undefined) continue;
      for (const [from, to0] of list) {
        const to = to0 ?? endT;
        if (to < t0 || from > t1) continue;
        const xa = x(Math.max(from, t0 - 1));
        const xb = x(Math.min(to, t1 + 1));
        bands.push({
          key: `p${node}-${from}`,
          x: xa,
          w: Math.max(1.5, xb - xa),
          y: this.laneY(k) - bh / 2 - 3,
          h: bh + 6,
          role: 'paused',
        });
      }
    }
    this.gBands
      .selectAll<SVGRectElement, Band>('rect')
      .data(bands, (b) => b.key)
      .join('rect')
      .attr('class', (b) => `tl-band role-${b.role}`)
      .attr('x', (b) => b.x)
      .attr('y', (b) => b.y)
      .attr('width', (b) => b.w)
      .attr('height', (b) => b.h)
      .attr('rx', 3);

    // violations: red spans across every lane
    type V = { key: string; x: number; w: number; label: string };
    const vs: V[] = [];
    for (const v of d.violations) {
      const to = v.until ?? (v.invariant === 'split-brain' ? endT : v.t);
      if (to < t0 || v.t > t1) continue;
      const xa = x(v.t);
      vs.push({
        key: `${v.invariant}-${v.eventIndex}`,
        x: xa,
        w: Math.max(3, x(to) - xa),
        label: `⚠ ${v.invariant}`,
      });
    }
    this.gViol
      .selectAll<SVGGElement, V>('g')
      .data(vs, (v) => v.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'tl-violation');
        g.append('rect');
        g.append('text').attr('class', 'tl-viol-label');
        return g;
      })
      .call((g) =>
        g
          .select('rect')
          .attr('x', (v) => v.x)
          .attr('y', M.top)
          .attr('width', (v) => v.w)
          .attr('height', this.h - M.top - M.bottom),
      )
      .call((g) =>
        g
          .select('text')
          .attr('x', (v) => Math.max(v.x, M.left) + 3)
          .attr('y', this.h - M.bottom - 4)
          .text((v) => v.label),
      );

    // messages: find the records in the window (plus the longest latency after it)
    const i0 = firstAtOrAfter(d.trace, d.end, t0);
    const i1 = firstAtOrAfter(d.trace, d.end, t1 + d.maxLatency + 1);
    const arrows: Arrow[] = [];
    const dots: { key: number; x: number; y: number; r: TraceRecord; future: boolean }[] = [];
    let skipped = 0;
    let messages = 0;
    for (let i = i0; i < i1; i++) {
      const r = d.trace.at(i) as TraceRecord;
      if (
        (r.kind === 'deliver' || r.kind === 'drop') &&
        r.msg !== undefined &&
        r.from !== undefined
      ) {
        const s = d.sendOf(r.msg, i);
        const st = s >= 0 ? d.trace.time(s) : 0;
        if (st > t1 || r.t < t0) continue;
        const ka = laneIndex.get(r.from);
        const kb = laneIndex.get(r.node);
        if (ka === undefined || kb === undefined) continue;
        messages++;
        if (arrows.length >= MAX_ARROWS) {
          skipped++;
          continue;
        }
        arrows.push({
          key: i,
          x1: x(st),
          y1: this.laneY(ka),
          x2: x(r.t),
          y2: this.laneY(kb),
          tone: toneOf(r.mk),
          drop: r.kind === 'drop',
          future: i >= d.index,
          current: i === d.index - 1 || s === d.index - 1,
          pending: false,
        });
      } else if (r.t >= t0 && r.t <= t1 && r.node !== 0 && r.kind !== 'fault') {
        const k = laneIndex.get(r.node);
        if (k === undefined || dots.length >= MAX_DOTS) continue;
        if (r.kind === 'timer' || r.kind === 'hold' || r.kind === 'drop')
          dots.push({ key: i, x: x(r.t), y: this.laneY(k), r, future: i >= d.index });
      }
    }
    // at the end of the explored run, what is still in flight runs on to its due time
    if (d.index === d.end)
      for (const m of d.inFlight) {
        const ka = laneIndex.get(m.from);
        const kb = laneIndex.get(m.to);
        if (ka === undefined || kb === undefined || m.sentAt > t1 || m.deliverAt < t0) continue;
        arrows.push({
          key: -m.id,
          x1: x(m.sentAt),
          y1: this.laneY(ka),
          x2: x(m.deliverAt),
          y2: this.laneY(kb),
          tone: toneOf(m.kind),
          drop: false,
          future: true,
          current: false,
          pending: true,
        });
      }
    this.gArrows
      .selectAll<SVGGElement, Arrow>('g.tl-msg')
      .data(arrows, (a) => a.key)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line');
        return g;
      })
      .attr(
        'class',
        (a) =>
          `tl-msg tone-${a.tone}${a.drop ? ' dropped' : ''}${a.future ? ' future' : ''}${a.current ? ' current' : ''}${a.pending ? ' pending' : ''}`,
      )
      .each(function (a) {
        const g = select(this);
        g.select('line')
          .attr('x1', a.x1)
          .attr('y1', a.y1)
          .attr('x2', a.x2)
          .attr('y2', a.y2)
          .attr('marker-end', a.drop ? null : `url(#tl-head-${a.current ? 'current' : a.tone})`);
        const cross = g.selectAll<SVGPathElement, number>('path.tl-cross').data(a.drop ? [1] : []);
        cross
          .join('path')
          .attr('class', 'tl-cross')
          .attr(
            'd',
            `M${a.x2 - 4},${a.y2 - 4}L${a.x2 + 4},${a.y2 + 4}M${a.x2 - 4},${a.y2 + 4}L${a.x2 + 4},${a.y2 - 4}`,
          );
      });
    this.gDots
      .selectAll<SVGCircleElement, (typeof dots)[number]>('circle')
      .data(dots, (p) => p.key)
      .join('circle')
      .attr(
        'class',
        (p) =>
          `tl-dot kind-${p.r.kind}${p.future ? ' future' : ''}${p.r.before !== p.r.after ? ' changed' : ''}`,
      )
      .attr('cx', (p) => p.x)
      .attr('cy', (p) => p.y)
      .attr('r', (p) => (p.r.before !== p.r.after ? 3.6 : 2.2));

    // faults: on their lane, or across the diagram for the network's
    type F = {
      key: number;
      x: number;
      y1: number;
      y2: number;
      text: string;
      lane: boolean;
      choice: boolean;
    };
    const fs: F[] = [];
    for (const m of d.markers) {
      if (m.kind !== 'fault' && m.kind !== 'choice') continue;
      if (m.t < t0 || m.t > t1) continue;
      const r = d.trace.at(m.i);
      if (!r) continue;
      const k = laneIndex.get(r.node);
      const xx = x(m.t);
      if (k !== undefined)
        fs.push({
          key: m.i,
          x: xx,
          y1: this.laneY(k) - lh * 0.42,
          y2: this.laneY(k) + lh * 0.42,
          text: m.text,
          lane: true,
          choice: m.kind === 'choice',
        });
      else
        fs.push({
          key: m.i,
          x: xx,
          y1: M.top,
          y2: this.h - M.bottom,
          text: m.text,
          lane: false,
          choice: false,
        });
    }
    this.gFaults
      .selectAll<SVGGElement, F>('g')
      .data(fs, (f) => f.key)
      .join((enter) => {
        const g = enter.append('g');
        g.append('line');
        g.append('text');
        return g;
      })
      .attr(
        'class',
        (f) => `tl-fault${f.lane ? ' on-lane' : ' network'}${f.choice ? ' choice' : ''}`,
      )
      .call((g) =>
        g
          .select('line')
          .attr('x1', (f) => f.x)
          .attr('x2', (f) => f.x)
          .attr('y1', (f) => f.y1)
          .attr('y2', (f) => f.y2),
      )
      .call((g) =>
        g
          .select('text')
          .attr('x', (f) => f.x + 3)
          .attr('y', (f) => Math.min(f.y1 + 9, this.h - 3))
          .text((f) => `${f.choice ? '◆' : '⚡'} ${f.text}`),
      );

    // the explored future (after the cursor) is shaded; the cursor marks "now"
    const cx = x(this.cursorTime());
    const endX = x(endT);
    this.gShade
      .selectAll('rect')
      .data(d.index < d.end && endX > cx ? [1] : [])
      .join('rect')
      .attr('class', 'tl-future')
      .attr('x', cx)
      .attr('y', M.top)
      .attr('width', Math.max(0, endX - cx))
      .attr('height', this.h - M.top - M.bottom);
    this.gCursor
      .selectAll('line')
      .data([1])
      .join('line')
      .attr('x1', cx)
      .attr('x2', cx)
      .attr('y1', M.top - 4)
      .attr('y2', this.h - M.bottom);
    this.gCursor
      .selectAll('path')
      .data([1])
      .join('path')
      .attr('d', `M${cx - 5},${M.top - 9}L${cx + 5},${M.top - 9}L${cx},${M.top - 2}z`);

    // the log's hovered event
    const hv = (d.hover !== null && d.hover < d.end ? d.trace.at(d.hover) : null) ?? null;
    const hk = hv ? laneIndex.get(hv.node) : undefined;
    this.gHover
      .selectAll('circle')
      .data(hv && hk !== undefined && hv.t >= t0 && hv.t <= t1 ? [hv] : [])
      .join('circle')
      .attr('class', 'tl-hover-ring')
      .attr('cx', (r) => x(r.t))
      .attr('cy', this.laneY(hk ?? 0))
      .attr('r', 7);

    if (skipped > 0) {
      this.note.hidden = false;
      this.note.textContent = `${messages.toLocaleString('en')} messages in view: showing ${MAX_ARROWS.toLocaleString('en')}, zoom in for all`;
    } else this.note.hidden = true;
  }

  /** The record nearest the pointer on its lane (within a few pixels), if any. */
  private recordAt(ev: MouseEvent): TraceRecord | null {
    const d = this.data;
    if (!d || d.end === 0) return null;
    const [px, py] = pointer(ev, this.svg.node());
    if (px < M.left) return null;
    const lane = Math.floor((py - M.top) / this.laneH());
    const node = d.nodes[lane];
    if (node === undefined) return null;
    const tol = 6;
    const ta = this.x.invert(px - tol);
    const tb = this.x.invert(px + tol);
    const a = firstAtOrAfter(d.trace, d.end, ta);
    const b = Math.min(firstAtOrAfter(d.trace, d.end, tb + 1), a + 400);
    let best: TraceRecord | null = null;
    let bestD = Infinity;
    for (let i = a; i < b; i++) {
      const r = d.trace.at(i) as TraceRecord;
      if (r.node !== node) continue;
      const dx = Math.abs(this.x(r.t) - px);
      if (dx < bestD) {
        best = r;
        bestD = dx;
      }
    }
    return best;
  }

  private clickAt(ev: MouseEvent): void {
    const d = this.data;
    if (!d || d.end === 0) return;
    const r = this.recordAt(ev);
    if (r) return this.cb.seek(r.i + 1);
    const [px] = pointer(ev, this.svg.node());
    if (px < M.left) return;
    const t = this.x.invert(px);
    this.cb.seek(firstAtOrAfter(d.trace, d.end, t + 1));
  }

  /** Names the lane under the pointer (its label may be thinned out). */
  private laneAt(ev: MouseEvent | null): void {
    let lane = -1;
    if (ev && this.data) {
      const [, py] = pointer(ev, this.svg.node());
      const k = Math.floor((py - M.top) / this.laneH());
      if (k >= 0 && k < this.data.nodes.length) lane = k;
    }
    this.setLane(lane);
  }

  /** Names lane `lane` (-1: none): its label shows, the labels too close to it hide. */
  private setLane(lane: number): void {
    if (lane === this.hoverLane) return;
    this.hoverLane = lane;
    const id = lane >= 0 ? this.data?.nodes[lane] : undefined;
    this.svg.attr('aria-label', `${LABEL}${id !== undefined ? `; lane of node ${id}` : ''}`);
    this.gLanes
      .selectAll<SVGGElement, number>('g.tl-lane')
      .classed('hot', (_, k) => k === lane)
      .classed('beside-hot', (_, k) => this.hotClass(k) === ' beside-hot');
  }

  /** ' hot' for the lane under the pointer, ' beside-hot' for labelled lanes too close to it. */
  private hotClass(k: number): string {
    const h = this.hoverLane;
    if (h < 0) return '';
    if (k === h) return ' hot';
    return Math.abs(k - h) < this.labelStep ? ' beside-hot' : '';
  }

  private hoverAt(ev: PointerEvent): void {
    this.laneAt(ev);
    const r = this.recordAt(ev);
    // (records are decoded afresh on each read: the same event is the same index)
    if (r?.i === this.hoverRec?.i) {
      if (r) this.placeTip(ev);
      return;
    }
    this.hoverRec = r;
    if (!r) return this.hideTip();
    this.tip.hidden = false;
    this.tip.textContent = `#${r.i + 1} · ${(r.t / 1000).toFixed(3)} ms — ${this.cb.narrate(r)}`;
    this.placeTip(ev);
  }

  private placeTip(ev: MouseEvent): void {
    const [px, py] = pointer(ev, this.host);
    const w = this.tip.offsetWidth;
    const left = Math.min(Math.max(4, px + 12), this.w - w - 4);
    const top = py > this.h / 2 ? py - this.tip.offsetHeight - 10 : py + 14;
    this.tip.style.left = `${left}px`;
    this.tip.style.top = `${top}px`;
  }

  private hideTip(): void {
    this.hoverRec = null;
    this.tip.hidden = true;
  }
}
