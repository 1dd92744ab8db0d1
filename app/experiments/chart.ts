/**
 * One D3 chart for every experiment: axes with units, linear or log scales, lines (plain
 * or as steps for CDFs), points with min-max whiskers, dashed theory curves, shaded bands,
 * annotations (the paper's points), a legend inside the SVG (so exports carry it) and the
 * nearest point under the pointer for hover values. Colours are resolved from the theme
 * when drawing, so an exported SVG or PNG looks like the screen without the page's CSS.
 */
import { axisBottom, axisLeft } from 'd3-axis';
import { format } from 'd3-format';
import { scaleLinear, scaleLog, type ScaleContinuousNumeric } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { curveStepAfter, curveLinear, line as d3line, area as d3area } from 'd3-shape';

export type ScaleKind = 'linear' | 'log';

export interface Pt {
  x: number;
  y: number;
}

export interface ChartSeries {
  id: string;
  label: string;
  color: string;
  points: Pt[];
  /** 'step' for CDFs; default 'line'. */
  curve?: 'line' | 'step';
  /** SVG dash pattern, e.g. '6 4' for theory curves. */
  dash?: string;
  width?: number;
  /** Draw a marker at each point. */
  markers?: boolean;
  /** Vertical min-max whiskers at some points. */
  whiskers?: { x: number; lo: number; hi: number }[];
  /** Offered by the hover readout (default true). */
  hover?: boolean;
  /** Shown in the legend (default true). */
  legend?: boolean;
  /** Fill between two curves instead of a line (lo from `points`, hi from `upper`). */
  upper?: Pt[];
  opacity?: number;
}

export interface ChartAnnotation {
  x: number;
  /** A point (with y) or a vertical marker line (without). */
  y?: number;
  label: string;
  color: string;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  xScale: ScaleKind;
  yScale: ScaleKind;
  /** Fixed domains; otherwise from the data. */
  xDomain?: [number, number];
  yDomain?: [number, number];
  series: ChartSeries[];
  annotations?: ChartAnnotation[];
  /** Formats for ticks. */
  xTick?: (v: number) => string;
  yTick?: (v: number) => string;
  /** Powers of two on a log x axis (cluster sizes). */
  xLog2?: boolean;
  /** Explicit x ticks (e.g. the cluster sizes measured). */
  xTickValues?: number[];
  /** A short note under the legend (e.g. "dashed: theory"). */
  legendNote?: string[];
  /**
   * Partial results of a run in progress, redrawn as they come: a label keeps the place
   * beside its mark that the last draw of this chart found for it (finding one measures
   * text and maps the curves, costly at every redraw), and the next full draw places
   * them afresh.
   */
  draft?: boolean;
}

export interface Theme {
  text: string;
  muted: string;
  grid: string;
  bg: string;
  font: string;
}

export function readTheme(el: Element): Theme {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#18202b'),
    muted: v('--muted', '#566274'),
    grid: v('--border', '#d3d9e2'),
    bg: v('--panel', '#ffffff'),
    font: v('--font', 'sans-serif'),
  };
}

/** Colour-blind-safe series colours (Okabe-Ito first), per theme. */
export function palette(dark: boolean): string[] {
  return dark
    ? ['#56b4e9', '#e69f00', '#3fd0a4', '#e38fbf', '#eef1f5', '#ff6f3c', '#f0e442', '#a48cf0']
    : ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#2b2f36', '#e69f00', '#56b4e9', '#7a5cc2'];
}

export interface Drawn {
  /** The nearest hoverable point to (px, py) within `radius`, in data units. */
  nearest(
    px: number,
    py: number,
    radius?: number,
  ): { series: ChartSeries; pt: Pt; sx: number; sy: number } | null;
  plot: { left: number; top: number; width: number; height: number };
}

const MARGIN = { top: 38, right: 16, bottom: 50, left: 64 };
const LEGEND_W = 210;

/** Splits a label into lines of at most about `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const w of text.split(' ')) {
    if (cur && (cur + ' ' + w).length > width) {
      out.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) out.push(cur);
  return out;
}

function extent(values: number[], log: boolean): [number, number] {
  const vs = log ? values.filter((v) => v > 0) : values;
  if (vs.length === 0) return log ? [1, 10] : [0, 1];
  let lo = Math.min(...vs);
  let hi = Math.max(...vs);
  if (!log) lo = Math.min(0, lo);
  if (lo === hi) hi = lo + (log ? lo : 1);
  return [lo, hi];
}

function scaleOf(kind: ScaleKind, domain: [number, number], range: [number, number], log2 = false) {
  if (kind === 'log') {
    const s = scaleLog().domain(domain).range(range);
    return log2 ? s.base(2) : s;
  }
  return scaleLinear().domain(domain).range(range).nice();
}

const n0 = format(',.0f');
const nice = (v: number) => (Math.abs(v) >= 1000 ? format(',.0f')(v) : format('~g')(v));

/**
 * What a partial redraw may keep of the last draw of a chart: everything but the curves
 * (size, theme, titles, scales as resolved, ticks, legend, annotations). Equal keys mean
 * equal frames.
 */
export function frameKey(
  spec: ChartSpec,
  width: number,
  height: number,
  theme: Theme,
  xDomain: number[],
  yDomain: number[],
  xTicks: number[],
  yTicks: number[],
): string {
  const xt = spec.xTick ?? nice;
  const yt = spec.yTick ?? nice;
  return JSON.stringify([
    width,
    height,
    theme,
    spec.title,
    spec.xLabel,
    spec.yLabel,
    spec.xScale,
    spec.yScale,
    xDomain,
    yDomain,
    xTicks.map((v) => xt(v)),
    yTicks.map((v) => yt(v)),
    spec.series
      .filter((s) => s.legend !== false)
      .map((s) => [s.label, s.color, s.width, s.dash, !!s.markers, !!s.upper, s.opacity]),
    spec.legendNote ?? [],
    (spec.annotations ?? []).map((a) => [a.label, a.x, a.y, a.color]),
  ]);
}

/**
 * The smallest of 1, 2 and 5 times a power of ten at or above `v` (v > 0): the end of a
 * log axis that grows with partial results in steps, not with every new maximum, so
 * that a draft redraw keeps its frame (see `ChartSpec.draft`).
 */
export function stepUp125(v: number): number {
  if (!(v > 0)) return 1;
  let d = 1;
  while (d * 10 <= v) d *= 10;
  while (d > v) d /= 10;
  for (const m of [1, 2, 5, 10]) if (d * m >= v * (1 - 1e-12)) return d * m;
  return d * 10;
}

/**
 * A log time axis: from `from` (or lower, at a 1-2-5 step, when a value lies below it: a
 * log axis clamps such a point to its left edge, where it would read as a jump at `from`)
 * to at least `to` and the largest value, that end at a 1-2-5 step in a draft.
 */
export function logAxisDomain(
  values: number[],
  from: number,
  to: number,
  draft: boolean,
): [number, number] {
  let lo = from;
  let hi = to;
  for (const v of values) {
    if (v > 0 && v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo < from ? stepDown125(lo) : from, draft ? stepUp125(hi) : hi];
}

/** The largest of 1, 2 and 5 times a power of ten at or below `v` (v > 0). */
export function stepDown125(v: number): number {
  if (!(v > 0)) return 1;
  let d = 1;
  while (d * 10 <= v) d *= 10;
  while (d > v) d /= 10;
  for (const m of [5, 2, 1]) if (d * m <= v * (1 + 1e-12)) return d * m;
  return d;
}

/** Per chart, the frame of its last draw and the group its curves are drawn in. */
const frames = new WeakMap<SVGSVGElement, { key: string; plot: SVGGElement }>();

/**
 * Draws `spec` into `svgEl` at `width` x `height` CSS pixels. A draft (partial results of
 * a run) whose frame is the one drawn last time only redraws the curves: the axes,
 * legend, annotations and their labels stay (no text to lay out again); anything else
 * replaces the chart's content.
 */
export function drawChart(
  svgEl: SVGSVGElement,
  spec: ChartSpec,
  width: number,
  height: number,
  theme: Theme,
): Drawn {
  const svg = select(svgEl);
  const legendItems = spec.series.filter((s) => s.legend !== false);
  const legendW = legendItems.length > 0 && width > 560 ? LEGEND_W : 0;
  const left = MARGIN.left;
  const top = MARGIN.top;
  const pw = Math.max(50, width - left - MARGIN.right - legendW);
  const ph = Math.max(50, height - top - MARGIN.bottom);

  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of spec.series) {
    for (const p of s.points) {
      xs.push(p.x);
      ys.push(p.y);
    }
    for (const p of s.upper ?? []) ys.push(p.y);
    for (const w of s.whiskers ?? []) ys.push(w.lo, w.hi);
  }
  for (const a of spec.annotations ?? []) {
    xs.push(a.x);
    if (a.y !== undefined) ys.push(a.y);
  }
  const xLog = spec.xScale === 'log';
  const yLog = spec.yScale === 'log';
  // a draft's log axis from the data ends at 1-2-5 steps (a linear one is made nice), so
  // that a new extreme value rarely changes the frame
  const snap = ([lo, hi]: [number, number]): [number, number] => [stepDown125(lo), stepUp125(hi)];
  const xExt = spec.xDomain ?? (spec.draft && xLog ? snap(extent(xs, true)) : extent(xs, xLog));
  const yExt = spec.yDomain ?? (spec.draft && yLog ? snap(extent(ys, true)) : extent(ys, yLog));
  const x = scaleOf(spec.xScale, xExt, [0, pw], !!spec.xLog2);
  const y = scaleOf(spec.yScale, yExt, [ph, 0]);
  const xLo = x.domain()[0];
  const yLo = y.domain()[0];
  const X = (v: number) => x(xLog ? Math.max(v, xLo) : v);
  const Y = (v: number) => y(yLog ? Math.max(v, yLo) : v);
  const ticks = (
    s: ScaleContinuousNumeric<number, number>,
    n: number,
    log: boolean,
    log2?: boolean,
  ) => {
    if (log && log2) {
      const [a, b] = s.domain();
      const out: number[] = [];
      for (let v = 1; v <= b * 1.0001; v *= 2) if (v >= a * 0.9999) out.push(v);
      return out;
    }
    if (log) {
      const [a, b] = s.domain();
      const out: number[] = [];
      for (let d = 10 ** Math.floor(Math.log10(a)); d <= b * 1.0001; d *= 10)
        for (const m of b / a > 200 ? [1] : [1, 2, 5]) {
          const v = d * m;
          if (v >= a * 0.9999 && v <= b * 1.0001) out.push(v);
        }
      return out;
    }
    return s.ticks(n);
  };
  const xTicks = spec.xTickValues ?? ticks(x, Math.max(3, Math.floor(pw / 80)), xLog, spec.xLog2);
  const yTicks = ticks(y, Math.max(3, Math.floor(ph / 50)), yLog);
  const key = frameKey(spec, width, height, theme, x.domain(), y.domain(), xTicks, yTicks);
  const hoverable = spec.series.filter((s) => s.hover !== false && !s.upper);
  const drawn: Drawn = {
    plot: { left, top, width: pw, height: ph },
    nearest(px, py, radius = 40) {
      let best: ReturnType<Drawn['nearest']> = null;
      let bd = radius * radius;
      for (const s of hoverable)
        for (const p of s.points) {
          if ((xLog && p.x <= 0) || (yLog && p.y <= 0)) continue;
          const sx = X(p.x);
          const sy = Y(p.y);
          const d = (sx - px) ** 2 + (sy - py) ** 2;
          if (d < bd) {
            bd = d;
            best = { series: s, pt: p, sx, sy };
          }
        }
      return best;
    },
  };

  const last = frames.get(svgEl);
  if (spec.draft && last && last.key === key && last.plot.ownerSVGElement === svgEl) {
    const plot = select(last.plot);
    plot.selectAll('*').remove();
    drawSeries(plot, spec, X, Y, xLog, yLog, theme, false);
    return drawn;
  }

  svg.selectAll('*').remove();
  svg
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('font-family', theme.font)
    .attr('font-size', 13);
  svg.append('rect').attr('width', width).attr('height', height).attr('fill', theme.bg);

  svg
    .append('text')
    .attr('x', left)
    .attr('y', 22)
    .attr('fill', theme.text)
    .attr('font-size', 16)
    .attr('font-weight', 700)
    .text(spec.title);

  const g = svg.append('g').attr('transform', `translate(${left},${top})`);

  // grid
  g.append('g')
    .selectAll('line')
    .data(yTicks)
    .join('line')
    .attr('x1', 0)
    .attr('x2', pw)
    .attr('y1', (d) => Y(d))
    .attr('y2', (d) => Y(d))
    .attr('stroke', theme.grid)
    .attr('stroke-width', 1);
  g.append('g')
    .selectAll('line')
    .data(xTicks)
    .join('line')
    .attr('y1', 0)
    .attr('y2', ph)
    .attr('x1', (d) => X(d))
    .attr('x2', (d) => X(d))
    .attr('stroke', theme.grid)
    .attr('stroke-opacity', 0.6)
    .attr('stroke-width', 1);

  const xAxis = g
    .append('g')
    .attr('transform', `translate(0,${ph})`)
    .call(
      axisBottom(x)
        .tickValues(xTicks)
        .tickFormat((d) => (spec.xTick ?? nice)(Number(d))),
    );
  const yAxis = g.append('g').call(
    axisLeft(y)
      .tickValues(yTicks)
      .tickFormat((d) => (spec.yTick ?? nice)(Number(d))),
  );
  for (const a of [xAxis, yAxis]) {
    a.attr('font-size', 13).attr('font-family', theme.font);
    a.selectAll('path,line').attr('stroke', theme.muted);
    a.selectAll('text').attr('fill', theme.text);
  }
  g.append('text')
    .attr('x', pw / 2)
    .attr('y', ph + 42)
    .attr('text-anchor', 'middle')
    .attr('fill', theme.text)
    .attr('font-size', 14)
    .attr('font-weight', 600)
    .text(spec.xLabel);
  g.append('text')
    .attr('transform', `translate(${-50},${ph / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('fill', theme.text)
    .attr('font-size', 14)
    .attr('font-weight', 600)
    .text(spec.yLabel);

  const plot = g.append('g');
  // clip so that log axes and fixed domains never draw outside the frame
  const clipId = `clip-${Math.random().toString(36).slice(2)}`;
  svg
    .append('defs')
    .append('clipPath')
    .attr('id', clipId)
    .append('rect')
    .attr('x', -4)
    .attr('y', -4)
    .attr('width', pw + 8)
    .attr('height', ph + 8);
  plot.attr('clip-path', `url(#${clipId})`);

  // every curve as drawn, in plot coordinates: labels are placed clear of them
  const drawnCurves = drawSeries(plot, spec, X, Y, xLog, yLog, theme, true);
  frames.set(svgEl, { key, plot: plot.node()! });

  // annotations: diamonds at points, dashed verticals for stats without a y
  const ann = g.append('g');
  for (const a of spec.annotations ?? []) {
    const ax = X(a.x);
    if (a.y === undefined) {
      ann
        .append('line')
        .attr('x1', ax)
        .attr('x2', ax)
        .attr('y1', 0)
        .attr('y2', ph)
        .attr('stroke', a.color)
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', '2 4');
    } else {
      const ay = Y(a.y);
      ann
        .append('path')
        .attr('d', `M${ax},${ay - 8}L${ax + 8},${ay}L${ax},${ay + 8}L${ax - 8},${ay}Z`)
        .attr('fill', theme.bg)
        .attr('stroke', a.color)
        .attr('stroke-width', 2.5);
    }
  }
  // labels last, each where its box crosses no curve, no annotation mark and no label
  // placed before (measured text, candidate spots around its mark, nearest first)
  const marks: [number, number][][] = [];
  for (const a of spec.annotations ?? []) {
    const ax = X(a.x);
    if (a.y === undefined)
      marks.push([
        [ax, 0],
        [ax, ph],
      ]);
    else {
      const ay = Y(a.y);
      marks.push([
        [ax, ay - 8],
        [ax + 8, ay],
        [ax, ay + 8],
        [ax - 8, ay],
        [ax, ay - 8],
      ]);
    }
  }
  const placed: Box[] = [];
  // where each label went last time, relative to its mark: a draft reuses it
  const before = labelSpots.get(svgEl);
  const spots = new Map<
    string,
    { lines: string[]; dx: number; dy: number; w: number; h: number }
  >();
  labelSpots.set(svgEl, spots);
  const reuse = (a: ChartAnnotation) => (spec.draft ? before?.get(annotationKey(a)) : undefined);
  // curves as an occupancy grid, built once for all labels (none when every label is reused)
  const occupied = (spec.annotations ?? []).every(reuse)
    ? { hits: () => false }
    : occupancy(drawnCurves, pw, ph);
  (spec.annotations ?? []).forEach((a, k) => {
    const ax = X(a.x);
    const ay = a.y === undefined ? null : Y(a.y);
    const text = ann
      .append('text')
      .attr('x', 0)
      .attr('y', 0)
      .attr('fill', theme.text)
      .attr('font-size', 12.5)
      .attr('font-weight', 600)
      .attr('paint-order', 'stroke')
      .attr('stroke', theme.bg)
      .attr('stroke-width', 4)
      .attr('stroke-linejoin', 'round')
      .attr('data-annotation', k);
    const node = text.node() as SVGTextElement;
    const others = marks.filter((_, i) => i !== k);
    const blocked = (r: Box) => occupied.hits(r) || hitsAny(others, r);
    const my0 = ay ?? ph / 2;
    const kept = reuse(a);
    let best: { lines: string[]; spot: Placement } | null = null;
    if (kept) {
      // the place found last time, beside the mark where it is now, kept inside the plot
      const x0 = Math.max(0, Math.min(pw - kept.w, ax + kept.dx));
      const y0 = Math.max(0, Math.min(ph - kept.h, my0 + kept.dy));
      best = {
        lines: kept.lines,
        spot: {
          box: { x0, y0, x1: x0 + kept.w, y1: y0 + kept.h },
          free: true,
          near: true,
          dist: 0,
        },
      };
    } else
      // one line if it fits beside its mark, else the same words on two or three lines
      for (const lines of labelLines(a.label)) {
        const w = Math.max(...lines.map((l) => measureText(node, l)));
        const h = LABEL_H + (lines.length - 1) * LABEL_LINE;
        const spot = placeLabel({ ax, ay, w, h, pw, ph, blocked, placed });
        if (!best || better(spot, best.spot)) best = { lines, spot };
        if (spot.free && spot.near) break;
      }
    const { lines, spot } = best!;
    spots.set(annotationKey(a), {
      lines,
      dx: spot.box.x0 - ax,
      dy: spot.box.y0 - my0,
      w: spot.box.x1 - spot.box.x0,
      h: spot.box.y1 - spot.box.y0,
    });
    placed.push(spot.box);
    text.text('');
    lines.forEach((l, i) =>
      text
        .append('tspan')
        .attr('x', spot.box.x0)
        .attr('y', spot.box.y0 + LABEL_ASCENT + i * LABEL_LINE)
        .text(l),
    );
    // a label placed away from its mark gets a thin line to it
    const b = spot.box;
    // (a vertical marker line is met level with the label)
    const my = ay ?? Math.max(0, Math.min(ph, (b.y0 + b.y1) / 2));
    const nx = Math.max(b.x0, Math.min(ax, b.x1));
    const ny = Math.max(b.y0, Math.min(my, b.y1));
    if ((nx - ax) ** 2 + (ny - my) ** 2 > 30 * 30)
      ann
        .insert('line', 'text')
        .attr('x1', ax)
        .attr('y1', my)
        .attr('x2', nx)
        .attr('y2', ny)
        .attr('stroke', a.color)
        .attr('stroke-width', 1)
        .attr('stroke-opacity', 0.7)
        .attr('data-leader', k);
  });

  // legend (inside the SVG so that exports carry it)
  if (legendW > 0) {
    const lg = svg.append('g').attr('transform', `translate(${left + pw + 20},${top + 4})`);
    let ly = 0;
    for (const s of legendItems) {
      const row = lg.append('g').attr('transform', `translate(0,${ly})`);
      row
        .append('line')
        .attr('x1', 0)
        .attr('x2', 26)
        .attr('y1', 0)
        .attr('y2', 0)
        .attr('stroke', s.color)
        .attr('stroke-width', s.upper ? 10 : (s.width ?? 2.5) + 0.5)
        .attr('stroke-opacity', s.upper ? (s.opacity ?? 0.15) + 0.1 : 1)
        .attr('stroke-dasharray', s.dash ?? null);
      if (s.markers) row.append('circle').attr('cx', 13).attr('r', 4).attr('fill', s.color);
      const lines = wrap(s.label, 23);
      const t = row
        .append('text')
        .attr('x', 34)
        .attr('y', 4.5)
        .attr('fill', theme.text)
        .attr('font-size', 13);
      lines.forEach((l, i) =>
        t
          .append('tspan')
          .attr('x', 34)
          .attr('dy', i === 0 ? 0 : 16)
          .text(l),
      );
      ly += 24 + 16 * (lines.length - 1);
    }
    ly += 4;
    for (const note of spec.legendNote ?? [])
      for (const l of wrap(note, 28)) {
        lg.append('text')
          .attr('x', 0)
          .attr('y', ly + 6)
          .attr('fill', theme.muted)
          .attr('font-size', 12)
          .text(l);
        ly += 16;
      }
  }

  return drawn;
}

/**
 * The curves, bands, whiskers and markers of `spec` into `plot`; returns the curves as
 * drawn in plot coordinates when `curves` asks for them (to place labels clear of them).
 */
function drawSeries(
  plot: Selection<SVGGElement, unknown, null, undefined>,
  spec: ChartSpec,
  X: (v: number) => number,
  Y: (v: number) => number,
  xLog: boolean,
  yLog: boolean,
  theme: Theme,
  curves: boolean,
): [number, number][][] {
  const drawnCurves: [number, number][][] = [];
  for (const s of spec.series) {
    if (s.upper) {
      const upper = s.upper;
      const a = d3area<Pt>()
        .x((p) => X(p.x))
        .y0((p) => Y(p.y))
        .y1((_, i) => Y(upper[i]?.y ?? 0));
      plot
        .append('path')
        .datum(s.points)
        .attr('d', a)
        .attr('fill', s.color)
        .attr('fill-opacity', s.opacity ?? 0.15)
        .attr('stroke', 'none');
      continue;
    }
    const pts = s.points.filter((p) => (!xLog || p.x > 0) && (!yLog || p.y > 0));
    if (curves) drawnCurves.push(screenPolyline(pts, X, Y, s.curve === 'step'));
    const ln = d3line<Pt>()
      .x((p) => X(p.x))
      .y((p) => Y(p.y))
      .curve(s.curve === 'step' ? curveStepAfter : curveLinear);
    plot
      .append('path')
      .datum(pts)
      .attr('d', ln)
      .attr('data-series', s.id)
      .attr('fill', 'none')
      .attr('stroke', s.color)
      .attr('stroke-width', s.width ?? 2.5)
      .attr('stroke-dasharray', s.dash ?? null)
      .attr('stroke-linejoin', 'round')
      .attr('stroke-opacity', s.opacity ?? 1);
    if (s.whiskers) {
      plot
        .append('g')
        .selectAll('line')
        .data(s.whiskers.filter((w) => !yLog || w.lo > 0))
        .join('line')
        .attr('x1', (w) => X(w.x))
        .attr('x2', (w) => X(w.x))
        .attr('y1', (w) => Y(w.lo))
        .attr('y2', (w) => Y(w.hi))
        .attr('stroke', s.color)
        .attr('stroke-width', 1.5);
    }
    if (s.markers) {
      plot
        .append('g')
        .selectAll('circle')
        .data(pts)
        .join('circle')
        .attr('cx', (p) => X(p.x))
        .attr('cy', (p) => Y(p.y))
        .attr('r', 4)
        .attr('fill', s.color)
        .attr('stroke', theme.bg)
        .attr('stroke-width', 1.5);
    }
  }

  return drawnCurves;
}

// ---- annotation labels ------------------------------------------------------------------

/** A label's box, plot coordinates (y down). */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Height of a 12.5 px label's one-line box, its baseline below the top, and its line step. */
const LABEL_H = 16;
const LABEL_ASCENT = 12;
const LABEL_LINE = 15;

/** A label's words on one line, then balanced on two and on three lines. */
export function labelLines(label: string): string[][] {
  const out: string[][] = [[label]];
  for (const k of [2, 3]) {
    // the narrowest wrap into at most k lines
    let width = Math.ceil(label.length / k);
    while (wrap(label, width).length > k) width++;
    const lines = wrap(label, width);
    if (lines.length > out[out.length - 1].length) out.push(lines);
  }
  return out;
}

/** A curve as screen segments: a step curve (CDF) holds its value until the next x. */
export function screenPolyline(
  pts: Pt[],
  X: (v: number) => number,
  Y: (v: number) => number,
  step: boolean,
): [number, number][] {
  const out: [number, number][] = [];
  pts.forEach((p, i) => {
    if (step && i > 0) out.push([X(p.x), Y(pts[i - 1].y)]);
    out.push([X(p.x), Y(p.y)]);
  });
  return out;
}

/** Per chart, where each label was placed by its last draw (see `ChartSpec.draft`). */
const labelSpots = new WeakMap<
  SVGSVGElement,
  Map<string, { lines: string[]; dx: number; dy: number; w: number; h: number }>
>();
const annotationKey = (a: ChartAnnotation) => `${a.label}|${a.x}|${a.y}`;

/** Widths measured so far, by font and text: a chart redrawn with the same labels lays out none. */
const widths = new Map<string, number>();

/** The width of `label` drawn as `node`'s only text (left there). */
function measureText(node: SVGTextElement, label: string): number {
  node.textContent = label;
  const key = [
    node.ownerSVGElement?.getAttribute('font-family') ?? '',
    node.getAttribute('font-size') ?? '',
    node.getAttribute('font-weight') ?? '',
    label,
  ].join('|');
  const known = widths.get(key);
  if (known !== undefined) return known;
  try {
    // forces a layout of the page: done once per font and text
    const w = node.getComputedTextLength();
    if (w > 0) {
      if (widths.size > 2000) widths.clear();
      widths.set(key, w);
      return w;
    }
  } catch {
    /* not laid out (no layout engine): estimate */
  }
  return label.length * 7.3;
}

/** Whether segment (a, b) meets the box (Liang-Barsky clipping). */
export function segmentHitsBox(
  [ax, ay]: [number, number],
  [bx, by]: [number, number],
  r: Box,
): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  const edges: [number, number][] = [
    [-dx, ax - r.x0],
    [dx, r.x1 - ax],
    [-dy, ay - r.y0],
    [dy, r.y1 - ay],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) {
        if (t > t1) return false;
        if (t > t0) t0 = t;
      } else {
        if (t < t0) return false;
        if (t < t1) t1 = t;
      }
    }
  }
  return true;
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Whether any segment of the polylines meets the box. */
function hitsAny(lines: [number, number][][], r: Box): boolean {
  for (const l of lines)
    for (let i = 1; i < l.length; i++) {
      const [ax, ay] = l[i - 1];
      const [bx, by] = l[i];
      // cheap reject: the segment's bounding box misses the box
      if (Math.max(ax, bx) < r.x0 || Math.min(ax, bx) > r.x1) continue;
      if (Math.max(ay, by) < r.y0 || Math.min(ay, by) > r.y1) continue;
      if (segmentHitsBox(l[i - 1], l[i], r)) return true;
    }
  return false;
}

/**
 * Which cells of a plot-sized grid the polylines pass through, with summed counts so that
 * asking about a box costs four look-ups. A box is reported as hit when any cell it
 * touches holds a curve: cautious by at most one cell.
 */
export function occupancy(
  lines: [number, number][][],
  pw: number,
  ph: number,
  cell = 2,
): { hits(r: Box): boolean } {
  const cols = Math.max(1, Math.ceil(pw / cell) + 1);
  const rows = Math.max(1, Math.ceil(ph / cell) + 1);
  const grid = new Uint8Array(cols * rows);
  const mark = (x: number, y: number) => {
    const i = Math.floor(x / cell);
    const j = Math.floor(y / cell);
    if (i >= 0 && i < cols && j >= 0 && j < rows) grid[j * cols + i] = 1;
  };
  for (const l of lines)
    for (let s = 1; s < l.length; s++) {
      const [ax, ay] = l[s - 1];
      const [bx, by] = l[s];
      // clip to the grid first (log axes clamp, but a fixed domain may cut a curve)
      const lo = -cell;
      if (Math.max(ax, bx) < lo || Math.min(ax, bx) > pw + cell) continue;
      if (Math.max(ay, by) < lo || Math.min(ay, by) > ph + cell) continue;
      const n = Math.min(
        4000,
        Math.ceil((2 * Math.max(Math.abs(bx - ax), Math.abs(by - ay))) / cell),
      );
      for (let t = 0; t <= n; t++) {
        const f = n === 0 ? 0 : t / n;
        mark(ax + (bx - ax) * f, ay + (by - ay) * f);
      }
    }
  // sum[(j + 1) * (cols + 1) + i + 1]: occupied cells in columns < i + 1 and rows < j + 1
  const w = cols + 1;
  const sum = new Uint32Array(w * (rows + 1));
  for (let j = 0; j < rows; j++) {
    let row = 0;
    for (let i = 0; i < cols; i++) {
      row += grid[j * cols + i];
      sum[(j + 1) * w + i + 1] = sum[j * w + i + 1] + row;
    }
  }
  const clampI = (v: number, hi: number) => Math.max(0, Math.min(hi - 1, v));
  return {
    hits(r) {
      if (r.x1 < 0 || r.y1 < 0 || r.x0 > pw + cell || r.y0 > ph + cell) return false;
      const i0 = clampI(Math.floor(r.x0 / cell), cols);
      const i1 = clampI(Math.floor(r.x1 / cell), cols) + 1;
      const j0 = clampI(Math.floor(r.y0 / cell), rows);
      const j1 = clampI(Math.floor(r.y1 / cell), rows) + 1;
      return sum[j1 * w + i1] - sum[j0 * w + i1] - sum[j1 * w + i0] + sum[j0 * w + i0] > 0;
    },
  };
}

/** Where a label went: free (nothing crosses it), near its mark, how far from it. */
export interface Placement {
  box: Box;
  free: boolean;
  near: boolean;
  dist: number;
}

/** A free spot beats a crossed one; near its mark beats far; then the closer one. */
function better(a: Placement, b: Placement): boolean {
  if (a.free !== b.free) return a.free;
  if (a.near !== b.near) return a.near;
  return a.dist < b.dist;
}

/**
 * Where a label of w × h goes: the first spot around its mark (ax, ay; ay null for a
 * vertical marker line) whose box, with a small margin, stays inside the plot, is not
 * `blocked` (curves, other marks) and meets no label already placed. Spots go outwards
 * from the mark, right and left, below and above, so a label stays as close as it can;
 * then anywhere in the plot, nearest first (the caller joins it to its mark with a thin
 * line). If no spot is free, the one inside the plot crossing the fewest labels wins.
 */
export function placeLabel(o: {
  ax: number;
  ay: number | null;
  w: number;
  h: number;
  pw: number;
  ph: number;
  blocked: (r: Box) => boolean;
  placed: readonly Box[];
}): Placement {
  const { ax, w, h, pw, ph } = o;
  const ay = o.ay ?? 10;
  const pad = 3;
  const boxAt = (x0: number, y0: number): Box => ({ x0, y0, x1: x0 + w, y1: y0 + h });
  const inflate = (b: Box): Box => ({
    x0: b.x0 - pad,
    y0: b.y0 - pad,
    x1: b.x1 + pad,
    y1: b.y1 + pad,
  });
  const inside = (b: Box) => b.x0 >= 0 && b.x1 <= pw && b.y0 >= 0 && b.y1 <= ph;
  const distTo = (b: Box) => {
    const dx = Math.max(b.x0 - ax, 0, ax - b.x1);
    const dy = Math.max(b.y0 - ay, 0, ay - b.y1);
    return dx * dx + dy * dy;
  };
  const near: Box[] = [];
  for (let ring = 0; ring < 14; ring++) {
    const dy = 10 + ring * 9;
    const xs = [ax + 12, ax - 12 - w, ax - w / 2];
    for (const x0 of xs)
      for (const y0 of [ay + dy - h / 2, ay - dy - h / 2]) near.push(boxAt(x0, y0));
  }
  // further right or left along the mark's height, for crowded places
  for (let step = 1; step < 10; step++)
    for (const x0 of [ax + 12 + step * 24, ax - 12 - w - step * 24])
      for (const y0 of [ay - h / 2 + 14, ay - h / 2 - 14]) near.push(boxAt(x0, y0));
  let fallback: Placement | null = null;
  let fewest = Infinity;
  const consider = (c: Box, isNear: boolean): Placement | null => {
    if (!inside(c)) return null;
    const r = inflate(c);
    let labelHits = 0;
    for (const p of o.placed) if (overlaps(p, r)) labelHits++;
    const crossed = o.blocked(r);
    const spot = { box: c, free: false, near: isNear, dist: distTo(c) };
    if (labelHits === 0 && !crossed) return { ...spot, free: true };
    const cost = labelHits * 2 + (crossed ? 1 : 0);
    if (cost < fewest) {
      fewest = cost;
      fallback = spot;
    }
    return null;
  };
  for (const c of near) {
    const got = consider(c, true);
    if (got) return got;
  }
  // anywhere in the plot, nearest to the mark first
  let bestFar: Placement | null = null;
  for (let y0 = 2; y0 + h <= ph - 2; y0 += 4)
    for (let x0 = 2; x0 + w <= pw - 2; x0 += 6) {
      const c = boxAt(x0, y0);
      const d = distTo(c);
      if (bestFar && d >= bestFar.dist) continue;
      const got = consider(c, false);
      if (got) bestFar = got;
    }
  if (bestFar) return bestFar;
  return (
    fallback ?? {
      box: boxAt(Math.max(0, Math.min(pw - w, ax + 12)), Math.max(0, ay - h - 10)),
      free: false,
      near: false,
      dist: Infinity,
    }
  );
}

/** A standalone SVG document of the chart (for download). */
export function svgText(svgEl: SVGSVGElement): string {
  const clone = svgEl.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.querySelectorAll('[data-overlay]').forEach((n) => n.remove());
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

/** The chart as a PNG at `scale` times its size. */
export async function pngBlob(svgEl: SVGSVGElement, scale = 2): Promise<Blob> {
  const w = Number(svgEl.getAttribute('width'));
  const h = Number(svgEl.getAttribute('height'));
  const url = URL.createObjectURL(new Blob([svgText(svgEl)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.width = w;
    img.height = h;
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the chart could not be rendered as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, w, h);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

export { n0 };
