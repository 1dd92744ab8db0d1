/**
 * Browser benchmark of the playground UI (its performance bars), printed as JSON:
 *
 *   npx vite build && npx tsx e2e/bench/ui.bench.ts [--seconds 5] [--heap-seconds 30] [--json]
 *
 * - idle5: 5-node Raft at the default speed: main-thread CPU busy share (from a Chromium
 *   trace: thread time of top-level tasks on CrRendererMain / wall time).
 * - raft50: 50-node Raft at 1x: frame intervals p50 / p95 / max (requestAnimationFrame
 *   deltas) and the time from a click on a node to its menu being painted;
 *   raft50DefaultGpu: the same frames with Chromium's own GPU choice.
 * - heap: the page's memory (JS heap plus array buffers, where the compact trace lives,
 *   after a full collection) before and at each quarter of running 5 nodes at 100x for
 *   `--heap-seconds` (30 by default; 1800 for the half-hour acceptance run), with the
 *   events reached: the log, drop marks and sprites are bounded, and so is the history
 *   (its window), so it levels off once the run outgrows the window.
 *
 * Runs its own `vite preview` on port 4176 (or measures --url) and Chromium from scripts/find-chromium.mjs,
 * with a software GPU (SwiftShader) by default, as a laptop's GPU would composite; pass
 * --no-gpu for pure software compositing (canvas frames are then copied on the main
 * thread and the busy share roughly triples).
 */
import { spawn } from 'node:child_process';
import { chromium, type Page } from '@playwright/test';
import { findChromium } from '../../scripts/find-chromium.mjs';
import { waitForServer } from './server';
import { quietPage } from './cpu';
import { pageMemory } from './heap';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const num = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const SECONDS = num('seconds', 5);
const HEAP_SECONDS = num('heap-seconds', 30);
const PORT = 4176;
/** --url: measure a server that is already running (scripts/bench.mjs starts one). */
const urlArg = args.indexOf('--url') >= 0 ? args[args.indexOf('--url') + 1] : undefined;
const URL = urlArg ?? `http://127.0.0.1:${PORT}/`;

type Hook = {
  __playground: {
    store: {
      getState(): {
        load(s: unknown, o: { ask: boolean }): void;
        setSpeed(v: number): void;
        play(): void;
        view: { events: number };
      };
    };
  };
};

function quantiles(xs: number[]) {
  const s = xs.slice().sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.floor(p * (s.length - 1))] * 10) / 10;
  return { frames: s.length, p50: q(0.5), p95: q(0.95), max: q(1) };
}

async function mainThreadBusy(page: Page, seconds: number): Promise<number> {
  const browser = page.context().browser()!;
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'],
  });
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const wall = Date.now() - t0;
  const trace = JSON.parse((await browser.stopTracing()).toString()) as {
    traceEvents: {
      name: string;
      ph: string;
      pid: number;
      tid: number;
      dur?: number;
      tdur?: number;
      args?: { name?: string };
    }[];
  };
  const main = new Set(
    trace.traceEvents
      .filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  let busy = 0;
  for (const e of trace.traceEvents)
    if (e.ph === 'X' && e.name === 'RunTask' && main.has(`${e.pid}:${e.tid}`))
      busy += (e.tdur ?? e.dur ?? 0) / 1000;
  return Math.round((busy / wall) * 1000) / 10;
}

async function frameTimes(page: Page, seconds: number): Promise<number[]> {
  return page.evaluate(
    (ms) =>
      new Promise<number[]>((resolve) => {
        const d: number[] = [];
        let last = performance.now();
        const end = last + ms;
        const f = (t: number) => {
          d.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(f);
          else resolve(d);
        };
        requestAnimationFrame(f);
      }),
    seconds * 1000,
  );
}

/** From the click event to the first frame painted with the node's menu open, measured in the page. */
async function clickToMenu(page: Page): Promise<number> {
  await page.evaluate(() => {
    const w = window as unknown as { __menuLatency: Promise<number> };
    w.__menuLatency = new Promise<number>((resolve) => {
      let t0 = 0;
      document.addEventListener('click', () => (t0 = performance.now()), {
        capture: true,
        once: true,
      });
      const mo = new MutationObserver(() => {
        if (!t0 || !document.querySelector('[data-testid="node-menu"]')) return;
        mo.disconnect();
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0), 0));
      });
      mo.observe(document.body, { childList: true, subtree: true });
    });
  });
  await page.getByTestId('node-7').locator('.body').click();
  const ms = await page.evaluate(
    () => (window as unknown as { __menuLatency: Promise<number> }).__menuLatency,
  );
  await page.keyboard.press('Escape');
  return Math.round(ms * 10) / 10;
}

/** Loads a 50-node Raft scenario and plays it at 1x. */
async function play50(page: Page): Promise<void> {
  await page.evaluate(() => {
    const s = (window as unknown as Hook).__playground.store.getState();
    const nodes = Array.from({ length: 50 }, (_, i) => ({ id: i + 1 }));
    s.load(
      {
        v: 1,
        algorithm: 'raft',
        params: {},
        nodes,
        network: { latency: { min: 30, max: 60 }, loss: 0, fifo: false },
        seed: 2,
        actions: [],
      },
      { ask: false },
    );
    const t = (window as unknown as Hook).__playground.store.getState();
    t.setSpeed(1);
    t.play();
  });
}

/**
 * The same 50-node frames in a browser left to Chromium's own GPU choice, as the e2e
 * tests and a machine with a working GPU run it: next to the SwiftShader figure it shows
 * how much of a slow frame is the emulated GPU rather than the page.
 */
async function raft50DefaultGpu(): Promise<ReturnType<typeof quantiles> & { gpu: string }> {
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
  try {
    const page = await quietPage(browser);
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(URL);
    await page.getByTestId('node-1').waitFor();
    await play50(page);
    await page.waitForTimeout(1000);
    return { gpu: "Chromium's default", ...quantiles(await frameTimes(page, SECONDS)) };
  } finally {
    await browser.close();
  }
}

async function main() {
  const server = urlArg
    ? null
    : spawn(
        'npx',
        ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'],
        {
          stdio: 'ignore',
          detached: true,
        },
      );
  const stop = () => {
    try {
      if (server) process.kill(-server.pid!);
    } catch {
      /* gone */
    }
  };
  try {
    await waitForServer(URL);
    const gpu = !flag('no-gpu');
    const browser = await chromium.launch({
      executablePath: findChromium(),
      args: [
        '--no-sandbox',
        '--enable-precise-memory-info',
        '--js-flags=--expose-gc',
        ...(gpu
          ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist']
          : ['--disable-gpu']),
      ],
    });
    const page = await quietPage(browser);
    // tsx keeps function names with a helper that page.evaluate'd code must find
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(URL);
    await page.getByTestId('node-1').waitFor();
    await page.waitForTimeout(1000);
    const idle5 = { speed: 0.05, mainThreadBusyPct: await mainThreadBusy(page, SECONDS) };
    const frames5 = quantiles(await frameTimes(page, 2));

    await play50(page);
    await page.waitForTimeout(1000);
    const raft50 = {
      speed: 1,
      ...quantiles(await frameTimes(page, SECONDS)),
      mainThreadBusyPct: await mainThreadBusy(page, 2),
      clickToMenuMs: await clickToMenu(page),
      events: await page.evaluate(
        () => (window as unknown as Hook).__playground.store.getState().view.events,
      ),
    };

    await page.goto(URL);
    await page.getByTestId('node-1').waitFor();
    await page.evaluate(() =>
      (window as unknown as Hook).__playground.store.getState().setSpeed(100),
    );
    await page.waitForTimeout(3000);
    const events = () =>
      page.evaluate(() => (window as unknown as Hook).__playground.store.getState().view.events);
    const before = (await pageMemory(page)).totalMB;
    const quarters: { atSeconds: number; events: number; totalMB: number; jsHeapMB: number }[] = [];
    for (let q = 1; q <= 4; q++) {
      await page.waitForTimeout((HEAP_SECONDS * 1000) / 4);
      const m = await pageMemory(page);
      quarters.push({
        atSeconds: Math.round((HEAP_SECONDS * q) / 4),
        events: await events(),
        totalMB: m.totalMB,
        jsHeapMB: m.jsHeapMB,
      });
    }
    const after = quarters[3].totalMB;
    const simSeconds = await page.evaluate(
      () =>
        (
          window as unknown as { __playground: { store: { getState(): { now: number } } } }
        ).__playground.store.getState().now / 1e6,
    );
    await browser.close();
    const out = {
      workload: 'playground UI',
      gpu: gpu ? 'swiftshader' : 'none',
      idle5: { ...idle5, frames: frames5 },
      raft50,
      raft50DefaultGpu: await raft50DefaultGpu(),
      heap: {
        speed: 100,
        seconds: HEAP_SECONDS,
        simulatedSeconds: Math.round(simSeconds),
        beforeMB: before,
        afterMB: after,
        quarters,
      },
    };
    console.log(flag('json') ? JSON.stringify(out) : JSON.stringify(out, null, 2));
  } finally {
    stop();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
