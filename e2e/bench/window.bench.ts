/**
 * Browser benchmark of the page's bounded history, printed as JSON:
 *
 *   npx vite build && npx tsx e2e/bench/window.bench.ts [--to 3000000] [--every 1000000] [--url …]
 *
 * Drives the default scenario through the test hook (as a run left playing fast would, but
 * without waiting for the wall clock) to `--to` events, and measures the page's memory (JS
 * heap plus array buffers, after a full collection) every `--every` events, with the event
 * from which history is kept. Past the page's history window the oldest events are dropped,
 * so the memory levels off instead of growing with the run: this is what keeps a long
 * classroom run at 100x under its memory budget. Then the run plays on at 100x for
 * `--play-seconds` (60) with everything a playing run draws (log, messages, markers), and
 * the memory is measured again: the state a half-hour run at 100x is in, without the half hour.
 *
 * Runs its own `vite preview` on port 4179 (or uses --url) and Chromium from
 * scripts/find-chromium.mjs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium } from '@playwright/test';
import { findChromium } from '../../scripts/find-chromium.mjs';
import { waitForServer } from './server';
import { quietPage } from './cpu';
import { pageMemory, type PageMemory } from './heap';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const TO = Number(opt('to') ?? 3_000_000);
const EVERY = Number(opt('every') ?? 1_000_000);
const PLAY_SECONDS = Number(opt('play-seconds') ?? 60);
const PORT = 4179;
const URL = opt('url') ?? `http://127.0.0.1:${PORT}/`;

type Hook = {
  __playground: {
    store: {
      getState(): {
        runFor(ms: number): void;
        setSpeed(v: number): void;
        play(): void;
        sim: { index: number; traceView: { start: number } };
      };
    };
  };
};

async function main() {
  let server: ChildProcess | null = null;
  if (!opt('url'))
    server = spawn(
      'npx',
      ['vite', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'],
      { stdio: 'ignore', detached: true },
    );
  try {
    await waitForServer(URL);
    const browser = await chromium.launch({
      executablePath: findChromium(),
      args: ['--no-sandbox', '--disable-gpu'],
    });
    const page = await quietPage(browser, { width: 1024, height: 768 });
    await page.goto(URL);
    await page.waitForFunction(() => (window as unknown as Partial<Hook>).__playground);
    const samples: ({ events: number; keptFrom: number } & PageMemory)[] = [];
    samples.push({ events: 0, keptFrom: 0, ...(await pageMemory(page)) });
    const t0 = Date.now();
    for (let target = EVERY; target <= TO; target += EVERY) {
      const at = await page.evaluate(async (target) => {
        const store = (window as unknown as Hook).__playground.store;
        // in slices, so that the page keeps painting
        while (store.getState().sim.index < target) {
          store.getState().runFor(200_000);
          await new Promise((r) => setTimeout(r, 0));
        }
        const sim = store.getState().sim;
        return { events: sim.index, keptFrom: sim.traceView.start };
      }, target);
      samples.push({ ...at, ...(await pageMemory(page)) });
    }
    await page.evaluate(() => {
      const s = (window as unknown as Hook).__playground.store.getState();
      s.setSpeed(100);
      s.play();
    });
    await page.waitForTimeout(PLAY_SECONDS * 1000);
    const played = await page.evaluate(() => {
      const sim = (window as unknown as Hook).__playground.store.getState().sim;
      return { events: sim.index, keptFrom: sim.traceView.start };
    });
    samples.push({ ...played, ...(await pageMemory(page)) });
    await browser.close();
    const totals = samples.map((s) => s.totalMB);
    process.stdout.write(
      `${JSON.stringify({
        workload: 'default scenario driven to many history windows (5-node Raft, history on)',
        samples,
        playedAt100xSeconds: PLAY_SECONDS,
        maxTotalMB: Math.max(...totals),
        wallMs: Date.now() - t0,
      })}\n`,
    );
  } finally {
    try {
      if (server) process.kill(-server.pid!);
    } catch {
      /* gone */
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`window.bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
