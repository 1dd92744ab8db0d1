/**
 * A pool of trial workers (Vite worker import + comlink). A run is a list of tasks, each a
 * chunk of trials of one point of an experiment; every worker takes the next task as soon
 * as it finishes one (with one more already queued in it), so uneven trial costs balance
 * out. Results land by trial index, so they do not depend on which worker ran what. Cancel terminates every worker at once
 * (a trial in progress is not waited for); the next run starts fresh ones.
 */
import { wrap, type Remote } from 'comlink';
import type { TrialWorkerApi } from './worker';

export interface Task<T> {
  /** Trials in this chunk (for progress). */
  trials: number;
  run(api: Remote<TrialWorkerApi>): Promise<T[]>;
  /** Receives the chunk's results on the main thread. */
  done(results: T[]): void;
}

export interface Progress {
  done: number;
  total: number;
  elapsedMs: number;
  /** Trials per second so far. */
  rate: number;
  /** Estimated ms left, null until the first chunk is back. */
  etaMs: number | null;
  /** Workers the run may use. */
  workers: number;
  /** Of those, the ones taking new chunks now (the rest wait while the page needs a core). */
  working: number;
}

export type Outcome =
  /** `workersUsed`: how many workers ran at least one chunk. */
  | { status: 'done'; elapsedMs: number; workersUsed: number }
  | { status: 'cancelled' }
  | { status: 'error'; message: string };

export interface RunHandle {
  promise: Promise<Outcome>;
  cancel(): void;
}

interface Slot {
  worker: Worker;
  api: Remote<TrialWorkerApi>;
}

let pool: Slot[] = [];
/** Counts the pools: a terminated pool's workers (and whatever code they had compiled) are gone. */
let generation = 0;
/** Ends the current run when a worker fails outside a call (its script could not load). */
let onWorkerError: ((message: string) => void) | null = null;

function spawn(): Slot {
  // resolved against this module's own URL, so it works wherever the site is hosted
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  // a script that cannot be fetched or parsed never answers a call: say so instead of waiting
  worker.addEventListener('error', (e) => {
    onWorkerError?.(
      e.message || 'a trial worker could not be loaded (offline, or the site is incomplete)',
    );
  });
  return { worker, api: wrap<TrialWorkerApi>(worker) };
}

/**
 * The first `n` workers of the pool, started if needed. Workers beyond them stay (idle),
 * warm for a later run that uses them: a worker's code takes it a second or so to compile.
 */
function ensurePool(n: number): Slot[] {
  while (pool.length < n) pool.push(spawn());
  return pool.slice(0, n);
}

/** The current pool's number: it changes when the workers are terminated. */
export function poolGeneration(): number {
  return generation;
}

/**
 * Starts `n` workers ahead of a run (loading and compiling their code is then done when
 * the run begins) and asks each one `call`; the answers come back in worker order.
 */
export function withWorkers<T>(n: number, call: (api: Remote<TrialWorkerApi>) => Promise<T>) {
  return Promise.all(ensurePool(Math.max(1, n)).map((s) => call(s.api)));
}

/** Stops every worker now. */
export function terminateWorkers(): void {
  for (const s of pool) s.worker.terminate();
  pool = [];
  generation++;
}

/** Workers to use by default: one per logical core. */
export function defaultWorkers(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 2;
  return Math.max(1, Math.min(16, n || 2));
}

let current: RunHandle | null = null;

/**
 * How many workers may start new chunks right now (the rest finish what they hold and
 * wait): a page that animates needs a core of its own, or every frame waits for one.
 */
let allowance: () => number = () => Infinity;

export function setWorkerAllowance(f: () => number): void {
  allowance = f;
}

const ALLOWANCE_POLL_MS = 100;

/** A run is in progress (work that can wait, such as a calibration, stops asking). */
export function runInProgress(): boolean {
  return current !== null;
}

/** Runs `tasks` on `workers` workers. Starting a run cancels the one before. */
export function runTasks<T>(
  tasks: Task<T>[],
  workers: number,
  onProgress: (p: Progress) => void,
): RunHandle {
  current?.cancel();
  // a calibration under way yields to the run (it measures for the next estimate only)
  for (const s of pool) void s.api.stopCalibration().catch(() => {});
  const count = Math.max(1, Math.min(workers, tasks.length));
  // a worker starts when it first gets a chunk: one the allowance keeps waiting (the page
  // plays) costs nothing, where starting it loaded and ran the whole worker script
  const slotAt = (i: number) => ensurePool(i + 1)[i];
  const total = tasks.reduce((s, t) => s + t.trials, 0);
  const t0 = performance.now();
  let next = 0;
  let done = 0;
  let over = false;
  const used = new Set<number>();
  let settle!: (o: Outcome) => void;
  const promise = new Promise<Outcome>((r) => (settle = r));

  const report = () => {
    const elapsedMs = performance.now() - t0;
    const rate = elapsedMs > 0 ? (done / elapsedMs) * 1000 : 0;
    onProgress({
      done,
      total,
      elapsedMs,
      rate,
      etaMs: done > 0 && rate > 0 ? ((total - done) / rate) * 1000 : null,
      workers: count,
      working: Math.min(count, Math.max(1, allowance())),
    });
  };

  const finish = (o: Outcome) => {
    if (over) return;
    over = true;
    if (current === handle) {
      current = null;
      onWorkerError = null;
    }
    settle(o);
  };

  const loop = async (index: number) => {
    while (!over && next < tasks.length) {
      if (index >= Math.max(1, allowance())) {
        await new Promise((r) => setTimeout(r, ALLOWANCE_POLL_MS));
        continue;
      }
      const task = tasks[next++];
      used.add(index);
      const results = await task.run(slotAt(index).api);
      if (over) return;
      task.done(results);
      done += task.trials;
      report();
    }
  };

  const handle: RunHandle = {
    promise,
    cancel() {
      if (over) return;
      terminateWorkers();
      finish({ status: 'cancelled' });
    },
  };
  current = handle;
  onWorkerError = (message) => {
    terminateWorkers();
    finish({ status: 'error', message });
  };
  report();
  // two calls in flight per worker: its next chunk already waits in its queue while the
  // page takes in the last result, so a busy page never leaves a worker idle
  Promise.all(Array.from({ length: count }, (_, i) => [loop(i), loop(i)]).flat()).then(
    () => finish({ status: 'done', elapsedMs: performance.now() - t0, workersUsed: used.size }),
    (e: unknown) => {
      terminateWorkers();
      finish({ status: 'error', message: e instanceof Error ? e.message : String(e) });
    },
  );
  return handle;
}

/**
 * Orders chunks round-robin across points (first chunk of every point, then the second,
 * ...) so that the trial rate, and with it the ETA, is about the same all through a run,
 * and partial results cover every point.
 */
export function interleave<T>(perPoint: Task<T>[][]): Task<T>[] {
  const out: Task<T>[] = [];
  const longest = Math.max(0, ...perPoint.map((p) => p.length));
  for (let i = 0; i < longest; i++) for (const p of perPoint) if (i < p.length) out.push(p[i]);
  return out;
}

/** [from, to) ranges of `size` covering 0..trials. */
export function chunks(trials: number, size: number): [number, number][] {
  const out: [number, number][] = [];
  for (let from = 0; from < trials; from += size) out.push([from, Math.min(trials, from + size)]);
  return out;
}
