/**
 * How long a message-count run will take, measured on this machine rather than guessed.
 *
 * Work is counted in message units: a trial costs about as many engine events as the
 * messages its election sends (the series' theory, `all` metric), plus, for an algorithm
 * whose every trial boots its own cluster (a ring order per trial, with no `reseat` to
 * seat a settled cluster in it), the boot election (everyone initiates); the others fork
 * a settled cluster and pay its boot once per worker and point. Each series' speed, ms per unit, comes from measurements: a short
 * calibration on the page the first time the form is shown, then every chunk a worker
 * runs (its own clock); a finished run then sets how much longer the wall clock took than
 * the workers' time, so the estimate on the form follows what runs really take here.
 * The numbers are kept in localStorage for the next visit.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { messageSeries, registry, seriesById } from '../../algorithms/index';
import { runInProgress, withWorkers } from './pool';

const KEY = 'election-playground:messages-speed';
/** Units a trial costs besides its messages (building the trial, the final checks). */
const TRIAL_UNITS = 20;

interface SpeedState {
  /**
   * Measured ms per message unit of each series on this machine: the algorithms differ
   * (a Ring node keeps timers and acknowledges every hop; a Bully node sends bare
   * messages), so one number for all would be wrong by several times for some mixes.
   */
  perSeries: Record<string, number>;
  /**
   * Wall-clock time of the last whole run over the time its trials took in the workers
   * (divided among them): the messages to and from the workers, the last chunks while a
   * worker idles, and the rest of the machine's load. 1 until a run has finished.
   */
  overhead: number;
  /** Where the numbers come from. */
  source: 'calibration' | 'runs' | 'stored' | null;
}

function stored(): Pick<SpeedState, 'perSeries' | 'overhead'> | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as { perSeries?: unknown; overhead?: unknown };
    const perSeries: Record<string, number> = {};
    if (v.perSeries && typeof v.perSeries === 'object')
      for (const [k, x] of Object.entries(v.perSeries))
        if (typeof x === 'number' && Number.isFinite(x) && x > 0) perSeries[k] = x;
    const overhead =
      typeof v.overhead === 'number' && Number.isFinite(v.overhead) && v.overhead > 0
        ? v.overhead
        : 1;
    return Object.keys(perSeries).length > 0 ? { perSeries, overhead } : null;
  } catch {
    return null;
  }
}

function save(): void {
  const { perSeries, overhead } = speed.getState();
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify({ perSeries, overhead }));
  } catch {
    /* private mode: the estimate still holds for this visit */
  }
}

const initial = stored();
export const speed = createStore<SpeedState>()(() => ({
  perSeries: initial?.perSeries ?? {},
  overhead: initial?.overhead ?? 1,
  source: initial === null ? null : 'stored',
}));

export function useSpeed<T>(selector: (s: SpeedState) => T): T {
  return useStore(speed, selector);
}

/** The boot election of an algorithm's cluster of n, in units: everyone initiates. */
function bootUnits(algorithm: string, variant: string | undefined, n: number): number {
  const all = messageSeries().find(
    (s) => s.algorithm === algorithm && s.initiators === 'all' && s.variant === variant,
  );
  return all ? all.theory.value(n, 'all') : n * n;
}

/** The work of one trial of `series` at size n, and of the settled cluster its trials fork. */
export function messagesCost(series: string, n: number): { perTrial: number; setup: number } {
  const s = seriesById(series);
  if (!s) return { perTrial: n * n, setup: 0 };
  const boot = bootUnits(s.algorithm, s.variant, n);
  const own = s.theory.value(n, 'all') + TRIAL_UNITS;
  const def = registry[s.algorithm];
  return def?.ringOrder && !def.experiments?.messageCost?.reseat
    ? { perTrial: own + boot, setup: 0 }
    : { perTrial: own, setup: boot };
}

/** Units of a whole run on `workers` workers (each worker settles each forked point once). */
export function messagesUnits(
  series: readonly string[],
  ns: readonly number[],
  trials: number,
  workers: number,
): number {
  let u = 0;
  for (const id of series)
    for (const n of new Set(ns)) {
      const c = messagesCost(id, n);
      u += c.perTrial * trials + c.setup * Math.min(workers, trials);
    }
  return u;
}

/** ms of worker time a run's trials take, from the speeds measured so far (null if none). */
function workerMs(
  series: readonly string[],
  ns: readonly number[],
  trials: number,
  workers: number,
): number | null {
  const { perSeries } = speed.getState();
  const known = Object.values(perSeries);
  if (known.length === 0) return null;
  // a series not measured yet counts at the slowest speed known
  const fallback = Math.max(...known);
  let ms = 0;
  for (const id of series)
    ms += (perSeries[id] ?? fallback) * messagesUnits([id], ns, trials, workers);
  return ms;
}

/**
 * Worker time a worker new to the message-count code must have ahead of it before a run
 * takes it on. A fresh worker spends its first second or so with V8 compiling the
 * algorithms' code on background threads (each worker compiles its own copy): on two cores
 * a second cold worker for the default run (about a second of work) made the run slower,
 * not faster, and the two workers with their compilers kept both cores busy, so the
 * page's frames waited for a core.
 */
export const COLD_WORKER_MS = 2000;
/** ms per unit assumed before anything is measured (a slow machine's speed). */
const UNMEASURED_MS_PER_UNIT = 0.02;

/**
 * How many workers a run of these points takes, of `allowed`: the `warm` ones (workers
 * that already ran message-count trials) at once, and a cold one more only while every
 * worker would still get at least `COLD_WORKER_MS` of the run's work. Results do not
 * depend on the number.
 */
export function messagesWorkers(
  series: readonly string[],
  ns: readonly number[],
  trials: number,
  allowed: number,
  warm = 0,
): number {
  const ms =
    workerMs(series, ns, trials, 1) ??
    messagesUnits(series, ns, trials, 1) * UNMEASURED_MS_PER_UNIT;
  const max = Math.max(1, Math.floor(allowed));
  let n = Math.max(1, Math.min(max, Math.floor(warm)));
  while (n < max && ms / (n + 1) >= COLD_WORKER_MS) n++;
  return n;
}

/** Wall-clock ms of a run, from the measured speeds (null until measured). */
export function messagesEstimateMs(
  series: readonly string[],
  ns: readonly number[],
  trials: number,
  workers: number,
): number | null {
  const ms = workerMs(series, ns, trials, workers);
  return ms === null ? null : (ms * speed.getState().overhead) / Math.max(1, workers);
}

/** Worker time and message units measured: all of a run's chunks, and its warm ones. */
interface Measured {
  ms: number;
  units: number;
  warmMs: number;
  warmUnits: number;
}

/** This run's measurements so far, per series, and the chunks seen of each point. */
let measured = new Map<string, Measured>();
const chunksOfPoint = new Map<string, number>();
let coldChunks = 2;

/** Warm units a series needs before its warm speed counts (else all its chunks count). */
const WARM_ENOUGH = 1000;

/**
 * A worker's chunk of `trials` trials of (series, n) took `ms` of its time: that series'
 * speed follows. The first chunks of a point (one per worker) are cold: each settles the
 * point's cluster in its worker, and on a fresh page runs code not yet compiled for that
 * size (in Chromium a first run's first chunks measured up to ten times its later ones).
 * A series' speed comes from its warm chunks when there are enough of them, so that the
 * next run, whose workers are warm, is not estimated at the first one's pace. The speeds
 * are published when the run ends (`noteMessagesRun`, `flushMessagesSpeed`), not per
 * chunk: each publication re-renders the form, and the page has better things to do
 * while workers send results.
 */
export function noteMessagesSpeed(series: string, n: number, trials: number, ms: number): void {
  if (trials <= 0 || !(ms >= 0)) return;
  const c = messagesCost(series, n);
  const key = `${series}/${n}`;
  const k = chunksOfPoint.get(key) ?? 0;
  chunksOfPoint.set(key, k + 1);
  const m = measured.get(series) ?? { ms: 0, units: 0, warmMs: 0, warmUnits: 0 };
  m.ms += ms;
  // the point's first chunk pays the settled cluster's setup in the units
  m.units += c.perTrial * trials + (k === 0 ? c.setup : 0);
  if (k >= coldChunks) {
    m.warmMs += ms;
    m.warmUnits += c.perTrial * trials;
  }
  measured.set(series, m);
}

/** ms per unit a run measured for a series: its warm chunks if enough, else all of them. */
function speedOf(m: Measured): number | null {
  if (m.warmUnits >= WARM_ENOUGH) return m.warmMs / m.warmUnits;
  return m.units >= WARM_ENOUGH ? m.ms / m.units : null;
}

/** Publishes the speeds this run has measured so far (series with enough work measured). */
export function flushMessagesSpeed(): void {
  const perSeries = { ...speed.getState().perSeries };
  let changed = false;
  for (const [series, m] of measured) {
    const v = speedOf(m);
    if (v !== null && perSeries[series] !== v) {
      perSeries[series] = v;
      changed = true;
    }
  }
  if (changed) speed.setState({ perSeries, source: 'runs' });
}

/**
 * A whole run finished in `elapsedMs` of wall-clock time: the overhead becomes the wall
 * clock over the time the workers spent in its chunks (divided among them): the messages
 * to and from the workers, a worker idle at the end, the machine's other load. The chunks
 * time only the trials inside each worker; the next run on this machine waits for the
 * rest as well.
 */
export function noteMessagesRun(workers: number, elapsedMs: number): void {
  flushMessagesSpeed();
  let ms = 0;
  for (const m of measured.values()) ms += m.ms;
  if (!(ms > 0) || !(elapsedMs > 0)) return;
  const overhead = Math.max(1, (elapsedMs * Math.max(1, workers)) / ms);
  speed.setState({ overhead, source: 'runs' });
  save();
}

/**
 * A new run on `workers` workers starts: its chunks measure afresh (each worker settles a
 * point's cluster again in its first chunk of that point).
 */
export function resetRunMeasurement(workers = 2): void {
  measured = new Map();
  chunksOfPoint.clear();
  coldChunks = Math.max(1, workers);
}

let calibrating = false;

/**
 * Measures each declared series when nothing is known yet: each of `workers` workers times
 * chunks of a few trials of a 12-node cluster of each series, forking its settled cluster
 * as a run's later chunks do (the worker's `calibrateMessages`), off the main thread and
 * where runs will run. The series of `first` (the form's) go first; one series per call,
 * and no further call once a run has started: the run measures for itself, and stops the
 * call under way at its next chunk (the pool's `stopCalibration`). Does nothing once
 * numbers are known.
 */
export function calibrateMessages(workers: number, first: readonly string[] = []): void {
  if (calibrating || Object.keys(speed.getState().perSeries).length > 0) return;
  calibrating = true;
  const n = 12;
  const trials = 3;
  const ids = [
    ...first,
    ...messageSeries()
      .map((s) => s.id)
      .filter((id) => !first.includes(id)),
  ];
  withWorkers(workers, async (api) => {
    const out: Record<string, number> = {};
    for (const id of ids) {
      if (runInProgress()) break;
      Object.assign(out, await api.calibrateMessages([id], n, trials));
    }
    return out;
  }).then(
    (answers) => {
      calibrating = false;
      // a run that measured meanwhile knows better
      if (speed.getState().source === 'runs') return;
      const perSeries: Record<string, number> = {};
      for (const s of messageSeries()) {
        const ms = answers.map((a) => a[s.id]).filter((v) => v !== undefined && v >= 0);
        if (ms.length === 0) continue;
        const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
        // the chunks timed fork a settled cluster: their trials only, as a run's later chunks
        perSeries[s.id] = Math.max(1e-6, mean) / (messagesCost(s.id, n).perTrial * trials);
      }
      if (Object.keys(perSeries).length > 0) speed.setState({ perSeries, source: 'calibration' });
    },
    () => {
      calibrating = false;
    },
  );
}
