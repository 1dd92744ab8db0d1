/**
 * Where the page's long frames go while experiment workers run, from a Chromium trace
 * (devtools.timeline, v8, gc, cc, viz categories) of one run through the UI:
 *
 *   npx tsx e2e/bench/frames.profile.ts --url http://127.0.0.1:PORT/ --what messages|idle|playing
 *     [--trials 1000] [--trace out.json] [--no-trace] [--cpu] [--idle-ms 3000] [--cheapwait]
 *
 * - messages: the message-count form as it opens; idle: Figure 16 (both graphs, --trials
 *   per line) with the playground paused; playing: the same with the playground playing
 *   at 0.2x, as e2e/bench/experiments.bench.ts runs them.
 * - Prints the frame intervals (requestAnimationFrame, as the bench), then for the whole
 *   run: the main thread's time inside tasks (wall) and its CPU time (thread time), per
 *   frame; CPU of every busy thread (workers, compositor, viz, V8's background threads);
 *   the main thread's self time by kind (script, style, layout, paint/commit, GC, message
 *   (de)serialisation) and by trace event. Then one line per long frame (> 34 ms): main
 *   thread wall in tasks vs CPU (wall much above CPU: it was runnable but descheduled),
 *   compositor, viz and worker CPU in it, and its top events; and a sum over long frames.
 * - --cpu: a V8 CPU profile of the main thread instead (self and total ms per function);
 *   --cpuprofile out.json also writes it (for DevTools or a script).
 * - --idle-ms: no run, just that long with the panel open (the page's own baseline).
 * - --cheapwait: waits for the end of the run with a 200 ms poll instead of Playwright's
 *   locator wait, which queries the page in every animation frame.
 */
import { writeFileSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { findChromium } from '../../scripts/find-chromium.mjs';
import { quietPage } from './cpu';

const args = process.argv.slice(2);
const opt = (n: string) => {
  const i = args.indexOf(`--${n}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const URL = opt('url')!;
const WHAT = opt('what') ?? 'messages';
const TRIALS = Number(opt('trials') ?? 1000);
const NOTRACE = args.includes('--no-trace');

type FrameLog = { __ft: number[]; __stop: boolean };
type CpuNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type CpuProfile = { nodes: CpuNode[]; samples: number[]; timeDeltas: number[] };

type Ev = {
  name: string;
  cat: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
  id?: string;
};

const CATS = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.gc',
  'blink.user_timing',
  'toplevel',
  'blink',
  'cc',
  'viz',
  'gpu',
  'benchmark',
  'scheduler',
];

function classify(name: string): string {
  if (/GC|Scavenge|MarkCompact|Sweep/i.test(name)) return 'gc';
  if (/SerializedScriptValue|serialize/i.test(name)) return 'message(de)serialize';
  if (
    /^(Document::recalcStyle|Document::updateStyle|UpdateLayoutTree|Document::updateActiveStyle|Document::rebuildLayoutTree|Document::updateStyleInvalidationIfNeeded|RecalculateStyles|ParseAuthorStyleSheet|Blink.Style)/.test(
      name,
    )
  )
    return 'style';
  if (
    /^(LocalFrameView::performLayout|InlineNode|Layout|SvgText|LayoutView|LocalFrameView::performPostLayoutTasks|LocalFrameView::NotifyResizeObservers|HitTest|Blink.Layout)/.test(
      name,
    )
  )
    return 'layout';
  if (/^EventHandler|MouseEventManager|Selection|WidgetBaseInputHandler/.test(name)) return 'input';
  if (
    /Paint|Layerize|Composit|Commit|UpdateLayer|Raster|ProxyMain|LayerTree|Lifecycle|WebFrameWidgetImpl|Canvas|CullRect|ScheduleAnimation|RootScroller|Animate|ScrollTree|Scrollable|ClientSharedImage|MainFrameAborted|WillBeginMainFrame|Accessibility|Intersection/i.test(
      name,
    )
  )
    return 'lifecycle+paint+commit';
  if (
    /^(FunctionCall|EvaluateScript|v8\.|V8\.|TimerFire|FireAnimationFrame|EventDispatch|FireIdleCallback|RunMicrotasks|AsyncTask|BlinkScheduler_PerformMicrotaskCheckpoint|HandlePostMessage|ProfileCall|FrameRequestCallback|PageAnimator)/.test(
      name,
    )
  )
    return 'script';
  if (/RunTask|mojo|SimpleWatcher|Receive/.test(name)) return 'task overhead/ipc';
  return 'other:' + name;
}

async function main() {
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox'] });
  const page: Page = await quietPage(browser);
  await page.addInitScript('window.__name = (f) => f');
  await page.goto(`${URL}?paused`);
  await page.getByTestId('node-1').waitFor();
  await page.getByTestId('experiments-button').click();
  if (WHAT === 'messages') {
    await page.getByTestId('xp-tab-messages').click();
    await page.getByTestId('msg-ns').waitFor();
  } else {
    await page.getByTestId('fig16-preset').waitFor();
    await page.getByTestId('fig16-preset').selectOption('both');
    await page.getByTestId('fig16-trials').fill(String(TRIALS));
    await page.getByTestId('fig16-seed').fill('1');
  }
  if (opt('workers')) await page.getByTestId('xp-workers').fill(opt('workers')!);
  if (WHAT === 'playing')
    await page.evaluate(() => {
      const s = (
        window as unknown as {
          __playground: { store: { getState(): { setSpeed(v: number): void; play(): void } } };
        }
      ).__playground.store.getState();
      s.setSpeed(0.2);
      s.play();
    });
  await page.waitForTimeout(500);
  const CPU = args.includes('--cpu');
  const cdp = CPU ? await page.context().newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  // (Playwright's first wait on a function evaluates its own script in the page: not in the trace)
  await page.waitForFunction(() => true);
  if (!NOTRACE && !CPU) await browser.startTracing(page, { categories: CATS });
  await page.evaluate(() => {
    const w = window as unknown as FrameLog;
    w.__ft = [];
    w.__stop = false;
    performance.mark('__t0');
    const f = (t: number) => {
      w.__ft.push(t);
      if (!w.__stop) requestAnimationFrame(f);
    };
    requestAnimationFrame(f);
  });
  const t0 = Date.now();
  if (opt('idle-ms')) await page.waitForTimeout(Number(opt('idle-ms')));
  else {
    await page.getByTestId('xp-run').click();
    if (args.includes('--cheapwait'))
      await page.waitForFunction(
        () => document.querySelector('[data-testid="xp-status"][data-status="done"]'),
        null,
        { polling: 200, timeout: 600_000 },
      );
    else
      await page
        .locator('[data-testid="xp-status"][data-status="done"]')
        .waitFor({ timeout: 600_000 });
  }
  const wall = Date.now() - t0;
  const { ft, mark } = await page.evaluate(() => {
    const w = window as unknown as FrameLog;
    w.__stop = true;
    return { ft: w.__ft as number[], mark: performance.getEntriesByName('__t0')[0].startTime };
  });
  const status = await page.getByTestId('xp-status').textContent();
  const elapsed = Number(await page.getByTestId('xp-status').getAttribute('data-elapsed-ms'));
  const deltas = ft.slice(1).map((t, i) => t - ft[i]);
  const s = deltas.slice().sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.floor(p * (s.length - 1))] * 10) / 10;
  const summary = {
    what: WHAT,
    wall,
    elapsed,
    frames: s.length,
    p50: q(0.5),
    p95: q(0.95),
    max: q(1),
    long: deltas.filter((d) => d > 34).length,
    status,
  };
  console.log(JSON.stringify(summary));
  if (cdp) {
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
    if (opt('cpuprofile')) writeFileSync(opt('cpuprofile')!, JSON.stringify(profile));
    const nodes = new Map<number, CpuNode>(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    const dts: number[] = profile.timeDeltas;
    profile.samples.forEach((id: number, i: number) =>
      self.set(id, (self.get(id) ?? 0) + (dts[i + 1] ?? 0)),
    );
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const key = (n: CpuNode) =>
      `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    const bySelf = new Map<string, number>();
    const byTotal = new Map<string, number>();
    for (const [id, t] of self) {
      const n = nodes.get(id)!;
      bySelf.set(key(n), (bySelf.get(key(n)) ?? 0) + t);
      const seen = new Set<string>();
      for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
        const k = key(nodes.get(x)!);
        if (seen.has(k)) continue;
        seen.add(k);
        byTotal.set(k, (byTotal.get(k) ?? 0) + t);
      }
    }
    const top = (m: Map<string, number>, n: number) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([k, v]) => `${(v / 1000).toFixed(1).padStart(7)} ${k}`)
        .join('\n');
    console.log('SELF ms\n' + top(bySelf, 30));
    console.log('TOTAL ms\n' + top(byTotal, 45));
    await browser.close();
    return;
  }
  if (NOTRACE) {
    await browser.close();
    return;
  }
  const buf = await browser.stopTracing();
  await browser.close();
  const trace = JSON.parse(buf.toString()) as { traceEvents: Ev[] };
  if (opt('trace')) writeFileSync(opt('trace')!, buf);
  const evs = trace.traceEvents;
  const names = new Map<string, string>();
  for (const e of evs)
    if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  const m = evs.find((e) => e.name === '__t0' && e.cat.includes('user_timing'));
  if (!m) throw new Error('no mark');
  const pagePid = m.pid;
  const off = m.ts - mark * 1000; // trace us = perf ms*1000 + off
  const threadKey = (e: Ev) => `${e.pid}:${e.tid}`;
  // per thread: complete events (X and B/E)
  const byThread = new Map<string, Ev[]>();
  const open = new Map<string, Ev[]>();
  for (const e of evs) {
    const k = threadKey(e);
    if (e.ph === 'X') {
      (byThread.get(k) ?? byThread.set(k, []).get(k)!).push(e);
    } else if (e.ph === 'B') {
      (open.get(k) ?? open.set(k, []).get(k)!).push({ ...e });
    } else if (e.ph === 'E') {
      const st = open.get(k);
      const b = st?.pop();
      if (b) {
        b.dur = e.ts - b.ts;
        b.ph = 'X';
        (byThread.get(k) ?? byThread.set(k, []).get(k)!).push(b);
      }
    }
  }
  // nesting per thread: self wall and self cpu of every event, and the top-level tasks
  type N = { e: Ev; a: number; b: number; selfWall: number; selfCpu: number; top: boolean };
  const nest = (list: Ev[]): N[] => {
    const es = list.filter((e) => (e.dur ?? 0) > 0).sort((x, y) => x.ts - y.ts || y.dur! - x.dur!);
    const out: N[] = [];
    const st: N[] = [];
    for (const e of es) {
      const n: N = {
        e,
        a: e.ts,
        b: e.ts + e.dur!,
        selfWall: e.dur!,
        selfCpu: e.tdur ?? e.dur!,
        top: false,
      };
      while (st.length && st[st.length - 1].b <= n.a) st.pop();
      if (st.length) {
        const p = st[st.length - 1];
        p.selfWall -= Math.min(n.b, p.b) - n.a;
        p.selfCpu -= Math.min(n.selfCpu, p.selfCpu);
      } else n.top = true;
      st.push(n);
      out.push(n);
    }
    return out;
  };
  const threads = [...byThread.keys()].map((k) => ({
    k,
    name: names.get(k) ?? k,
    pid: Number(k.split(':')[0]),
  }));
  const mainK = threads.find((t) => t.pid === pagePid && t.name === 'CrRendererMain')!.k;
  const compK = threads.find((t) => t.pid === pagePid && t.name === 'Compositor')?.k;
  const workerKs = threads
    .filter((t) => t.pid === pagePid && /DedicatedWorker/.test(t.name))
    .map((t) => t.k);
  const gpuKs = threads.filter((t) => /CrGpuMain|VizCompositorThread/.test(t.name)).map((t) => t.k);
  const nested = new Map<string, N[]>();
  for (const t of threads) nested.set(t.k, nest(byThread.get(t.k)!));
  const mainN = nested.get(mainK)!;
  const ov = (n: N, a: number, b: number) => Math.max(0, Math.min(b, n.b) - Math.max(a, n.a));
  const top = (k: string | undefined, a: number, b: number) => {
    let wall = 0,
      cpu = 0;
    if (!k) return { wall, cpu };
    for (const n of nested.get(k)!)
      if (n.top) {
        const o = ov(n, a, b);
        if (o > 0) {
          wall += o;
          cpu += (o * (n.e.tdur ?? n.e.dur!)) / n.e.dur!;
        }
      }
    return { wall, cpu };
  };
  const breakdown = (a: number, b: number, key: (name: string) => string) => {
    const by = new Map<string, { wall: number; cpu: number }>();
    for (const n of mainN) {
      const o = ov(n, a, b);
      if (o <= 0) continue;
      const f = o / n.e.dur!;
      const c = key(n.e.name);
      const v = by.get(c) ?? { wall: 0, cpu: 0 };
      v.wall += Math.max(0, n.selfWall) * f;
      v.cpu += Math.max(0, n.selfCpu) * f;
      by.set(c, v);
    }
    return [...by].sort((p, q) => q[1].cpu - p[1].cpu);
  };
  const ms = (v: number) => Math.round(v / 100) / 10;
  const fmt = (xs: [string, { wall: number; cpu: number }][], n = 8) =>
    xs
      .slice(0, n)
      .map(([k, v]) => `${k} ${ms(v.cpu)}/${ms(v.wall)}`)
      .join(', ');
  const a0 = ft[0] * 1000 + off,
    b0 = ft[ft.length - 1] * 1000 + off;
  const c0 = top(mainK, a0, b0);
  console.log(
    JSON.stringify({
      run: {
        ms: ms(b0 - a0),
        frames: deltas.length,
        mainTaskWallMs: ms(c0.wall),
        mainTaskCpuMs: ms(c0.cpu),
        mainWallPerFrameMs: ms(c0.wall / deltas.length),
        mainCpuPerFrameMs: ms(c0.cpu / deltas.length),
        compositor: ms(top(compK, a0, b0).cpu),
        gpu: gpuKs.map((k) => `${names.get(k)} ${ms(top(k, a0, b0).cpu)}`),
        workersCpu: workerKs.map((k) => ms(top(k, a0, b0).cpu)),
        workersWall: workerKs.map((k) => ms(top(k, a0, b0).wall)),
      },
    }),
  );
  const per = threads
    .map((t) => ({ n: `${t.pid === pagePid ? 'page' : t.pid}:${t.name}`, c: top(t.k, a0, b0).cpu }))
    .filter((x) => x.c > 5000)
    .sort((p, q) => q.c - p.c);
  console.log('threads cpu ms:', per.map((x) => `${x.n} ${ms(x.c)}`).join(', '));
  console.log('categories cpu/wall ms:', fmt(breakdown(a0, b0, classify), 20));
  console.log(
    'names cpu/wall ms:',
    fmt(
      breakdown(a0, b0, (x) => x),
      30,
    ),
  );
  const rows: string[] = [];
  let agg = { n: 0, ms: 0, wall: 0, cpu: 0 };
  const aggBy = new Map<string, { wall: number; cpu: number }>();
  let cpuHeavy = 0;
  for (let i = 1; i < ft.length; i++) {
    const d = ft[i] - ft[i - 1];
    if (d <= 34) continue;
    const a = ft[i - 1] * 1000 + off,
      b = ft[i] * 1000 + off;
    const c = top(mainK, a, b);
    if (c.cpu > 0.5 * (b - a)) cpuHeavy++;
    for (const [k, v] of breakdown(a, b, classify)) {
      const w = aggBy.get(k) ?? { wall: 0, cpu: 0 };
      w.wall += v.wall;
      w.cpu += v.cpu;
      aggBy.set(k, w);
    }
    agg = { n: agg.n + 1, ms: agg.ms + (b - a), wall: agg.wall + c.wall, cpu: agg.cpu + c.cpu };
    rows.push(
      `${(ft[i - 1] - ft[0]).toFixed(0).padStart(6)} +${d.toFixed(0).padStart(4)}ms main wall ${ms(c.wall).toString().padStart(5)} cpu ${ms(c.cpu).toString().padStart(5)} | comp ${ms(top(compK, a, b).cpu)} gpu ${gpuKs.map((k) => ms(top(k, a, b).cpu)).join('/')} wk cpu ${workerKs.map((k) => ms(top(k, a, b).cpu)).join('/')} | ${fmt(
        breakdown(a, b, (x) => x),
        5,
      )}`,
    );
  }
  console.log(rows.join('\n'));
  console.log(
    JSON.stringify({
      longFrames: agg.n,
      longFramesMs: ms(agg.ms),
      mainTaskWallMs: ms(agg.wall),
      mainCpuMs: ms(agg.cpu),
      mainIdleMs: ms(agg.ms - agg.wall),
      cpuHeavyFrames: cpuHeavy,
    }),
  );
  console.log(
    'long frames categories cpu/wall:',
    fmt(
      [...aggBy].sort((p, q) => q[1].cpu - p[1].cpu),
      12,
    ),
  );
}
main().catch((e) => {
  console.error(e);
  process.exit(2);
});
