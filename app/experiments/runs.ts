/**
 * Runs of the experiments: builds the trial chunks from the parameters, hands them to the
 * worker pool, collects results by trial index (so they are the same whatever the number
 * of workers) and publishes progress and partial results for the panel. Which
 * experiments exist, and what each algorithm contributes, comes from the definitions.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Remote } from 'comlink';
import { seriesById, sweepPoint } from '../../algorithms/index';
import { playground } from '../store/store';
import {
  chunks,
  defaultWorkers,
  interleave,
  poolGeneration,
  runTasks,
  setWorkerAllowance,
  type Progress,
  type RunHandle,
  type Task,
} from './pool';
import type { CdfTrialOut, DowntimeTrialOut, MessagesTrialOut, TrialWorkerApi } from './worker';
import {
  experiments,
  isCdfTab,
  type CdfParams,
  type DowntimeParams,
  type ExperimentTab,
  type MessagesParams,
} from './params';
import {
  flushMessagesSpeed,
  messagesCost,
  messagesWorkers,
  noteMessagesRun,
  noteMessagesSpeed,
  resetRunMeasurement,
} from './estimate';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface CdfLineResult {
  min: number;
  max: number;
  label: string;
  trials: (CdfTrialOut | undefined)[];
}
/** Kept for the Figure 16 tab's callers. */
export type Fig16LineResult = CdfLineResult;
export interface MessagesPointResult {
  series: string;
  n: number;
  trials: (MessagesTrialOut | undefined)[];
}
export interface DowntimePointResult {
  algorithm: string;
  /** Loss in % or latency in ms, as in the params. */
  value: number;
  trials: (DowntimeTrialOut | undefined)[];
}

export interface CdfResult {
  kind: 'cdf';
  params: CdfParams;
  lines: CdfLineResult[];
}
export interface MessagesResult {
  kind: 'messages';
  params: MessagesParams;
  points: MessagesPointResult[];
}
export interface DowntimeResult {
  kind: 'downtime';
  params: DowntimeParams;
  points: DowntimePointResult[];
}
export type AnyResult = CdfResult | MessagesResult | DowntimeResult;

export interface RunInfo<R extends AnyResult = AnyResult> {
  status: RunStatus;
  progress: Progress | null;
  error?: string;
  elapsedMs?: number;
  /** FNV-1a over every trial's numbers, in trial order: equal for equal results. */
  fingerprint?: string;
  result: R | null;
  /** Bumped when partial results change (throttled). */
  rev: number;
  /** Workers the run may use; once done, the ones that ran at least one chunk. */
  workers?: number;
}

interface RunsState {
  workers: number;
  /** Per tab id. */
  byTab: Record<string, RunInfo>;
  setWorkers(n: number): void;
}

const IDLE: RunInfo = { status: 'idle', progress: null, result: null, rev: 0 };

export const runs = createStore<RunsState>()((set) => ({
  workers: defaultWorkers(),
  byTab: {},
  setWorkers(n) {
    set({ workers: Math.max(1, Math.min(16, Math.floor(n) || 1)) });
  },
}));

export function useRuns<T>(selector: (s: RunsState) => T): T {
  return useStore(runs, selector);
}

/** The run of a tab (idle when it never ran). */
export function runOf<R extends AnyResult = AnyResult>(
  s: RunsState,
  tab: ExperimentTab,
): RunInfo<R> {
  return (s.byTab[tab] ?? IDLE) as RunInfo<R>;
}

export function useRun<R extends AnyResult = AnyResult>(tab: ExperimentTab): RunInfo<R> {
  return useRuns((s) => runOf<R>(s, tab));
}

/**
 * A tab's run without its progress: what the forms, charts and tables draw. Progress
 * changes several times a second while a run goes on; this changes only when the status
 * or the results do, so only the run bar re-renders with the progress.
 */
export function useRunResult<R extends AnyResult = AnyResult>(
  tab: ExperimentTab,
): Omit<RunInfo<R>, 'progress'> {
  return useRuns(
    useShallow((s) => {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars
      const { progress, ...rest } = runOf<R>(s, tab);
      return rest;
    }),
  );
}

/**
 * Workers that may take new chunks now. While the playground plays (it draws every frame),
 * the run leaves one core to the page: on two cores one worker takes new chunks, and both
 * again once it stops. Results do not depend on which worker runs what.
 */
export const pageAllowance = (): number =>
  playground.getState().playing ? Math.max(1, defaultWorkers() - 1) : Infinity;
setWorkerAllowance(pageAllowance);

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

function* numbers(r: AnyResult): Generator<number> {
  if (r.kind === 'cdf')
    for (const l of r.lines)
      for (const t of l.trials) yield* t ? [t.downtime, t.terms, t.unresolved ? 1 : 0] : [NaN];
  else if (r.kind === 'messages')
    for (const p of r.points) for (const t of p.trials) yield* t ? [t.total, t.election] : [NaN];
  else
    for (const p of r.points)
      for (const t of p.trials)
        yield* t ? [t.downtime, t.unresolved ? 1 : 0, t.storm ? 1 : 0] : [NaN];
}

export function fingerprintOf(r: AnyResult): string {
  return fnv(numbers(r));
}

/** Progress reaches the page at most this often (each one re-renders the run bar). */
const PROGRESS_MS = 250;
/** Partial results reach the charts at most this often (each one redraws them). */
const RESULTS_MS = 1000;

function start(
  tab: ExperimentTab,
  result: AnyResult,
  perPoint: Task<unknown>[][],
  workers = runs.getState().workers,
): Promise<RunStatus> {
  const tasks = interleave(perPoint);
  let lastRev = 0;
  let lastProgress = 0;
  const patch = (p: Partial<RunInfo>) =>
    runs.setState({
      byTab: { ...runs.getState().byTab, [tab]: { ...runOf(runs.getState(), tab), ...p } },
    });
  runs.setState({
    byTab: {
      ...runs.getState().byTab,
      [tab]: { status: 'running', progress: null, result, rev: 1, workers },
    },
  });
  running = tab;
  const h = runTasks(tasks, workers, (progress) => {
    const now = performance.now();
    const last = progress.done === progress.total;
    if (!last && progress.done > 0 && now - lastProgress < PROGRESS_MS) return;
    lastProgress = now;
    experiments
      .getState()
      .setProgress(
        progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) / 100 : 0,
      );
    // partial results for the charts about once a second
    if (now - lastRev > RESULTS_MS) {
      lastRev = now;
      patch({ progress, rev: runOf(runs.getState(), tab).rev + 1 });
    } else patch({ progress });
  });
  handle = h;
  return h.promise.then((o) => {
    if (handle === h) {
      handle = null;
      running = null;
      experiments.getState().setProgress(null);
    }
    const rev = runOf(runs.getState(), tab).rev + 1;
    if (o.status === 'done')
      patch({
        status: 'done',
        elapsedMs: o.elapsedMs,
        fingerprint: fingerprintOf(result),
        rev,
        workers: o.workersUsed,
      });
    else if (o.status === 'cancelled') patch({ status: 'cancelled', rev });
    else patch({ status: 'error', error: o.message, rev });
    return o.status;
  });
}

/**
 * Trials per chunk of a CDF line: small enough that the two workers finish together and
 * partial curves appear early, large enough that a chunk's fixed cost (a message each
 * way) stays small next to its trials.
 */
const CDF_CHUNK = 25;

export function startCdf(
  tab: ExperimentTab,
  params: CdfParams = experiments.getState().cdf[tab],
): Promise<RunStatus> {
  const lines: CdfLineResult[] = params.lines.map(([min, max]) => ({
    min,
    max,
    label: `${min}-${max} ms`,
    trials: new Array(params.trials),
  }));
  const perPoint = lines.map((l) =>
    chunks(params.trials, CDF_CHUNK).map(([from, to]): Task<CdfTrialOut> => ({
      trials: to - from,
      run: (api: Remote<TrialWorkerApi>) =>
        api.cdf(tab, { min: l.min, max: l.max }, params.trials, params.seed, from, to),
      done: (rs) => rs.forEach((r, i) => (l.trials[from + i] = r)),
    })),
  );
  return start(tab, { kind: 'cdf', params, lines }, perPoint as Task<unknown>[][]);
}

/**
 * Workers of the pool that have run message-count trials (their code is compiled), as
 * long as that pool lives.
 */
let warmMessages = { generation: -1, workers: 0 };

/** How many workers a message-count run with these params takes (see `messagesWorkers`). */
export function messagesRunWorkers(
  params: Pick<MessagesParams, 'series' | 'ns' | 'trials'>,
  allowed = runs.getState().workers,
): number {
  const warm = warmMessages.generation === poolGeneration() ? warmMessages.workers : 0;
  // (no more than take chunks while the playground plays, so the estimate counts those)
  return Math.min(
    messagesWorkers(params.series, params.ns, params.trials, allowed, warm),
    pageAllowance(),
  );
}

/** Trials per chunk of a message-count point: about 1,500 messages of work each. */
function messagesChunk(series: string, n: number): number {
  return Math.max(1, Math.min(20, Math.floor(1500 / messagesCost(series, n).perTrial)));
}

export function startMessages(
  params: MessagesParams = experiments.getState().messages,
): Promise<RunStatus> {
  const ns = [...new Set(params.ns)].sort((a, b) => a - b);
  const workers = messagesRunWorkers({ ...params, ns });
  resetRunMeasurement(workers);
  const points: MessagesPointResult[] = [];
  for (const id of params.series)
    for (const n of ns) points.push({ series: id, n, trials: new Array(params.trials) });
  const perPoint = points.map((p) => {
    const s = seriesById(p.series)!;
    const opts = { ...s.opts, nodes: p.n, trials: params.trials, seed: params.seed };
    return chunks(params.trials, messagesChunk(p.series, p.n)).map(
      ([from, to]): Task<MessagesTrialOut> => ({
        trials: to - from,
        run: async (api: Remote<TrialWorkerApi>) => {
          const out = await api.messages(p.series, opts, from, to);
          // how fast this machine really is, for the form's estimate
          noteMessagesSpeed(p.series, p.n, out.trials.length, out.ms);
          return out.trials;
        },
        done: (rs) => rs.forEach((r, i) => (p.trials[from + i] = r)),
      }),
    );
  });
  return start(
    'messages',
    { kind: 'messages', params: { ...params, ns }, points },
    perPoint as Task<unknown>[][],
    workers,
  ).then((status) => {
    // the workers that ran chunks (fewer than planned while the playground played)
    const { elapsedMs: elapsed, workers: used = workers } = runOf(runs.getState(), 'messages');
    if (status === 'done') {
      const g = poolGeneration();
      warmMessages = {
        generation: g,
        workers: Math.max(used, warmMessages.generation === g ? warmMessages.workers : 0),
      };
    }
    if (status === 'done' && elapsed !== undefined) noteMessagesRun(used, elapsed);
    else flushMessagesSpeed();
    return status;
  });
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
    { kind: 'downtime', params: { ...params, values }, points },
    perPoint as Task<unknown>[][],
  );
}

export function startRun(tab: ExperimentTab): Promise<RunStatus> {
  if (isCdfTab(tab)) return startCdf(tab);
  if (tab === 'messages') return startMessages();
  return startDowntime();
}
