/**
 * The network view's geometry as a classroom sees it: which panel over the view covers
 * which node, at the window sizes and modes a lesson is shown in (a projector's 1024 x
 * 768 up to 1920 x 1080, normal and presenter mode).
 *
 * Switching sizes goes through the DevTools protocol (a device-metrics override) rather
 * than page.setViewportSize, which in Chromium also resizes the headless browser window
 * and waits for it: about three times the cost per view. The page itself says when a view
 * is ready, instead of a poll from outside: the window has the new size, the mode is
 * applied, and the picture stayed the same over consecutive frames. (The refit after a
 * resize is immediate, not animated: sampled for 90 frames after a resize, the picture
 * changes in the first frame and never after, so no reduced-motion emulation is needed.)
 */
import type { CDPSession, Page } from '@playwright/test';
import { parseScenario } from '../algorithms/scenario/parse';

/** The panels drawn over the network view (the app's own list, app/topology/NetworkView.tsx). */
export const OVERLAYS = '.status-line > *, .legend, .view-hint, .pay-board, .embed-open';

/** The sizes a lesson is checked at: a projector's 1024 x 768 (the tightest fit) to full HD. */
export const SIZES = [
  [1024, 768],
  [1280, 720],
  [1920, 1080],
] as const;

export interface View {
  width: number;
  height: number;
  present: boolean;
}

interface Probe {
  sel: string;
  /** null: measure now; else wait for this view and a settled picture first */
  view: View | null;
  frames: number;
  timeoutMs: number;
  /** also wait until this element shows this text (the page has reached the state checked) */
  until?: { sel: string; text: string };
}

/**
 * Runs in the page: every (panel, node part) pair that overlaps on screen (a node's
 * circle, id, term and labels), measured now or once `view` is in effect and settled.
 */
async function probe({ sel, view, frames, timeoutMs, until }: Probe): Promise<string[]> {
  type R = { x1: number; y1: number; x2: number; y2: number };
  const box = (e: Element): R | null => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return null;
    return { x1: r.left, y1: r.top, x2: r.right, y2: r.bottom };
  };
  const hit = (a: R, b: R) => a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
  const measure = () => {
    const stage = document.querySelector('.stage')!;
    const panels = [...stage.querySelectorAll(sel)]
      .map((e) => ({ e, b: box(e) }))
      .filter((p): p is { e: Element; b: R } => p.b !== null);
    const out: string[] = [];
    for (const g of document.querySelectorAll('.layer-front g.node')) {
      const id = g.getAttribute('data-node');
      const body = box(g.querySelector('.body')!)!;
      const r = (body.x2 - body.x1) / 2;
      const c = { x: (body.x1 + body.x2) / 2, y: (body.y1 + body.y2) / 2 };
      const texts = [...g.querySelectorAll('.nid, .term, .role-text, .vote-text')]
        .filter((t) => (t.textContent ?? '') !== '' && t.closest('[display="none"]') === null)
        .map((t) => ({ t, b: box(t) }))
        .filter((x): x is { t: Element; b: R } => x.b !== null);
      for (const p of panels) {
        const nx = Math.max(p.b.x1, Math.min(c.x, p.b.x2));
        const ny = Math.max(p.b.y1, Math.min(c.y, p.b.y2));
        const name = `${p.e.className || p.e.tagName} "${(p.e.textContent ?? '').slice(0, 40)}"`;
        if ((nx - c.x) ** 2 + (ny - c.y) ** 2 < r * r) out.push(`${name} covers node ${id}`);
        for (const t of texts)
          if (hit(p.b, t.b))
            out.push(
              `${name} covers node ${id}'s ${t.t.getAttribute('class')} "${t.t.textContent}"`,
            );
      }
    }
    // the payment board, where there is one, also stays inside the view and off the other panels
    const board = panels.find((p) => p.e.classList.contains('pay-board'));
    if (board) {
      const b = board.b;
      const r = box(document.querySelector('.network-wrap')!)!;
      if (b.x1 < r.x1 - 1 || b.y1 < r.y1 - 1 || b.x2 > r.x2 + 1 || b.y2 > r.y2 + 1)
        out.push(`the payment board leaves the view: ${b.x1},${b.y1} to ${b.x2},${b.y2}`);
      for (const p of panels)
        if (p !== board && hit(p.b, b))
          out.push(
            `the payment board covers ${p.e.className} "${(p.e.textContent ?? '').slice(0, 30)}"`,
          );
    }
    return out;
  };
  if (!view) return measure();
  // the picture: every node part, every panel and the view box, to the pixel
  const shape = () => {
    const rects = [
      ...document.querySelectorAll(`.layer-front g.node .body, .layer-front g.node text, ${sel}`),
    ].map((e) => {
      const r = e.getBoundingClientRect();
      return `${Math.round(r.left)},${Math.round(r.top)},${Math.round(r.width)},${Math.round(r.height)}`;
    });
    const boxes = [...document.querySelectorAll('.topology svg')].map((s) =>
      s.getAttribute('viewBox'),
    );
    return `${boxes.join('|')}#${rects.join(';')}`;
  };
  // a page that stops drawing fails here instead of hanging the test
  const frame = () =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no animation frame for 10 s')), 10_000);
      requestAnimationFrame(() => {
        clearTimeout(t);
        resolve();
      });
    });
  const deadline = performance.now() + timeoutMs;
  let last: string[] | null = null;
  let key = '';
  let same = 0;
  while (performance.now() < deadline) {
    await frame();
    const present = document.documentElement.dataset.present === '1';
    if (
      window.innerWidth !== view.width ||
      window.innerHeight !== view.height ||
      present !== view.present ||
      (until && document.querySelector(until.sel)?.textContent !== until.text)
    ) {
      same = 0;
      continue;
    }
    const now = shape();
    same = now === key ? same + 1 : 1;
    key = now;
    if (same < frames) continue;
    last = measure();
    if (last.length === 0) return last;
  }
  return (
    last ?? [
      `the view never settled at ${view.width}x${view.height}${view.present ? ' in presenter mode' : ''}${until ? ` showing "${until.text}"` : ''} (window ${window.innerWidth}x${window.innerHeight})`,
    ]
  );
}

/** Every (panel, node part) pair that overlaps on screen now. */
export function overlaps(page: Page, selector = OVERLAYS): Promise<string[]> {
  return page.evaluate(probe, { sel: selector, view: null, frames: 0, timeoutMs: 0 });
}

/**
 * Waits, inside the page, until `view` is in effect (window size and presenter mode), the
 * element `until.sel` shows `until.text` when given, and the network view has settled: the
 * nodes, their labels, the panels and the view box unchanged over `frames` consecutive
 * animation frames. Returns the overlaps then; when they never clear within `timeoutMs`,
 * the last ones seen (or that it never settled).
 */
export function settledOverlaps(
  page: Page,
  view: View,
  {
    selector = OVERLAYS,
    frames = 2,
    timeoutMs = 10_000,
    until,
  }: { selector?: string; frames?: number; timeoutMs?: number; until?: Probe['until'] } = {},
): Promise<string[]> {
  return page.evaluate(probe, { sel: selector, view, frames, timeoutMs, until });
}

const sessions = new WeakMap<Page, Promise<CDPSession>>();

/**
 * Sets the page's window size (CSS px at scale 1) with a device-metrics override, without
 * waiting for the page: the caller waits on the page instead (settledOverlaps).
 * page.viewportSize() keeps reporting the size Playwright last set.
 */
export async function resizeWindow(page: Page, width: number, height: number): Promise<void> {
  let session = sessions.get(page);
  if (!session) {
    session = page.context().newCDPSession(page);
    sessions.set(page, session);
  }
  await (
    await session
  ).send('Emulation.setDeviceMetricsOverride', {
    width,
    height,
    deviceScaleFactor: 1,
    mobile: false,
  });
}

/**
 * Ends a `resizeWindow` override: the page goes back to the viewport Playwright set. The
 * override lives in its own DevTools session and outlasts a test on a reused tab.
 */
export async function releaseWindow(page: Page): Promise<void> {
  const session = sessions.get(page);
  if (!session) return;
  sessions.delete(page);
  const s = await session;
  await s.send('Emulation.clearDeviceMetricsOverride').catch(() => {});
  await s.detach().catch(() => {});
}

/**
 * Rendered size of every visible text in `selector`'s elements, CSS px on screen (font
 * size times the CTM's scale for SVG): words and numbers, and with `icons` also the
 * symbols that carry meaning (★ ⚑ ✕ ⚠ ◆).
 */
export function screenSizes(page: Page, selector: string, { icons = false } = {}) {
  return page.evaluate(
    ({ sel, icons }) => {
      const out: { text: string; px: number }[] = [];
      const shown = icons ? /\S/u : /[\p{L}\p{N}]/u;
      for (const root of document.querySelectorAll(sel)) {
        for (const e of [root, ...root.querySelectorAll('*')]) {
          const own = [...e.childNodes].some(
            (n) => n.nodeType === Node.TEXT_NODE && shown.test(n.textContent ?? ''),
          );
          if (!own) continue;
          const r = e.getBoundingClientRect();
          // hidden, or visually hidden for screen readers only
          if (r.width <= 1 || r.height <= 1) continue;
          if (icons && e.closest('[display="none"], title, desc')) continue;
          let px = parseFloat(getComputedStyle(e).fontSize);
          if (e instanceof SVGGraphicsElement) {
            const m = e.getScreenCTM()!;
            px *= Math.hypot(m.a, m.b);
          }
          out.push({
            text: (e.textContent ?? '').trim().slice(0, 30),
            px: Math.round(px * 10) / 10,
          });
        }
      }
      return out;
    },
    { sel: selector, icons },
  );
}

/** The texts under `min` px, for an assertion message. */
export const under = (list: { text: string; px: number }[], min: number) =>
  list.filter((x) => x.px < min).map((x) => `"${x.text}" ${x.px}px`);

/** Raft on nodes 1 to `n`, one-way latency in ms and a seed, with no faults. */
export function raftScenario(n: number, latency: { min: number; max: number }, seed: number) {
  return parseScenario({
    v: 1,
    algorithm: 'raft',
    nodes: Array.from({ length: n }, (_, i) => ({ id: i + 1 })),
    network: { latency },
    seed,
  }).scenario;
}
