/**
 * A trial worker: runs chunks of experiment trials off the main thread with the same code
 * as the CLI and the tests (algorithms/experiments and each algorithm's own experiment).
 * Each call gets the whole experiment's options plus a trial range [from, to); trial seeds
 * come from the experiment seed by index, and a settled cluster (built once per worker
 * and configuration) is the same in every worker, so any split across any number of
 * workers gives the same numbers.
 */
import { expose } from 'comlink';
import {
  downtimeCdfOf,
  downtimeChunk,
  messageSeries,
  messagesChunk,
  seriesById,
  type DowntimeOptions,
  type MessagesOptions,
} from '../../algorithms/index';

export interface CdfTrialOut {
  downtime: number;
  terms: number;
  unresolved: boolean;
}

export interface MessagesTrialOut {
  total: number;
  election: number;
}

export interface DowntimeTrialOut {
  downtime: number;
  unresolved: boolean;
  storm: boolean;
}

/** Worker time each series' calibration measures, besides its warm-up chunk. */
const CALIBRATION_MS = 150;
/** At most this many chunks measured per series (a very fast series stops here). */
const MAX_ROUNDS = 40;

/** Set when a run starts (`stopCalibration`): a calibration under way ends at its next chunk. */
let calibrationStopped = false;

/** A task of its own, so that a message waiting for this worker (a stop) is handled first. */
const nextTask = () =>
  new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });

const api = {
  cdf(
    tab: string,
    range: { min: number; max: number },
    trials: number,
    seed: number,
    from: number,
    to: number,
  ): CdfTrialOut[] {
    const x = downtimeCdfOf(tab);
    if (!x) throw new Error(`no downtime CDF experiment "${tab}"`);
    return x.runChunk(range, trials, seed, from, to).map((t) => ({
      downtime: t.downtime,
      terms: t.terms,
      unresolved: t.unresolved,
    }));
  },
  /**
   * Trials [from, to) of a series' point, and the ms this worker spent on them (the
   * form's time estimate is measured from these).
   */
  messages(
    series: string,
    opts: MessagesOptions,
    from: number,
    to: number,
  ): { trials: MessagesTrialOut[]; ms: number } {
    const t0 = performance.now();
    const type = seriesById(series)?.electionType ?? '';
    const trials = messagesChunk(opts, from, to).map((t) => ({
      total: t.total,
      election: t.byType[type] ?? 0,
    }));
    return { trials, ms: performance.now() - t0 };
  },
  downtime(opts: DowntimeOptions, from: number, to: number): DowntimeTrialOut[] {
    return downtimeChunk(opts, from, to).map((t) => ({
      downtime: t.downtime,
      unresolved: t.unresolved,
      storm: !!t.storm,
    }));
  },
  /**
   * ms this worker takes for `trials` trials of each of `series` in a cluster of n, as a
   * run's later chunks take them. A first chunk settles the cluster and warms the code up
   * (which also spares the first real run its warm-up); then chunks of the following trials
   * of the same experiment, forking that settled cluster as a run's chunks do, repeat until
   * at least `CALIBRATION_MS` of them are measured, and the median chunk counts: one chunk
   * of a few trials is a few ms, so a garbage collection or code still compiling in it could
   * make it several times too slow, and the form's estimate with it. The page asks for one
   * series at a time, and a run that starts meanwhile stops the call at its next chunk
   * (`stopCalibration`): the run neither waits for it nor shares its core with it.
   */
  async calibrateMessages(
    series: readonly string[],
    n: number,
    trials: number,
  ): Promise<Record<string, number>> {
    calibrationStopped = false;
    const out: Record<string, number> = {};
    for (const s of messageSeries()) {
      if (!series.includes(s.id)) continue;
      const opts = { ...s.opts, nodes: n, trials: trials * (MAX_ROUNDS + 1), seed: 0x5eed };
      messagesChunk(opts, 0, trials);
      const rounds: number[] = [];
      let spent = 0;
      while (rounds.length < 3 || (spent < CALIBRATION_MS && rounds.length < MAX_ROUNDS)) {
        // a run started meanwhile has this worker's core and measures for itself
        await nextTask();
        if (calibrationStopped) return out;
        const from = (rounds.length + 1) * trials;
        const t0 = performance.now();
        messagesChunk(opts, from, from + trials);
        const ms = performance.now() - t0;
        rounds.push(ms);
        spent += ms;
      }
      rounds.sort((a, b) => a - b);
      out[s.id] = rounds[rounds.length >> 1];
    }
    return out;
  },
  /** Ends a calibration under way at its next chunk (a run has started). */
  stopCalibration(): void {
    calibrationStopped = true;
  },
  /** Answers at once: the pool waits for it to know the worker has loaded. */
  ready(): boolean {
    return true;
  },
};

export type TrialWorkerApi = typeof api;

expose(api);
