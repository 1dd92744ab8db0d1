/**
 * How long a message-count run will take, measured on this machine rather than guessed.
 *
 * Work is counted in message units: a trial costs about as many engine events as the
 * messages its election sends (the series' theory, `all` metric), plus, for algorithms
 * whose every trial boots its own cluster (a ring order per trial), the boot election
 * (everyone initiates); algorithms that fork a settled cluster pay their boot once per
 * worker and point. The machine's speed, ms per unit, comes from measurements: a short
 * calibration on the page the first time the form is shown, then every chunk a worker
 * runs (its own clock), so the estimate on the form follows what runs really take here.
 * The last speed is kept in localStorage for the next visit.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { messageSeries, messagesChunk, registry, seriesById } from '../../algorithms/index';

const KEY = 'election-playground:messages-ms-per-unit';
/** Units a trial costs besides its messages (building the trial, the final checks). */
const TRIAL_UNITS = 20;

interface SpeedState {
  /** Measured ms per message unit on this machine (null until measured). */
  msPerUnit: number | null;
  /** Where the number comes from. */
  source: 'calibration' | 'runs' | 'stored' | null;
}

function stored(): number | null {
  try {
    const v = Number(globalThis.localStorage?.getItem(KEY));
    return Number.isFinite(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

const initial = stored();
export const speed = createStore<SpeedState>()(() => ({
  msPerUnit: initial,
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
  return registry[s.algorithm]?.ringOrder
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

/** Wall-clock ms of a run, from the measured speed (null until measured). */
export function messagesEstimateMs(
  series: readonly string[],
  ns: readonly number[],
  trials: number,
  workers: number,
): number | null {
  const k = speed.getState().msPerUnit;
  if (k === null) return null;
  return (k * messagesUnits(series, ns, trials, workers)) / Math.max(1, workers);
}

let measured = { ms: 0, units: 0 };
const seen = new Set<string>();

/**
 * A worker's chunk of `trials` trials of (series, n) took `ms` of its time: the speed
 * follows (the chunk that settled the point's cluster pays its setup too).
 */
export function noteMessagesSpeed(series: string, n: number, trials: number, ms: number): void {
  if (trials <= 0 || !(ms >= 0)) return;
  const c = messagesCost(series, n);
  const key = `${series}/${n}`;
  const setup = seen.has(key) ? 0 : c.setup;
  seen.add(key);
  measured = { ms: measured.ms + ms, units: measured.units + c.perTrial * trials + setup };
  if (measured.units < 2000) return;
  const k = measured.ms / measured.units;
  speed.setState({ msPerUnit: k, source: 'runs' });
  try {
    globalThis.localStorage?.setItem(KEY, String(k));
  } catch {
    /* private mode: the estimate still holds for this visit */
  }
}

/** A new run starts: its chunks measure afresh (a point's first chunk settles its cluster again). */
export function resetRunMeasurement(): void {
  measured = { ms: 0, units: 0 };
  seen.clear();
}

let calibrating = false;

/**
 * Measures the speed on the page when nothing has yet (a few ms of trials of the first
 * declared series, twice: the first round warms the code up). Does nothing once a number
 * is known.
 */
export function calibrateMessages(): void {
  if (calibrating || speed.getState().msPerUnit !== null) return;
  const s = messageSeries()[0];
  if (!s) return;
  calibrating = true;
  const opts = { ...s.opts, nodes: 12, trials: 6, seed: 0x5eed };
  const units = messagesUnits([s.id], [12], 6, 1);
  let best = Infinity;
  for (let round = 0; round < 2; round++) {
    const t0 = performance.now();
    messagesChunk({ ...opts, seed: opts.seed + round }, 0, 6);
    best = Math.min(best, performance.now() - t0);
  }
  if (speed.getState().msPerUnit === null)
    speed.setState({ msPerUnit: best / units, source: 'calibration' });
}
