/**
 * Files in and out: the scenario as JSON (the same schema and the same errors as a
 * link), the trace as JSON or CSV, and pictures of the network view (and of the
 * space-time diagram when the page has one) as SVG or PNG.
 */
import {
  createSimulation,
  parseScenario,
  ScenarioError,
  type Scenario,
  type TraceRecord,
} from '../../algorithms/index';
import { compact, MAX_DECODED_BYTES, type Decoded } from '../../algorithms/index';
import { playground } from '../store/store';
import { currentScenario, decodeFragment } from './link';
import { debugStore } from '../debug/debugStore';

// ---- downloads ------------------------------------------------------------------------

export function download(name: string, data: Blob | string, type = 'application/json'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "raft-5-nodes-event-412" */
export function baseName(): string {
  const s = playground.getState();
  const ev = s.position.index;
  return `${s.scenario.algorithm}-${s.scenario.nodes.length}-nodes${ev > 0 ? `-event-${ev}` : ''}`;
}

// ---- scenario JSON --------------------------------------------------------------------

/**
 * The scenario file: scenario format v1 with every recorded action, plus where the run
 * stood (`view.event`), so the file opens at the event it was exported at, as a link does.
 * Readers of the format that do not know `view` ignore it (the CLI replays from 0).
 */
export function scenarioJson(): string {
  const event = playground.getState().position.index;
  const file = { ...compact(currentScenario()), ...(event > 0 ? { view: { event } } : {}) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The event a scenario file was exported at, when it says so validly. */
function fileEvent(raw: unknown): number | undefined {
  const e = (raw as { view?: { event?: unknown } } | null)?.view?.event;
  return typeof e === 'number' && Number.isInteger(e) && e >= 0 ? e : undefined;
}

export function exportScenario(): void {
  download(`${baseName()}.scenario.json`, scenarioJson());
}

/**
 * Files may be larger than links (a link's decoded scenario is capped at
 * MAX_DECODED_BYTES so that address bars and chat apps cope): a long run that no longer
 * fits a link can still travel as a file.
 */
export const MAX_FILE_BYTES = 2_000_000;

/** Whether the current run still fits in a link. */
export function fitsInLink(): boolean {
  return JSON.stringify(compact(currentScenario())).length <= MAX_DECODED_BYTES;
}

/**
 * Reads a scenario file's text. Never throws: the answer is a scenario or an error that
 * says what is wrong, exactly like a link. A file that holds a link (copied from the
 * address bar) is read as one.
 */
export function decodeScenarioText(text: string): Decoded {
  const fail = (kind: Extract<Decoded, { ok: false }>['kind'], message: string): Decoded => ({
    ok: false,
    kind,
    message,
  });
  try {
    if (typeof text !== 'string') return fail('undecodable', 'the file is not text');
    if (text.length > MAX_FILE_BYTES)
      return fail(
        'too-large',
        `the file is ${text.length} bytes long; the limit is ${MAX_FILE_BYTES}`,
      );
    const trimmed = text.trim();
    if (trimmed === '') return fail('empty', 'the file is empty');
    const hash = trimmed.indexOf('#');
    if (!trimmed.startsWith('{') && (hash >= 0 || /^v\d+=/.test(trimmed)))
      return decodeFragment(hash >= 0 ? trimmed.slice(hash + 1) : trimmed);
    let raw: unknown;
    try {
      raw = JSON.parse(trimmed);
    } catch (e) {
      return fail(
        'json',
        `the file is not valid JSON (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    try {
      const { scenario } = parseScenario(raw);
      const event = fileEvent(raw);
      return { ok: true, scenario, view: event === undefined ? {} : { event } };
    } catch (e) {
      if (e instanceof ScenarioError)
        return fail('schema', `the scenario in the file is invalid: ${e.message}`);
      return fail('schema', `the scenario in the file is invalid: ${String(e)}`);
    }
  } catch (e) {
    return fail('undecodable', `the file could not be read (${String(e)})`);
  }
}

// ---- trace ----------------------------------------------------------------------------

export interface TraceExport {
  scenario: Scenario;
  events: number;
  traceHash: string;
  records: TraceRecord[];
}

/**
 * The full trace up to the current event. The store keeps only a short log, so the run
 * is replayed headless with the trace kept: the same scenario gives the same events.
 */
export function traceUpToNow(): TraceExport {
  const s = playground.getState();
  const scenario = currentScenario(s);
  const sim = createSimulation(scenario, { keepTrace: true });
  const target = s.position.index;
  while (sim.index < target) if (!sim.step()) break;
  return {
    scenario,
    events: sim.index,
    traceHash: sim.traceHash(),
    records: Array.from(sim.records()),
  };
}

const CSV_COLUMNS: (keyof TraceRecord)[] = [
  'i',
  't',
  'kind',
  'node',
  'from',
  'msg',
  'type',
  'label',
  'reason',
  'before',
  'after',
  'sent',
  'term',
  'votedFor',
  'leader',
];

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function traceCsv(records: readonly TraceRecord[]): string {
  const head = ['index', 'time_us', 'time_ms', ...CSV_COLUMNS.slice(2)].join(',');
  const rows = records.map((r) =>
    [r.i, r.t, r.t / 1000, ...CSV_COLUMNS.slice(2).map((c) => r[c])].map(csvCell).join(','),
  );
  return `${[head, ...rows].join('\n')}\n`;
}

export function exportTrace(format: 'json' | 'csv'): void {
  const t = traceUpToNow();
  if (format === 'json')
    download(
      `${baseName()}.trace.json`,
      `${JSON.stringify({ ...t, scenario: compact(t.scenario) }, null, 1)}\n`,
    );
  else download(`${baseName()}.trace.csv`, traceCsv(t.records), 'text/csv');
}

// ---- pictures -------------------------------------------------------------------------

const SVG_NS = 'http://www.w3.org/2000/svg';
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'letter-spacing',
  'text-anchor',
  'dominant-baseline',
  'paint-order',
];

/** Copies the computed presentation of `from` (and its subtree) onto the clone `to`. */
function inlineStyles(from: Element, to: Element): void {
  const cs = getComputedStyle(from);
  if (cs.display === 'none' || cs.visibility === 'hidden') {
    to.remove();
    return;
  }
  const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
  to.setAttribute('style', style);
  to.removeAttribute('class');
  to.removeAttribute('tabindex');
  to.removeAttribute('role');
  const a = [...from.children];
  const b = [...to.children];
  for (let i = 0; i < a.length; i++) if (b[i]) inlineStyles(a[i], b[i]);
}

export interface Picture {
  svg: string;
  width: number;
  height: number;
}

function serialize(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`;
}

/**
 * The network view as one standalone SVG: links and zones, the moving layer (countdown
 * rings and messages, drawn on a canvas on screen) as an embedded image, then the nodes,
 * with every style inlined so it looks the same outside the page.
 */
export function networkPicture(): Picture | null {
  const host = document.querySelector<HTMLElement>('[data-testid="topology"]');
  if (!host) return null;
  const layers = [...host.children] as (SVGSVGElement | HTMLCanvasElement)[];
  const first = layers.find((l): l is SVGSVGElement => l instanceof SVGSVGElement);
  if (!first) return null;
  const { width, height } = host.getBoundingClientRect();
  const box = first.getAttribute('viewBox') ?? `0 0 ${width} ${height}`;
  const [vx, vy, vw, vh] = box.split(/\s+/).map(Number);
  // crop to what is drawn (nodes with their labels, links, partition zones), not the stage
  let crop = { x: vx, y: vy, w: vw, h: vh };
  const parts = [...host.querySelectorAll<SVGGElement>('g.nodes, g.links, g.zones')];
  const boxes = parts.map((g) => g.getBBox()).filter((b) => b.width > 0 && b.height > 0);
  if (boxes.length > 0) {
    const m = 24;
    const x0 = Math.max(vx, Math.min(...boxes.map((b) => b.x)) - m);
    const y0 = Math.max(vy, Math.min(...boxes.map((b) => b.y)) - m);
    const x1 = Math.min(vx + vw, Math.max(...boxes.map((b) => b.x + b.width)) + m);
    const y1 = Math.min(vy + vh, Math.max(...boxes.map((b) => b.y + b.height)) + m);
    if (x1 > x0 && y1 > y0) crop = { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }
  const scale = Math.min(width / vw, height / vh);
  const outW = Math.round(crop.w * scale);
  const outH = Math.round(crop.h * scale);
  const out = document.createElementNS(SVG_NS, 'svg');
  out.setAttribute('xmlns', SVG_NS);
  out.setAttribute('viewBox', `${crop.x} ${crop.y} ${crop.w} ${crop.h}`);
  out.setAttribute('width', String(outW));
  out.setAttribute('height', String(outH));
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', String(crop.x));
  bg.setAttribute('y', String(crop.y));
  bg.setAttribute('width', String(crop.w));
  bg.setAttribute('height', String(crop.h));
  bg.setAttribute('fill', getComputedStyle(host.parentElement ?? host).backgroundColor || '#fff');
  const stage = host.closest('.stage');
  if (stage) bg.setAttribute('fill', getComputedStyle(stage).backgroundColor);
  out.appendChild(bg);
  for (const layer of layers) {
    if (layer instanceof HTMLCanvasElement) {
      if (layer.width === 0 || layer.height === 0) continue;
      const img = document.createElementNS(SVG_NS, 'image');
      img.setAttribute('x', String(vx));
      img.setAttribute('y', String(vy));
      img.setAttribute('width', String(vw));
      img.setAttribute('height', String(vh));
      img.setAttribute('href', layer.toDataURL('image/png'));
      out.appendChild(img);
    } else if (layer instanceof SVGSVGElement) {
      for (const g of [...layer.children]) {
        const copy = g.cloneNode(true) as Element;
        out.appendChild(copy);
        inlineStyles(g, copy);
      }
    }
  }
  // invisible hit areas and the transparent lasso background only add weight
  out.querySelectorAll('title').forEach((t) => t.remove());
  return { svg: serialize(out), width: outW, height: outH };
}

const TIMELINE_SVG = '[data-testid="timeline"] svg, .timeline svg';

/** Whether the page shows a space-time diagram (app/timeline) right now. */
export function hasTimeline(): boolean {
  const svg = document.querySelector<SVGSVGElement>(TIMELINE_SVG);
  if (!svg) return false;
  const { width, height } = svg.getBoundingClientRect();
  return width > 0 && height > 0;
}

/** The space-time diagram, when the page shows one. */
export function timelinePicture(): Picture | null {
  const svg = document.querySelector<SVGSVGElement>(TIMELINE_SVG);
  if (!svg || !hasTimeline()) return null;
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(Math.round(width)));
  copy.setAttribute('height', String(Math.round(height)));
  if (!copy.getAttribute('viewBox'))
    copy.setAttribute('viewBox', `0 0 ${Math.round(width)} ${Math.round(height)}`);
  inlineStyles(svg, copy);
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', '0');
  bg.setAttribute('y', '0');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(svg.parentElement ?? svg).backgroundColor);
  copy.insertBefore(bg, copy.firstChild);
  return { svg: serialize(copy), width, height };
}

/** Rasterises a picture at `scale` × its on-screen size. */
export async function toPng(p: Picture, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([p.svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the picture could not be drawn'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(p.width * scale));
    canvas.height = Math.max(1, Math.round(p.height * scale));
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('no PNG'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

const nextFrame = () =>
  new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/**
 * The space-time diagram lives in a tab of the bottom panel: show it for a moment if it
 * is not on screen, take the picture, and put the panel back as it was.
 */
async function withTimelineShown<T>(fn: () => T): Promise<T> {
  if (hasTimeline()) return fn();
  const d = debugStore.getState();
  const was = { tab: d.bottomTab, open: d.bottomOpen };
  d.setBottomTab('timeline');
  // the diagram's code loads when first shown: wait for it by time, not by a count of
  // frames (ten frames were not always enough, and the export then said there was nothing)
  const deadline = performance.now() + 5000;
  while (!hasTimeline() && performance.now() < deadline) await nextFrame();
  await nextFrame();
  try {
    return fn();
  } finally {
    debugStore.getState().setBottomTab(was.tab);
    debugStore.getState().toggleBottom(was.open);
  }
}

export async function exportPicture(
  which: 'network' | 'timeline',
  format: 'svg' | 'png',
): Promise<boolean> {
  const p = which === 'network' ? networkPicture() : await withTimelineShown(timelinePicture);
  if (!p) return false;
  const name = `${baseName()}.${which === 'network' ? 'network' : 'space-time'}`;
  if (format === 'svg') download(`${name}.svg`, p.svg, 'image/svg+xml');
  else download(`${name}.png`, await toPng(p));
  return true;
}
