/**
 * Memory and seek benchmark for time travel: a 5-node Raft run of `events` events with
 * history on (checkpoints + trace kept), then seeks to pseudo-random indexes. RaftScope
 * keeps a deep copy of its model per step (~10 KB each); we keep the trace in compact
 * columns (see sim/tracestore.ts) and a checkpoint every 256 events.
 *
 * - traceBytesPerEvent: what the compact trace holds per event (its typed arrays and
 *   string tables), and the heap after the run: JS heap plus array buffers (typed arrays
 *   live outside the JS heap, so heapUsed alone would flatter the trace);
 * - seekMs: the engine's seek to a random event; seekAppMs: what the app does for a click
 *   (the session seeks its log window, 400 events, early, then steps, watching timers);
 * - linkOpen: a fresh simulation brought to event `events` by the resumable seek in 12 ms
 *   slices, as the page does for a link (total time, slices, the longest slice);
 * - window: a run several times longer than a small history window, with the heap at
 *   each quarter: it stays flat once the window is full.
 */
import { createSimulation } from '../index';
import { rngFrom, seedState } from '../sim/rng';
import { percentile } from '../experiments/stats';
import { raftScenario } from '../testing/scenarios';

export interface Memory {
  heapUsedMB: number;
  arrayBuffersMB: number;
  totalMB: number;
}

export interface HistoryBench {
  events: number;
  checkpoints: number;
  runMs: number;
  /** Bytes per event held by the compact trace. */
  traceBytesPerEvent: number;
  /** JS heap + array buffers per event, for the whole history (trace and checkpoints). */
  historyBytesPerEvent: number;
  heapUsedMB: number;
  memory: Memory;
  seekMs: { p50: number; p99: number; max: number; samples: number };
  seekCpuMs: { p50: number; p99: number; max: number; samples: number };
  seekAppMs: { p50: number; p99: number; max: number; samples: number };
  linkOpen: { events: number; ms: number; cpuMs: number; slices: number; longestSliceMs: number };
  window: { window: number; events: number; start: number; totalMBAtQuarters: number[] };
}

const r2 = (x: number) => Math.round(x * 100) / 100;
const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;

/** JS heap and array buffers after a full collection (needs --expose-gc to collect). */
export function memory(): Memory {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return {
    heapUsedMB: mb(m.heapUsed),
    arrayBuffersMB: mb(m.arrayBuffers),
    totalMB: mb(m.heapUsed + m.arrayBuffers),
  };
}

const quantiles = (times: number[]) => {
  const s = times.slice().sort((a, b) => a - b);
  return {
    p50: r2(percentile(s, 0.5)),
    p99: r2(percentile(s, 0.99)),
    max: r2(s[s.length - 1]),
    samples: s.length,
  };
};

const scenario = () => raftScenario({ nodes: 5, seed: 1, loss: 0.01 });

/** The explored run with history, its memory, and seeks in it (its simulation is then let go). */
function explored(events: number, now: () => number) {
  const before = memory();
  const sim = createSimulation(scenario(), { history: true });
  const t0 = now();
  while (sim.index < events && sim.step());
  const runMs = now() - t0;
  const after = memory();
  const rng = rngFrom(seedState(7));
  const seeks: number[] = [];
  const seeksCpu: number[] = [];
  const max = sim.history!.maxIndex;
  for (let k = 0; k < 200; k++) {
    const target = rng.int(0, max);
    const c = process.cpuUsage();
    const s = now();
    sim.seek(target);
    seeks.push(now() - s);
    const d = process.cpuUsage(c);
    seeksCpu.push((d.user + d.system) / 1000);
  }
  /** The session's log window (LOG_CAP): a click seeks this many events early and steps. */
  const APP_LOG_WINDOW = 400;
  const app: number[] = [];
  for (let k = 0; k < 200; k++) {
    const target = rng.int(0, max);
    const s = now();
    sim.seek(Math.max(0, target - APP_LOG_WINDOW));
    while (sim.index < target && sim.step()) sim.timersOf(1);
    app.push(now() - s);
  }
  return {
    events: sim.history!.maxIndex,
    checkpoints: sim.history!.size,
    runMs: Math.round(runMs),
    traceBytesPerEvent: r2(sim.traceBytes / sim.history!.maxIndex),
    historyBytesPerEvent: r2(((after.totalMB - before.totalMB) * 1048576) / sim.history!.maxIndex),
    heapUsedMB: after.heapUsedMB,
    memory: after,
    seekMs: quantiles(seeks),
    // the same seeks in CPU time: on a loaded machine wall-clock tails are the scheduler's
    seekCpuMs: quantiles(seeksCpu),
    seekAppMs: quantiles(app),
  };
}

/** A link to event `events`: a fresh run brought there by the resumable seek, in 12 ms slices. */
function openLink(events: number, now: () => number) {
  const fresh = createSimulation(scenario(), { history: true });
  let slices = 0;
  let longest = 0;
  const cpu0 = process.cpuUsage();
  const l0 = now();
  for (;;) {
    const s = now();
    const done = fresh.seekTo(events, { shouldStop: () => now() - s > 12 });
    longest = Math.max(longest, now() - s);
    slices++;
    if (done) break;
  }
  const linkMs = now() - l0;
  const cpu = process.cpuUsage(cpu0);
  return {
    events: fresh.index,
    ms: Math.round(linkMs),
    // the process's CPU time (GC threads included): about what an idle machine would take
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    slices,
    longestSliceMs: r2(longest),
  };
}

export function historyBench(
  events: number,
  now: () => number,
  opts: { windowEvents?: number; window?: number } = {},
): HistoryBench {
  const result = explored(events, now);

  const linkOpen = openLink(events, now);

  // a bounded history: a run several windows long
  const window = opts.window ?? 200_000;
  const windowEvents = opts.windowEvents ?? window * 6;
  const long = createSimulation(scenario(), { history: true, historyWindow: window });
  const quarters: number[] = [];
  for (let q = 1; q <= 4; q++) {
    const until = Math.round((windowEvents * q) / 4);
    while (long.index < until && long.step());
    quarters.push(memory().totalMB);
  }
  return {
    ...result,
    linkOpen,
    window: {
      window,
      events: long.index,
      start: long.history!.start,
      totalMBAtQuarters: quarters,
    },
  };
}
