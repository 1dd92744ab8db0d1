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
 * `--link-only` measures linkOpen alone (to event `--events` of the default scenario, without
 * building the run first); `--profile <file>` saves Chromium's CPU profile of the link's
 * opening (a .cpuprofile that DevTools opens) and prints its top self-time functions.
 *
 * Runs its own `vite preview` on port 4178 (or uses --url) and Chromium from
 * scripts/find-chromium.mjs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { findChromium } from '../../scripts/find-chromium.mjs';
import { waitForServer } from './server';
import { pageMemory } from './heap';
import { childCpu, cpuSince, quietPage } from './cpu';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const EVENTS = Number(opt('events') ?? 1_000_000);
const PORT = 4178;
const URL = opt('url') ?? `http://127.0.0.1:${PORT}/`;
const SAMPLES = 40;
const PROFILE = opt('profile');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions with the most self time in a CPU profile (ms), the idle time apart. */
function topSelf(profile: CpuProfile, n = 15) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, k) => {
    const f = byId.get(id)!.callFrame;
    const file = f.url.split('/').pop() ?? '';
    const key = `${f.functionName || '(anonymous)'} ${file}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms) }));
  return { totalMs: Math.round(total), top };
}

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

/**
 * Opens a fresh page on `link` and waits until it stands on event `events`. The time is the
 * page's own: from the navigation's start to the first frame after the one that drew the
 * landing (so that frame has been painted). The page is asked about it every 250 ms only,
 * and the progress bar is looked for by the page's own frame callback: a wait that checks
 * the page every frame (Playwright's locator wait) or every 50 ms takes CPU from the replay
 * it measures.
 */
async function openLink(page: Page, link: string, events: number) {
  // frame gaps, from the first script on
  await page.addInitScript(() => {
    const w = window as unknown as {
      __gaps: number[];
      __seek: { start?: number; end?: number; painted?: number; bar?: boolean };
      __playground?: { store: { getState(): { seeking: unknown } } };
    };
    w.__gaps = [];
    w.__seek = {};
    let last = 0;
    const tick = (t: number) => {
      if (last) w.__gaps.push(t - last);
      last = t;
      // when the far run started and ended (to a frame), for the page's share of the time
      const seeking = w.__playground?.store.getState().seeking;
      if (seeking && w.__seek.start === undefined) w.__seek.start = performance.now();
      if (seeking && !w.__seek.bar)
        w.__seek.bar = document.querySelector('[data-testid="seek-progress"]') !== null;
      if (w.__seek.end !== undefined && w.__seek.painted === undefined) w.__seek.painted = t;
      if (!seeking && w.__seek.start !== undefined && w.__seek.end === undefined)
        w.__seek.end = performance.now();
      if (w.__seek.painted === undefined) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    // a same-origin page first, so that the profiled renderer is the link's
    await page.goto(new globalThis.URL('robots.txt', link).href);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const cpu0 = childCpu();
  const t0 = Date.now();
  await page.goto(link);
  await page.waitForFunction(
    (n) => {
      const w = window as unknown as Hook & { __seek: { painted?: number } };
      return w.__seek.painted !== undefined && w.__playground.store.getState().sim.index === n;
    },
    events,
    { timeout: 120_000, polling: 250 },
  );
  const wallMs = Date.now() - t0;
  const cpu = cpuSince(cpu0, childCpu());
  const gaps = await page.evaluate(() => (window as unknown as { __gaps: number[] }).__gaps);
  const phases = await page.evaluate(() => {
    const w = window as unknown as {
      __seek: { start?: number; end?: number; painted?: number; bar?: boolean };
    };
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const r = (x: number | undefined) => (x === undefined ? null : Math.round(x));
    return {
      ms: r(w.__seek.painted),
      domContentLoadedMs: r(nav?.domContentLoadedEventEnd),
      seekShownAtMs: r(w.__seek.start),
      seekEndedAtMs: r(w.__seek.end),
      progressShown: w.__seek.bar === true,
    };
  });
  let profile: ReturnType<typeof topSelf> | undefined;
  if (cdp && PROFILE) {
    const { profile: p } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    writeFileSync(PROFILE, JSON.stringify(p));
    profile = topSelf(p);
  }
  return {
    profile,
    events,
    ...phases,
    harnessWallMs: wallMs,
    ...cpu,
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
    const page = await quietPage(browser);
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(`${URL}?paused`);
    await page.getByTestId('node-1').waitFor();
    if (args.includes('--link-only')) {
      // a move writes the address (the page as it opens has none yet)
      await page.evaluate(() => {
        const s = (window as unknown as Hook).__playground.store.getState();
        s.runFor(1000);
        s.seek(0);
      });
      await page.waitForFunction(() => /[#&]v1=/.test(window.location.hash));
      const hash = await page.evaluate(() => window.location.hash);
      await page.close();
      const fresh = await quietPage(browser);
      await fresh.addInitScript('window.__name = (f) => f');
      const link = `${URL}#${hash.slice(1).replace(/&e=\d+/, '')}&e=${EVENTS}`;
      const linkOpen = await openLink(fresh, link, EVENTS);
      await browser.close();
      console.log(JSON.stringify({ linkOpen }));
      return;
    }

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
    const fresh = await quietPage(browser);
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
