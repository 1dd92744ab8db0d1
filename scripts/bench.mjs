#!/usr/bin/env node
/**
 * `npm run bench [-- --json] [--quick]`: the whole benchmark suite, printed as ONE JSON
 * object (progress goes to stderr).
 *
 * 1. Headless (Node): algorithms/bench/cli.ts: simulation throughput on the foundation
 *    workload through the compiled, fast and official driver paths (elections/s and
 *    events/election), RaftScope's model run interleaved with the compiled path in the
 *    same run (three rounds, medians; `ratios.vsRaftScopeElectionsPerSec`), and the
 *    1,000,000-event time-travel run (heap, seek). Its fields stay at the top level.
 * 2. A production build into a private directory (so a running test server's dist/ is
 *    left alone), served by `vite preview` on a free port.
 * 3. Browser (Playwright, Chromium from scripts/find-chromium.mjs), under `browser`:
 *    - experiments: Figure 16 full reproduction in Web Workers (page idle, then again
 *      with the playground playing, for frame times), and time to interactive
 *      (e2e/bench/experiments.bench.ts);
 *    - ui: frame times of a 50-node scenario, the 5-node main-thread busy share and the
 *      heap over a long run (e2e/bench/ui.bench.ts);
 *    - history: heap after 1,000,000 events in the page, log scroll and seek times
 *      (e2e/bench/debug.bench.ts);
 *    - historyWindow: the page's memory as the run outgrows its history window several
 *      times (e2e/bench/window.bench.ts): it must level off under the long-run budget;
 *    - bundle: the initial JS (what index.html loads) gzipped, and the lazy chunks.
 * 4. Ratios against the reference numbers and the budgets, under `ratios`.
 *
 * --only messages | playing: the build and that one experiments measurement alone (the
 * messages run, or Figure 16 with the playground playing), for work on the page's frames.
 * --quick: a smoke run in about a minute (fewer elections and events, 100 trials per
 * Figure 16 line, short UI windows). --no-browser / --no-headless skip a half.
 * Exit code 2 on failure, with the reason on stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { findChromiumInfo } from './find-chromium.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const has = (f) => argv.includes(`--${f}`);
const quick = has('quick');
/** --only messages | playing: just that part of the experiments bench (no headless, no UI). */
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : null;
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

const INITIAL_JS_BUDGET_KB = 250;
const FIG16_BUDGET_MS = 15_000;
/** The experiments' budgets on this 2-core machine: Figure 16 in full on 2 workers, the
 * default message-count experiment, and the page's frame p95 while workers run. */
const FIG16_2CORE_BUDGET_MS = 4_000;
const MESSAGES_BUDGET_MS = 3_000;
/** A run left playing for a whole lesson: the page's memory must stay under this. */
const LONG_RUN_HEAP_BUDGET_MB = 150;
const FRAME_BUDGET_MS = 33;
/** A link to event 1,000,000 opens (replayed, standing on its event) within this. */
const LINK_OPEN_BUDGET_MS = 3_000;
/** The page's memory with 1,000,000 events of history. */
const HISTORY_HEAP_BUDGET_MB = 100;
const FRAME_MS = 1000 / 60;

/** Runs a command; resolves with its stdout (stderr passes through). */
function run(cmd, args, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...opts.env },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolvePromise(out)
        : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** The last line of a child's stdout that parses as a JSON object. */
function lastJson(out) {
  const lines = out.trim().split('\n').reverse();
  for (const l of lines) {
    const t = l.trim();
    if (!t.startsWith('{')) continue;
    try {
      return JSON.parse(t);
    } catch {
      /* not this one */
    }
  }
  throw new Error(`no JSON in output:\n${out.slice(-2000)}`);
}

function freePort() {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePromise(port));
    });
  });
}

async function waitFor(url, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`vite preview did not answer on ${url}`);
}

/** kB of 1000 bytes, as Vite's build report prints them. */
const kb = (n) => Math.round(n / 100) / 10;

/** Initial JS = the entry script and every module it preloads, as index.html lists them. */
function bundleSizes(outDir) {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const initial = new Set();
  for (const m of html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)) initial.add(m[1]);
  for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g))
    initial.add(m[1]);
  const css = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="([^"]+\.css)"/g)].map(
    (m) => m[1],
  );
  const size = (rel) => {
    const buf = readFileSync(join(outDir, rel.replace(/^\//, '')));
    return { bytes: buf.length, gzip: gzipSync(buf).length };
  };
  const sum = (files) =>
    files.map(size).reduce((a, b) => ({ bytes: a.bytes + b.bytes, gzip: a.gzip + b.gzip }), {
      bytes: 0,
      gzip: 0,
    });
  const js = sum([...initial]);
  const cssSize = sum(css);
  const assets = readdirSync(join(outDir, 'assets'));
  const lazy = assets
    .filter((f) => f.endsWith('.js') && ![...initial].some((i) => i.endsWith(f)))
    .map((f) => {
      const s = size(`assets/${f}`);
      return { file: f, kB: kb(s.bytes), gzipKB: kb(s.gzip) };
    });
  return {
    initialJsFiles: [...initial].length,
    initialJsKB: kb(js.bytes),
    initialJsGzipKB: kb(js.gzip),
    initialCssGzipKB: kb(cssSize.gzip),
    budgetGzipKB: INITIAL_JS_BUDGET_KB,
    lazyChunks: lazy,
  };
}

function newestMtime(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

const ratio = (a, b) =>
  typeof a === 'number' && typeof b === 'number' && b > 0 ? Math.round((a / b) * 100) / 100 : null;

async function headless() {
  const args = ['tsx', '--expose-gc', 'algorithms/bench/cli.ts', '--json'];
  if (quick) args.push('--elections', '500', '--history-events', '100000');
  for (const f of ['no-anchor', 'no-history']) if (has(f)) args.push(`--${f}`);
  log(`headless: npx ${args.join(' ')}`);
  return lastJson(await run('npx', args));
}

async function browser() {
  const chromium = findChromiumInfo();
  log(`Chromium: ${chromium.path} (${chromium.source})`);
  const outDir = join(root, 'node_modules', '.cache', 'election-bench', 'dist');
  mkdirSync(dirname(outDir), { recursive: true });
  const sources = Math.max(
    newestMtime(join(root, 'app')),
    newestMtime(join(root, 'algorithms')),
    statSync(join(root, 'index.html')).mtimeMs,
  );
  const built = existsSync(join(outDir, 'index.html'))
    ? statSync(join(outDir, 'index.html')).mtimeMs
    : 0;
  if (has('rebuild') || built < sources) {
    log(`building into ${outDir}`);
    await run('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn']);
  } else log('build is up to date');
  const bundle = bundleSizes(outDir);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  log(`vite preview on ${url}`);
  const server = spawn(
    'npx',
    [
      'vite',
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
      '--outDir',
      outDir,
    ],
    { cwd: root, stdio: 'ignore', detached: true },
  );
  const stop = () => {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.on('exit', stop);
  try {
    await waitFor(url);
    if (only) {
      log(`experiments: ${only} only`);
      const part = lastJson(
        await run('npx', ['tsx', 'e2e/bench/experiments.bench.ts', '--url', url, '--only', only]),
      );
      return { chromium: chromium.path, bundle, only: part };
    }
    log(`experiments: Figure 16 (${quick ? 100 : 1000} trials per line) and time to interactive`);
    const experiments = lastJson(
      await run('npx', [
        'tsx',
        'e2e/bench/experiments.bench.ts',
        '--url',
        url,
        '--json',
        '--trials',
        quick ? '100' : '1000',
        '--tti-runs',
        quick ? '1' : '3',
      ]),
    );
    log('ui: 5-node busy share, 50-node frame times, heap over a long run');
    const ui = lastJson(
      await run('npx', [
        'tsx',
        'e2e/bench/ui.bench.ts',
        '--url',
        url,
        '--json',
        '--seconds',
        quick ? '2' : '5',
        '--heap-seconds',
        quick ? '5' : '30',
      ]),
    );
    const events = quick ? 100_000 : 1_000_000;
    log(`history: ${events.toLocaleString('en-US')} events in the page (heap, log, seek)`);
    const history = lastJson(
      await run('npx', [
        'tsx',
        'e2e/bench/debug.bench.ts',
        '--url',
        url,
        '--events',
        String(events),
      ]),
    );
    log('history window: the page driven through several windows (heap levels off)');
    const window = lastJson(
      await run('npx', [
        'tsx',
        'e2e/bench/window.bench.ts',
        '--url',
        url,
        '--to',
        String(quick ? 400_000 : 3_000_000),
        '--every',
        String(quick ? 200_000 : 1_000_000),
      ]),
    );
    return { chromium: chromium.path, bundle, experiments, ui, history, window };
  } finally {
    stop();
    process.off('exit', stop);
  }
}

async function main() {
  const t0 = Date.now();
  const head = has('no-headless') || only ? null : await headless();
  const web = has('no-browser') ? null : await browser();
  if (only) {
    process.stdout.write(`${JSON.stringify({ ...web?.only, loadAverage: loadavg() })}\n`);
    return;
  }
  const fig = web?.experiments.fig16;
  const ratios = {
    ...(head?.ratios ?? {}),
    fig16WallVs15sBudget: ratio(fig?.wallMs, FIG16_BUDGET_MS),
    initialJsGzipVs250KBBudget: ratio(web?.bundle.initialJsGzipKB, INITIAL_JS_BUDGET_KB),
    raft50FrameP95Vs60Hz: ratio(web?.ui.raft50?.p95, FRAME_MS),
    raft50DefaultGpuFrameP95Vs60Hz: ratio(web?.ui.raft50DefaultGpu?.p95, FRAME_MS),
    pageFrameP95DuringFig16Vs60Hz: ratio(fig?.pageFramesDuringRunMs?.p95, FRAME_MS),
    pageFrameP95DuringFig16PlayingVs60Hz: ratio(
      fig?.withPlaygroundPlaying?.pageFramesDuringRunMs?.p95,
      FRAME_MS,
    ),
    fig16PlayingVsIdleWall: ratio(fig?.withPlaygroundPlaying?.wallMs, fig?.wallMs),
    fig16WallVs4sBudget: ratio(fig?.wallMs, FIG16_2CORE_BUDGET_MS),
    messagesWallVs3sBudget: ratio(web?.experiments.messages?.wallMs, MESSAGES_BUDGET_MS),
    pageFrameP95DuringFig16Vs33msBudget: ratio(fig?.pageFramesDuringRunMs?.p95, FRAME_BUDGET_MS),
    pageFrameP95DuringFig16PlayingVs33msBudget: ratio(
      fig?.withPlaygroundPlaying?.pageFramesDuringRunMs?.p95,
      FRAME_BUDGET_MS,
    ),
    linkOpenAt1MVs3sBudget: ratio(web?.history?.linkOpen?.ms, LINK_OPEN_BUDGET_MS),
    pageHeapAt1MVs100MBBudget: ratio(web?.history?.heapMB, HISTORY_HEAP_BUDGET_MB),
    pageHeapOverWindowsVs150MBBudget: ratio(web?.window?.maxTotalMB, LONG_RUN_HEAP_BUDGET_MB),
    pageFrameP95DuringMessagesVs33msBudget: ratio(
      web?.experiments.messages?.pageFramesDuringRunMs?.p95,
      FRAME_BUDGET_MS,
    ),
    pageFrameP95DuringMessagesAfterEstimateVs33msBudget: ratio(
      web?.experiments.messages?.afterEstimate?.pageFramesDuringRunMs?.p95,
      FRAME_BUDGET_MS,
    ),
  };
  const result = {
    ...(head ?? {}),
    browser: web
      ? {
          chromium: web.chromium,
          fig16: fig,
          messages: web.experiments.messages,
          timeToInteractive: web.experiments.tti,
          // SwiftShader (an emulated GPU on two cores) and Chromium's own GPU choice
          raft50Frames: { ...web.ui.raft50, gpu: web.ui.gpu },
          raft50FramesDefaultGpu: web.ui.raft50DefaultGpu,
          idle5MainThreadBusyPct: web.ui.idle5?.mainThreadBusyPct,
          heapAfter1MEvents: {
            events: web.history.events,
            heapMB: web.history.heapMB,
            buildMs: web.history.buildMs,
            eventsPerSec: web.history.eventsPerSec,
          },
          bundle: web.bundle,
          ui: web.ui,
          history: web.history,
          historyWindow: web.window,
        }
      : null,
    ratios,
    meta: {
      quick,
      node: process.version,
      cores: cpus().length,
      loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
      totalMs: Date.now() - t0,
    },
  };
  process.stdout.write(
    has('json') ? `${JSON.stringify(result)}\n` : `${JSON.stringify(result, null, 2)}\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
