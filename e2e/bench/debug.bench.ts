/**
 * Browser benchmark of the step-through debugger at a million events, printed
 * as JSON:
 *
 *   npx vite build && npx tsx e2e/bench/debug.bench.ts [--events 1000000] [--url http://…]
 *
 * A 5-node Raft run is driven to `--events` events through the test hook (history on,
 * as in the app), then, in the page:
 * - build: wall time to process the run (engine + checkpoints + trace);
 * - log: time from a scroll of the event log to the next painted frame, at random
 *   positions over the whole run (only the visible rows are narrated), p50 / p95 / max;
 * - seek: a click on a log line (store.seek to a random index + the next painted frame),
 *   and the engine's seek alone, p50 / p95 / max;
 * - filter: first build of a filtered view (one node's events) over the whole run;
 * - heapMB: JS heap plus array buffers (the compact trace's typed arrays) with the whole
 *   run explored, after a full collection (jsHeapMB and arrayBuffersMB apart);
 * - linkOpen: a fresh page opened on a link to event `--events` of the same scenario: the
 *   time until it stands there (the far seek replays in slices with a progress bar), whether
 *   the progress bar showed, and the longest gap between two frames meanwhile.
 *
 * Runs its own `vite preview` on port 4178 (or uses --url) and Chromium from
 * scripts/find-chromium.mjs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { findChromium } from '../../scripts/find-chromium.mjs';
import { waitForServer } from './server';
import { pageMemory } from './heap';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const EVENTS = Number(opt('events') ?? 1_000_000);
const PORT = 4178;
const URL = opt('url') ?? `http://127.0.0.1:${PORT}/`;
const SAMPLES = 40;

type Hook = {
  __playground: {
    store: {
      getState(): {
        runFor(ms: number): void;
        seek(i: number): void;
        sim: { index: number; seek(i: number): void; history: { maxIndex: number } };
        seeking: unknown;
      };
    };
  };
};

function quantiles(xs: number[]) {
  const s = xs.slice().sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.floor(p * (s.length - 1))] * 10) / 10;
  return { n: s.length, p50: q(0.5), p95: q(0.95), max: q(1) };
}

/** Opens a fresh page on `link` and waits until it stands on event `events`. */
async function openLink(page: Page, link: string, events: number) {
  // frame gaps, from the first script on
  await page.addInitScript(() => {
    const w = window as unknown as { __gaps: number[] };
    w.__gaps = [];
    let last = 0;
    const tick = (t: number) => {
      if (last) w.__gaps.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const t0 = Date.now();
  await page.goto(link);
  const progress = page
    .getByTestId('seek-progress')
    .waitFor({ timeout: 60_000 })
    .then(() => true)
    .catch(() => false);
  await page.waitForFunction(
    (n) => {
      const s = (window as unknown as Hook).__playground?.store.getState();
      return s !== undefined && s.sim.index === n && s.seeking === null;
    },
    events,
    { timeout: 120_000, polling: 50 },
  );
  const ms = Date.now() - t0;
  const shown = await Promise.race([
    progress,
    new Promise<boolean>((r) => setTimeout(() => r(false), 100)),
  ]);
  const gaps = await page.evaluate(() => (window as unknown as { __gaps: number[] }).__gaps);
  return {
    events,
    ms,
    progressShown: shown,
    longestFrameGapMs: Math.round(Math.max(0, ...gaps)),
    frames: gaps.length,
  };
}

async function main() {
  let server: ChildProcess | null = null;
  if (!opt('url')) {
    server = spawn(
      'npx',
      ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'],
      { stdio: 'ignore', detached: true },
    );
  }
  const stop = () => {
    try {
      if (server) process.kill(-server.pid!);
    } catch {
      /* gone */
    }
  };
  try {
    await waitForServer(URL);
    const browser = await chromium.launch({
      executablePath: findChromium(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--enable-precise-memory-info',
        '--js-flags=--expose-gc',
      ],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(`${URL}?paused`);
    await page.getByTestId('node-1').waitFor();

    // drive the run to EVENTS events (heartbeats: ~120 events per simulated second)
    const buildMs = await page.evaluate((n) => {
      const s = (window as unknown as Hook).__playground.store.getState();
      const t0 = performance.now();
      while (s.sim.index < n)
        s.runFor(Math.max(1000, Math.min(600_000, ((n - s.sim.index) / 110) * 1000)));
      return performance.now() - t0;
    }, EVENTS);
    const reached = await page.evaluate(
      () => (window as unknown as Hook).__playground.store.getState().sim.index,
    );
    await page.getByTestId('event-log').waitFor();
    await page.waitForTimeout(500);

    // scrolling the log: scroll event -> next painted frame
    const scroll = await page.evaluate(async (samples) => {
      const el = document.querySelector<HTMLElement>('[data-testid="event-log"]')!;
      const frame = () =>
        new Promise<number>((r) =>
          requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)),
        );
      const out: number[] = [];
      for (let k = 0; k < samples; k++) {
        await frame();
        const t0 = performance.now();
        el.scrollTop = Math.floor(Math.random() * (el.scrollHeight - el.clientHeight));
        el.dispatchEvent(new Event('scroll'));
        out.push((await frame()) - t0);
        if (!el.querySelector('.log-row')) throw new Error('no rows rendered');
      }
      return out;
    }, SAMPLES);

    // a click on a log line: seek + redraw of every panel, until the next painted frame
    const seekUi = await page.evaluate(async (samples) => {
      const s = (window as unknown as Hook).__playground.store.getState();
      const max = s.sim.history.maxIndex;
      const frame = () =>
        new Promise<number>((r) =>
          requestAnimationFrame(() => setTimeout(() => r(performance.now()), 0)),
        );
      const out: number[] = [];
      for (let k = 0; k < samples; k++) {
        await frame();
        const i = Math.floor(Math.random() * max);
        const t0 = performance.now();
        s.seek(i);
        out.push((await frame()) - t0);
      }
      return out;
    }, SAMPLES);
    const seekEngine = await page.evaluate((samples) => {
      const s = (window as unknown as Hook).__playground.store.getState();
      const max = s.sim.history.maxIndex;
      const out: number[] = [];
      for (let k = 0; k < samples * 5; k++) {
        const i = Math.floor(Math.random() * max);
        const t0 = performance.now();
        s.sim.seek(i);
        out.push(performance.now() - t0);
      }
      s.seek(s.sim.index);
      return out;
    }, SAMPLES);

    // a filter over the whole run (first build)
    const filterMs = await page.evaluate(async () => {
      const sel = document.querySelector<HTMLSelectElement>('[data-testid="log-filter-node"]')!;
      const t0 = performance.now();
      sel.value = '3';
      sel.dispatchEvent(new Event('change', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      return performance.now() - t0;
    });
    const memory = await pageMemory(page);

    // the same scenario as a link to its last event, opened in a fresh page
    await page.evaluate(() => (window as unknown as Hook).__playground.store.getState().seek(0));
    await page.waitForFunction(() => /[#&]v1=/.test(window.location.hash));
    const hash = await page.evaluate(() => window.location.hash);
    await page.close();
    const fresh = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await fresh.addInitScript('window.__name = (f) => f');
    const base = hash.replace(/&e=\d+/, '');
    const linkOpen = await openLink(fresh, `${URL}#${base.slice(1)}&e=${reached}`, reached);
    await browser.close();
    const result = {
      workload: 'event log / seek at scale (5-node Raft, history on)',
      events: reached,
      buildMs: Math.round(buildMs),
      eventsPerSec: Math.round(reached / (buildMs / 1000)),
      logScrollToFrameMs: quantiles(scroll),
      seekClickToFrameMs: quantiles(seekUi),
      seekEngineMs: quantiles(seekEngine),
      filterFirstBuildMs: Math.round(filterMs),
      heapMB: memory.totalMB,
      jsHeapMB: memory.jsHeapMB,
      arrayBuffersMB: memory.arrayBuffersMB,
      linkOpen,
    };
    console.log(JSON.stringify(result));
  } finally {
    stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
