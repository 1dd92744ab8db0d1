/**
 * Runs of the three experiments: builds the trial chunks from the parameters, hands them
 * to the worker pool, collects results by trial index (so they are the same whatever the
 * number of workers) and publishes progress and partial results for the panel.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Remote } from 'comlink';
import { sweepPoint, type DowntimeAlgorithm } from '../../algorithms/index';
import { MESSAGE_SERIES } from '../../algorithms/index';
import {
  chunks,
  defaultWorkers,
  interleave,
  runTasks,
  type Progress,
  type RunHandle,
  type Task,
} from './pool';
import type { DowntimeTrialOut, Fig16TrialOut, MessagesTrialOut, TrialWorkerApi } from './worker';
import {
  experiments,
  type DowntimeParams,
  type ExperimentTab,
  type Fig16Params,
  type MessagesParams,
} from './params';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface Fig16LineResult {
  min: number;
  max: number;
  label: string;
  trials: (Fig16TrialOut | undefined)[];
}
export interface MessagesPointResult {
  series: string;
  n: number;
  trials: (MessagesTrialOut | undefined)[];
}
export interface DowntimePointResult {
  algorithm: DowntimeAlgorithm;
  /** Loss in % or latency in ms, as in the params. */
  value: number;
  trials: (DowntimeTrialOut | undefined)[];
}

export interface ResultsOf {
  fig16: { params: Fig16Params; lines: Fig16LineResult[] };
  messages: { params: MessagesParams; points: MessagesPointResult[] };
  downtime: { params: DowntimeParams; points: DowntimePointResult[] };
}

export interface RunInfo<K extends ExperimentTab> {
  status: RunStatus;
  progress: Progress | null;
  error?: string;
  elapsedMs?: number;
  /** FNV-1a over every trial's numbers, in trial order: equal for equal results. */
  fingerprint?: string;
  result: ResultsOf[K] | null;
  /** Bumped when partial results change (throttled). */
  rev: number;
  /** Workers the run used. */
  workers?: number;
}

interface RunsState {
  workers: number;
  fig16: RunInfo<'fig16'>;
  messages: RunInfo<'messages'>;
  downtime: RunInfo<'downtime'>;
  setWorkers(n: number): void;
}

const idle = () => ({ status: 'idle' as const, progress: null, result: null, rev: 0 });

export const runs = createStore<RunsState>()((set) => ({
  workers: defaultWorkers(),
  fig16: idle(),
  messages: idle(),
  downtime: idle(),
  setWorkers(n) {
    set({ workers: Math.max(1, Math.min(16, Math.floor(n) || 1)) });
  },
}));

export function useRuns<T>(selector: (s: RunsState) => T): T {
  return useStore(runs, selector);
}

let handle: RunHandle | null = null;
let running: ExperimentTab | null = null;

/** Cancels the run in progress (if any): its workers stop at once. */
export function cancelRun(): void {
  handle?.cancel();
}

export function runningTab(): ExperimentTab | null {
  return running;
}

function fnv(values: Iterable<number>): string {
  let h = 0x811c9dc5;
  const buf = new DataView(new ArrayBuffer(8));
  for (const v of values) {
    buf.setFloat64(0, v);
    for (let i = 0; i < 8; i++) {
      h ^= buf.getUint8(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h.toString(16).padStart(8, '0');
}

function* numbers(tab: ExperimentTab, r: ResultsOf[ExperimentTab]): Generator<number> {
  if (tab === 'fig16')
    for (const l of (r as ResultsOf['fig16']).lines)
      for (const t of l.trials) yield* t ? [t.downtime, t.terms, t.unresolved ? 1 : 0] : [NaN];
  else if (tab === 'messages')
    for (const p of (r as ResultsOf['messages']).points)
      for (const t of p.trials) yield* t ? [t.total, t.election] : [NaN];
  else
    for (const p of (r as ResultsOf['downtime']).points)
      for (const t of p.trials)
        yield* t ? [t.downtime, t.unresolved ? 1 : 0, t.storm ? 1 : 0] : [NaN];
}

export function fingerprintOf(tab: ExperimentTab, r: ResultsOf[ExperimentTab]): string {
  return fnv(numbers(tab, r));
}

function start<K extends ExperimentTab>(
  tab: K,
  result: ResultsOf[K],
  perPoint: Task<unknown>[][],
): Promise<RunStatus> {
  const workers = runs.getState().workers;
  const tasks = interleave(perPoint);
  let lastRev = 0;
  const patch = (p: Partial<RunInfo<K>>) =>
    runs.setState({ [tab]: { ...runs.getState()[tab], ...p } } as Partial<RunsState>);
  runs.setState({
    [tab]: { status: 'running', progress: null, result, rev: 1, workers },
  } as Partial<RunsState>);
  running = tab;
  const h = runTasks(tasks, workers, (progress) => {
    experiments
      .getState()
      .setProgress(
        progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) / 100 : 0,
      );
    const now = performance.now();
    // partial results for the charts about once a second
    if (now - lastRev > 1000) {
      lastRev = now;
      patch({ progress, rev: runs.getState()[tab].rev + 1 } as Partial<RunInfo<K>>);
    } else patch({ progress } as Partial<RunInfo<K>>);
  });
  handle = h;
  return h.promise.then((o) => {
    if (handle === h) {
      handle = null;
      running = null;
      experiments.getState().setProgress(null);
    }
    const rev = runs.getState()[tab].rev + 1;
    if (o.status === 'done')
      patch({
        status: 'done',
        elapsedMs: o.elapsedMs,
        fingerprint: fingerprintOf(tab, result),
        rev,
      } as Partial<RunInfo<K>>);
    else if (o.status === 'cancelled') patch({ status: 'cancelled', rev } as Partial<RunInfo<K>>);
    else patch({ status: 'error', error: o.message, rev } as Partial<RunInfo<K>>);
    return o.status;
  });
}

const FIG16_CHUNK = 25;

export function startFig16(params: Fig16Params = experiments.getState().fig16): Promise<RunStatus> {
  const lines: Fig16LineResult[] = params.lines.map(([min, max]) => ({
    min,
    max,
    label: `${min}-${max} ms`,
    trials: new Array(params.trials),
  }));
  const perPoint = lines.map((l) =>
    chunks(params.trials, FIG16_CHUNK).map(([from, to]): Task<Fig16TrialOut> => ({
      trials: to - from,
      run: (api: Remote<TrialWorkerApi>) =>
        api.fig16(
          { label: l.label, electionTimeout: { min: l.min, max: l.max } },
          params.trials,
          params.seed,
          from,
          to,
        ),
      done: (rs) => rs.forEach((r, i) => (l.trials[from + i] = r)),
    })),
  );
  return start('fig16', { params, lines }, perPoint as Task<unknown>[][]);
}

/** Smaller chunks for bigger clusters: a 64-node trial can take half a second. */
function messagesChunk(n: number): number {
  return n >= 32 ? 1 : n >= 16 ? 2 : 5;
}

export function startMessages(
  params: MessagesParams = experiments.getState().messages,
): Promise<RunStatus> {
  const ns = [...new Set(params.ns)].sort((a, b) => a - b);
  const points: MessagesPointResult[] = [];
  for (const id of params.series)
    for (const n of ns) points.push({ series: id, n, trials: new Array(params.trials) });
  const perPoint = points.map((p) => {
    const s = MESSAGE_SERIES.find((x) => x.id === p.series)!;
    const opts = { ...s.opts, nodes: p.n, trials: params.trials, seed: params.seed };
    return chunks(params.trials, messagesChunk(p.n)).map(([from, to]): Task<MessagesTrialOut> => ({
      trials: to - from,
      run: (api: Remote<TrialWorkerApi>) => api.messages(opts, from, to),
      done: (rs) => rs.forEach((r, i) => (p.trials[from + i] = r)),
    }));
  });
  return start('messages', { params: { ...params, ns }, points }, perPoint as Task<unknown>[][]);
}

const DOWNTIME_CHUNK = 20;

export function startDowntime(
  params: DowntimeParams = experiments.getState().downtime,
): Promise<RunStatus> {
  const values = [...new Set(params.values)].sort((a, b) => a - b);
  const points: DowntimePointResult[] = [];
  for (const a of params.algorithms)
    for (const v of values)
      points.push({ algorithm: a, value: v, trials: new Array(params.trials) });
  const sweep = {
    axis: params.axis,
    values,
    nodes: params.nodes,
    baseLatency: 10,
    baseLoss: 0,
    trials: params.trials,
    seed: params.seed,
  };
  const perPoint = points.map((p) => {
    const opts = sweepPoint(sweep, p.algorithm, params.axis === 'loss' ? p.value / 100 : p.value);
    return chunks(params.trials, DOWNTIME_CHUNK).map(([from, to]): Task<DowntimeTrialOut> => ({
      trials: to - from,
      run: (api: Remote<TrialWorkerApi>) => api.downtime(opts, from, to),
      done: (rs) => rs.forEach((r, i) => (p.trials[from + i] = r)),
    }));
  });
  return start(
    'downtime',
    { params: { ...params, values }, points },
    perPoint as Task<unknown>[][],
  );
}

export function startRun(tab: ExperimentTab): Promise<RunStatus> {
  if (tab === 'fig16') return startFig16();
  if (tab === 'messages') return startMessages();
  return startDowntime();
}
