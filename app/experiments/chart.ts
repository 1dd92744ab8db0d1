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
import { select } from 'd3-selection';
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

/** Draws `spec` into `svgEl` (replacing its content) at `width` x `height` CSS pixels. */
export function drawChart(
  svgEl: SVGSVGElement,
  spec: ChartSpec,
  width: number,
  height: number,
  theme: Theme,
): Drawn {
  const svg = select(svgEl);
  svg.selectAll('*').remove();
  const legendItems = spec.series.filter((s) => s.legend !== false);
  const legendW = legendItems.length > 0 && width > 560 ? LEGEND_W : 0;
  const left = MARGIN.left;
  const top = MARGIN.top;
  const pw = Math.max(50, width - left - MARGIN.right - legendW);
  const ph = Math.max(50, height - top - MARGIN.bottom);
  svg
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('font-family', theme.font)
    .attr('font-size', 13);
  svg.append('rect').attr('width', width).attr('height', height).attr('fill', theme.bg);

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
  const x = scaleOf(spec.xScale, spec.xDomain ?? extent(xs, xLog), [0, pw], !!spec.xLog2);
  const y = scaleOf(spec.yScale, spec.yDomain ?? extent(ys, yLog), [ph, 0]);
  const X = (v: number) => x(xLog ? Math.max(v, x.domain()[0]) : v);
  const Y = (v: number) => y(yLog ? Math.max(v, y.domain()[0]) : v);

  svg
    .append('text')
    .attr('x', left)
    .attr('y', 22)
    .attr('fill', theme.text)
    .attr('font-size', 16)
    .attr('font-weight', 700)
    .text(spec.title);

  const g = svg.append('g').attr('transform', `translate(${left},${top})`);
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
    const ln = d3line<Pt>()
      .x((p) => X(p.x))
      .y((p) => Y(p.y))
      .curve(s.curve === 'step' ? curveStepAfter : curveLinear);
    plot
      .append('path')
      .datum(pts)
      .attr('d', ln)
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
  // labels last, nudged down until their boxes (text-anchor aware, ~7.3 px per character
  // of 12.5 px bold) clear every label placed before
  const placed: { x0: number; x1: number; y: number }[] = [];
  for (const a of spec.annotations ?? []) {
    const ax = X(a.x);
    const right = ax > pw * 0.62;
    const width = a.label.length * 7.3;
    const x0 = right ? ax - 10 - width : ax + 10;
    const x1 = x0 + width;
    let ly = a.y === undefined ? 16 : Y(a.y) + 22;
    if (ly > ph - 6) ly = Y(a.y ?? 0) - 14;
    while (placed.some((p) => Math.abs(p.y - ly) < 17 && p.x0 < x1 + 8 && x0 < p.x1 + 8)) ly += 18;
    placed.push({ x0, x1, y: ly });
    ann
      .append('text')
      .attr('x', right ? ax - 10 : ax + 10)
      .attr('y', ly)
      .attr('text-anchor', right ? 'end' : 'start')
      .attr('fill', theme.text)
      .attr('font-size', 12.5)
      .attr('font-weight', 600)
      .attr('paint-order', 'stroke')
      .attr('stroke', theme.bg)
      .attr('stroke-width', 4)
      .attr('stroke-linejoin', 'round')
      .text(a.label);
  }

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

  const hoverable = spec.series.filter((s) => s.hover !== false && !s.upper);
  return {
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
